import type { ContainerAlert } from '../contract/alerts';
import type { ChangeEvent } from '../contract/events';
import { AlertLimiter } from '../core/alert-limit';
import type { Logger } from '../ports/logger';
import type { SettingsStore } from '../ports/settings-store';
import type { ChangeFeed } from './change-feed';
import type { EngineRegistry } from './engine-registry';

type Listener = (a: ContainerAlert) => void;

export interface ContainerAlertsDeps {
  changes: Pick<ChangeFeed, 'subscribe'>;
  registry: Pick<EngineRegistry, 'resolve'>;
  settings: Pick<SettingsStore, 'get'>;
  log: Logger;
  limiter?: AlertLimiter;
  now?: () => number;
}

/**
 * Turns the change feed's `die` and `health_status` events into alerts: the container is read
 * once (its exit code, its health) so only a real failure notifies. Followed only while someone
 * listens (the window's notifications, or Electron's main process).
 */
export class ContainerAlerts {
  private readonly listeners = new Set<Listener>();
  private stop: (() => void) | null = null;
  private readonly limiter: AlertLimiter;
  private readonly now: () => number;

  constructor(private readonly d: ContainerAlertsDeps) {
    this.limiter = d.limiter ?? new AlertLimiter();
    this.now = d.now ?? Date.now;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    this.stop ??= this.d.changes.subscribe(undefined, (ev) => void this.onChange(ev));
    return () => {
      this.listeners.delete(l);
      if (this.listeners.size === 0) {
        this.stop?.();
        this.stop = null;
      }
    };
  }

  /** The subscription handler's shape: emits until `signal` aborts. */
  watch(emit: Listener, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    const off = this.subscribe(emit);
    return new Promise<void>((resolve) => {
      signal.addEventListener(
        'abort',
        () => {
          off();
          resolve();
        },
        { once: true },
      );
    });
  }

  private async onChange(ev: ChangeEvent): Promise<void> {
    if (ev.kind !== 'container' || (ev.action !== 'die' && ev.action !== 'health_status')) return;
    const behaviour = this.d.settings.get().behaviour;
    if (!behaviour.notifications) return;
    let alert: ContainerAlert | null;
    try {
      alert = await this.read(ev.engineId, ev.id, ev.action);
    } catch (err) {
      // Gone already (auto-remove) or the engine went away: nothing to say about it.
      this.d.log.debug('No alert: the container could not be read', { id: ev.id, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (!alert || behaviour.mutedContainers.includes(alert.name)) return;
    if (!this.limiter.allow(`${alert.engineId}/${alert.containerId}`, alert.at)) return;
    for (const l of this.listeners) l(alert);
  }

  private async read(engineId: string, id: string, action: 'die' | 'health_status'): Promise<ContainerAlert | null> {
    const details = await this.d.registry.resolve(engineId).containers.inspect(id);
    const name = details.name.replace(/^\//, '');
    const base = { engineId, containerId: details.id, name, at: this.now() };
    if (action === 'die') {
      const code = details.state.exitCode;
      if (code === 0 || details.state.running) return null;
      const oom = details.state.oomKilled ? ' (out of memory)' : '';
      return { ...base, kind: 'exited', exitCode: code, title: `${name} exited with code ${code}${oom}`, body: `Image ${details.config.image}. Click to see its logs.` };
    }
    if (details.state.health?.status !== 'unhealthy') return null;
    const lastOutput = details.state.health.log.at(-1)?.output.trim().split('\n').at(-1) ?? '';
    return { ...base, kind: 'unhealthy', title: `${name} is unhealthy`, body: lastOutput ? `Health check: ${lastOutput.slice(0, 200)}` : 'Its health check fails. Click to see its logs.' };
  }
}
