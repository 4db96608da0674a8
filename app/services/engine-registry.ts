import { BerthError } from '../contract/errors';
import type { EngineDescription } from '../contract/engines';
import type { ContainerEngine } from '../ports/engine';
import { toErrorShapeSafe } from '../core/error-shape';
import type { EngineState } from './engine-monitor';

export type { ContainerEngine } from '../ports/engine';

/** Told when engines come and go (the change feed follows each engine's events). */
export interface RegistryObserver {
  added(engine: ContainerEngine): void;
  removed(engineId: string): void;
}

/** Where live engine status comes from once something follows the engines (the EngineMonitor). */
export interface EngineStatusSource {
  /** undefined: this engine is not followed (yet). */
  state(engineId: string): EngineState | undefined;
  refreshVersion(engineId: string): Promise<void>;
}

/** Engines keyed by id. Failures are data (`status: 'down'` with an error), never an empty list. */
export class EngineRegistry {
  private readonly engines = new Map<string, ContainerEngine>();
  private activeId: string | null = null;
  private readonly observers = new Set<RegistryObserver>();
  private statusSource: EngineStatusSource | null = null;

  add(engine: ContainerEngine, opts: { active?: boolean } = {}): void {
    if (this.engines.has(engine.id)) throw new BerthError('CONFLICT', `An engine with id "${engine.id}" is already registered.`);
    this.engines.set(engine.id, engine);
    if (opts.active || this.activeId === null) this.activeId = engine.id;
    for (const o of this.observers) o.added(engine);
  }

  /** Tells `o` about every engine now and later; returns a function that stops it. */
  observe(o: RegistryObserver): () => void {
    this.observers.add(o);
    for (const e of this.engines.values()) o.added(e);
    return () => {
      this.observers.delete(o);
    };
  }

  /** Live status for describe(), instead of a ping per call. */
  useStatusSource(src: EngineStatusSource | null): void {
    this.statusSource = src;
  }

  /** The active engine's id, or null when there is none. */
  activeEngineId(): string | null {
    return this.activeId;
  }

  async remove(id: string): Promise<void> {
    const e = this.engines.get(id);
    if (!e) return;
    this.engines.delete(id);
    if (this.activeId === id) this.activeId = this.engines.keys().next().value ?? null;
    for (const o of this.observers) o.removed(id);
    await e.dispose();
  }

  all(): ContainerEngine[] {
    return [...this.engines.values()];
  }

  /** The named engine, or the active one. */
  resolve(engineId?: string): ContainerEngine {
    const id = engineId ?? this.activeId;
    const e = id === null ? undefined : this.engines.get(id);
    if (e) return e;
    if (engineId !== undefined) {
      throw new BerthError('NOT_FOUND', `There is no engine "${engineId}".`, { hint: 'Pick one of the engines listed in the status area.' });
    }
    throw new BerthError('ENGINE_UNREACHABLE', 'No container engine is configured.', {
      hint: 'Start the Berth VM, or point Berth at an engine (DOCKER_HOST, or engine.host in settings.json) and restart it.',
    });
  }

  /**
   * Every engine with its live state: what the status source (the monitor) knows, with the version
   * read when the engine came up; for an engine it has not reached yet, a version call, bounded in time.
   */
  async describe(timeoutMs = 3000): Promise<EngineDescription[]> {
    return Promise.all(
      this.all().map(async (e): Promise<EngineDescription> => {
        const base = { id: e.id, name: e.name, kind: e.kind, endpoint: e.endpoint, active: e.id === this.activeId, capabilities: e.capabilities };
        const known = await this.knownState(e.id);
        if (known) return { ...base, ...known };
        try {
          const version = await e.system.version(AbortSignal.timeout(timeoutMs));
          return { ...base, status: 'up', version };
        } catch (err) {
          return { ...base, status: 'down', error: toErrorShapeSafe(err, `reach ${e.endpoint}`) };
        }
      }),
    );
  }

  private async knownState(id: string): Promise<Pick<EngineDescription, 'status' | 'version' | 'error'> | null> {
    const src = this.statusSource;
    const st = src?.state(id);
    if (!src || !st || st.status === 'connecting') return null;
    if (st.status === 'down') return st.error ? { status: 'down', error: st.error } : { status: 'down' };
    const version = st.version ?? (await src.refreshVersion(id).then(() => src.state(id)?.version));
    return version ? { status: 'up', version } : { status: 'up' };
  }

  async dispose(): Promise<void> {
    this.statusSource = null;
    this.observers.clear();
    const all = this.all();
    this.engines.clear();
    this.activeId = null;
    await Promise.allSettled(all.map((e) => e.dispose()));
  }
}
