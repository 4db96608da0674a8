import { BerthError } from '../contract/errors';
import type { EngineDescription } from '../contract/engines';
import type { ContainerEngine } from '../ports/engine';
import { toErrorShapeSafe } from '../core/error-shape';

export type { ContainerEngine } from '../ports/engine';

/** Engines keyed by id. Failures are data (`status: 'down'` with an error), never an empty list. */
export class EngineRegistry {
  private readonly engines = new Map<string, ContainerEngine>();
  private activeId: string | null = null;

  add(engine: ContainerEngine, opts: { active?: boolean } = {}): void {
    if (this.engines.has(engine.id)) throw new BerthError('CONFLICT', `An engine with id "${engine.id}" is already registered.`);
    this.engines.set(engine.id, engine);
    if (opts.active || this.activeId === null) this.activeId = engine.id;
  }

  async remove(id: string): Promise<void> {
    const e = this.engines.get(id);
    if (!e) return;
    this.engines.delete(id);
    if (this.activeId === id) this.activeId = this.engines.keys().next().value ?? null;
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
      hint: 'Start the Berth VM, or set an engine socket in Settings.',
    });
  }

  /** Every engine with its live state: a ping and version each, in parallel, bounded in time. */
  async describe(timeoutMs = 3000): Promise<EngineDescription[]> {
    return Promise.all(
      this.all().map(async (e): Promise<EngineDescription> => {
        const base = { id: e.id, name: e.name, kind: e.kind, endpoint: e.endpoint, active: e.id === this.activeId, capabilities: e.capabilities };
        try {
          const version = await e.system.version(AbortSignal.timeout(timeoutMs));
          return { ...base, status: 'up', version };
        } catch (err) {
          return { ...base, status: 'down', error: toErrorShapeSafe(err, `reach ${e.endpoint}`) };
        }
      }),
    );
  }

  async dispose(): Promise<void> {
    const all = this.all();
    this.engines.clear();
    this.activeId = null;
    await Promise.allSettled(all.map((e) => e.dispose()));
  }
}
