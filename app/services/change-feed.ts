import type { ChangeEvent, EngineChange } from '../contract/events';
import type { ContainerEngine } from '../ports/engine';
import { EngineMonitor, type EngineState, type MonitorOptions } from './engine-monitor';
import type { EngineRegistry } from './engine-registry';

type Listener = (item: ChangeEvent) => void;

interface Subscriber {
  /** null: object changes of the active engine and the state of every engine. */
  engineId: string | null;
  listener: Listener;
}

/**
 * The change feed: one event stream per engine (through the EngineMonitor), fanned out to any
 * number of subscribers. It never branches on the engine's kind, only on its capabilities.
 */
export class ChangeFeed {
  readonly monitor: EngineMonitor;
  private readonly subscribers = new Set<Subscriber>();
  private readonly ended = new Set<() => void>();
  private stopObserving: (() => void) | null = null;
  private disposed = false;

  constructor(
    private readonly registry: EngineRegistry,
    private readonly opts: MonitorOptions,
  ) {
    this.monitor = new EngineMonitor((item) => this.publish(item), opts);
  }

  /** Follows every engine in the registry, now and as they are added or removed. */
  start(): void {
    if (this.stopObserving || this.disposed) return;
    this.registry.useStatusSource(this.monitor);
    this.stopObserving = this.registry.observe({
      added: (e: ContainerEngine) => this.monitor.add(e),
      removed: (id: string) => void this.monitor.remove(id),
      // Another engine became the active one: every list of a subscriber without an engineId is stale.
      activeChanged: (id: string | null) => {
        if (id !== null) this.publish({ engineId: id, kind: 'engine', action: 'resync' });
      },
    });
  }

  /** Tells subscribers that every list of this engine is stale (e.g. it now acts in another namespace). */
  resync(engineId: string): void {
    this.publish({ engineId, kind: 'engine', action: 'resync' });
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Calls `listener` with the current state of the engines concerned, then with every change,
   * until the returned function is called. An unknown engineId is a NOT_FOUND error.
   */
  subscribe(engineId: string | undefined, listener: Listener): () => void {
    if (engineId !== undefined) this.registry.resolve(engineId);
    const sub: Subscriber = { engineId: engineId ?? null, listener };
    for (const { engineId: id, state } of this.monitor.states()) {
      if (sub.engineId === null || sub.engineId === id) listener(stateItem(id, state));
    }
    this.subscribers.add(sub);
    return () => {
      this.subscribers.delete(sub);
    };
  }

  /** The subscription handler's shape: emits until `signal` aborts or the feed is disposed. */
  watch(engineId: string | undefined, emit: Listener, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    if (this.disposed) return Promise.resolve();
    const off = this.subscribe(engineId, emit);
    return new Promise<void>((resolve) => {
      const done = () => {
        off();
        signal.removeEventListener('abort', done);
        this.ended.delete(done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      this.ended.add(done);
    });
  }

  /** Stops every stream and timer and ends every subscription; resolves when all of it is done. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopObserving?.();
    this.stopObserving = null;
    await this.monitor.dispose();
    for (const done of [...this.ended]) done();
    this.subscribers.clear();
  }

  private publish(item: ChangeEvent): void {
    let active: string | null | undefined;
    for (const sub of this.subscribers) {
      if (sub.engineId !== null) {
        if (sub.engineId !== item.engineId) continue;
      } else if (item.kind !== 'engine') {
        if (active === undefined) active = this.registry.activeEngineId();
        if (item.engineId !== active) continue;
      }
      try {
        sub.listener(item);
      } catch (err) {
        // A subscriber's failure is its own; the others still get the item.
        this.opts.log.error('A change feed subscriber failed', { error: err instanceof Error ? err.stack : String(err) });
      }
    }
  }
}

function stateItem(engineId: string, s: EngineState): EngineChange {
  const item: EngineChange = { engineId, kind: 'engine', action: s.status };
  if (s.error) item.error = s.error;
  return item;
}
