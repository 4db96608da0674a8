import type { ChangeEvent } from '../contract/events';
import type { ContainerEngine } from '../ports/engine';

interface IdView {
  /** Container ids, oldest first (the engine lists newest first); null when they must be listed again. */
  ids: Set<string> | null;
  /** A listing in flight, and the feed items that arrived meanwhile (applied after it). */
  loading: Promise<void> | null;
  queued: ChangeEvent[];
  /** Bumped when the engine's state changes: a listing started before is not kept. */
  gen: number;
  /** The engine's event stream is down: changes may be missed, so every ask lists again. */
  down: boolean;
}

/**
 * The container ids of each engine, kept from the change feed's view of containers: listed once,
 * then a created container is added and a destroyed one removed, so a container event costs
 * work for that container only, not a listing of all of them. After the engine's state changes
 * (down, up, resync: events may have been missed) the next ask lists them again.
 * The owner passes every feed item to `onChange`.
 */
export class ContainerIds {
  private readonly views = new Map<string, IdView>();
  /** Full container listings made (tests read it). */
  listings = 0;

  onChange(e: ChangeEvent): void {
    if (e.kind === 'engine') {
      if (e.action === 'connecting') return;
      const v = this.view(e.engineId);
      v.down = e.action === 'down';
      v.ids = null;
      v.gen++;
      return;
    }
    if (e.kind !== 'container' || (e.action !== 'create' && e.action !== 'destroy')) return;
    const v = this.views.get(e.engineId);
    if (!v) return;
    if (v.loading) v.queued.push(e);
    else this.apply(v, e);
  }

  /** The engine's container ids, newest first (as the engine lists them). */
  async list(engine: ContainerEngine): Promise<string[]> {
    const v = this.view(engine.id);
    while (!v.ids) {
      if (v.down) return (await this.listAll(engine)).reverse();
      await this.load(engine, v);
    }
    return [...v.ids].reverse();
  }

  private view(engineId: string): IdView {
    let v = this.views.get(engineId);
    if (!v) this.views.set(engineId, (v = { ids: null, loading: null, queued: [], gen: 0, down: false }));
    return v;
  }

  private apply(v: IdView, e: ChangeEvent): void {
    if (!v.ids || e.kind !== 'container') return;
    if (e.action === 'create') v.ids.add(e.id);
    else v.ids.delete(e.id);
  }

  private load(engine: ContainerEngine, v: IdView): Promise<void> {
    v.loading ??= (async () => {
      v.queued = [];
      const gen = v.gen;
      try {
        const ids = new Set(await this.listAll(engine));
        if (gen !== v.gen) return;
        v.ids = ids;
        // What the feed said while the list was on its way wins over the list.
        for (const item of v.queued) this.apply(v, item);
      } finally {
        v.loading = null;
        v.queued = [];
      }
    })();
    return v.loading;
  }

  /** Every container id, oldest first. */
  private async listAll(engine: ContainerEngine): Promise<string[]> {
    this.listings++;
    const all = await engine.containers.list({ all: true });
    return all.map((c) => c.id).reverse();
  }
}
