import { BerthError } from '../contract/errors';
import type { EngineDescription, EngineNamespaces } from '../contract/engines';
import type { ContainerEngine } from '../ports/engine';
import { toErrorShapeSafe } from '../core/error-shape';
import type { EngineState } from './engine-monitor';

export type { ContainerEngine } from '../ports/engine';

/** Told when engines come and go (the change feed follows each engine's events). */
export interface RegistryObserver {
  added(engine: ContainerEngine): void;
  removed(engineId: string): void;
  /** The active engine changed (setActive, or the active one was removed). */
  activeChanged?(engineId: string | null): void;
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
  /** The engine the user picked (from settings): it becomes active whenever it is registered. */
  private preferredId: string | null = null;

  add(engine: ContainerEngine, opts: { active?: boolean } = {}): void {
    if (this.engines.has(engine.id)) throw new BerthError('CONFLICT', `An engine with id "${engine.id}" is already registered.`);
    this.engines.set(engine.id, engine);
    const preferredActive = this.preferredId !== null && this.engines.has(this.preferredId) && this.activeId === this.preferredId;
    const becomesActive = engine.id === this.preferredId || (!preferredActive && (opts.active || this.activeId === null));
    for (const o of this.observers) o.added(engine);
    if (becomesActive) this.changeActive(engine.id);
  }

  /**
   * The user's choice, remembered across launches: that engine is active whenever it is registered
   * (an engine registered later, such as the VM's, takes over when it comes). null: no preference.
   */
  prefer(id: string | null): void {
    this.preferredId = id;
    if (id !== null && this.engines.has(id)) this.changeActive(id);
  }

  /** Makes a registered engine the active one (NOT_FOUND otherwise) and remembers it as the preference. */
  setActive(id: string): void {
    if (!this.engines.has(id)) {
      throw new BerthError('NOT_FOUND', `There is no engine "${id}".`, { hint: 'Pick one of the engines listed in the status area.' });
    }
    this.preferredId = id;
    this.changeActive(id);
  }

  /** The containerd namespaces of an engine that has them; NOT_SUPPORTED for one that has none. */
  async namespaces(engineId: string | undefined, signal?: AbortSignal): Promise<EngineNamespaces> {
    const e = this.resolve(engineId);
    const ns = namespacesOf(e);
    return { engineId: e.id, current: ns.current(), available: await ns.list(signal) };
  }

  /** From now on, that engine acts in `namespace` (the caller remembers it and tells the change feed). */
  async useNamespace(engineId: string | undefined, namespace: string): Promise<EngineNamespaces> {
    const e = this.resolve(engineId);
    namespacesOf(e).use(namespace);
    return this.namespaces(e.id);
  }

  private changeActive(id: string | null): void {
    if (this.activeId === id) return;
    this.activeId = id;
    for (const o of this.observers) o.activeChanged?.(id);
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
    for (const o of this.observers) o.removed(id);
    if (this.activeId === id) this.changeActive(this.engines.keys().next().value ?? null);
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
      hint: 'Add an engine by its address in Preferences, or set DOCKER_HOST and restart Berth.',
    });
  }

  /**
   * Every engine with its live state: what the status source (the monitor) knows, with the version
   * read when the engine came up; for an engine it has not reached yet, a version call, bounded in time.
   */
  async describe(timeoutMs = 3000): Promise<EngineDescription[]> {
    // The active engine first: what a client without an engineId talks to.
    const all = this.all().sort((a, b) => Number(b.id === this.activeId) - Number(a.id === this.activeId));
    return Promise.all(
      all.map(async (e): Promise<EngineDescription> => {
        // Capabilities are read after the version: some are known only once the engine said what it is (Podman).
        const base = () => ({ id: e.id, name: e.name, kind: e.kind, endpoint: e.endpoint, active: e.id === this.activeId, capabilities: e.capabilities });
        const known = await this.knownState(e.id);
        if (known) return { ...base(), ...known };
        try {
          const version = await e.system.version(AbortSignal.timeout(timeoutMs));
          return { ...base(), status: 'up', version };
        } catch (err) {
          return { ...base(), status: 'down', error: toErrorShapeSafe(err, `reach ${e.endpoint}`) };
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

function namespacesOf(e: ContainerEngine): NonNullable<ContainerEngine['namespaces']> {
  if (!e.capabilities.namespaces || !e.namespaces) {
    throw new BerthError('NOT_SUPPORTED', `${e.name} has no namespaces.`, {
      hint: 'containerd namespaces exist on a containerd (nerdctl) engine, such as the VM\u2019s.',
    });
  }
  return e.namespaces;
}
