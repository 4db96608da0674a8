import type { ChangeEvent } from '../contract/events';
import type { ContainerEngine } from '../ports/engine';

/** More containers created since the last listing than this: `images` lists them all again rather than inspect each. */
const MAX_INSPECTS = 20;

interface IdView {
  /**
   * Container id → its image id, oldest first (the engine lists newest first); the image is null
   * for a container created since the listing until `images` inspects it. Null when the containers
   * must be listed again.
   */
  ids: Map<string, string | null> | null;
  /** A listing in flight, and the feed items that arrived meanwhile (applied after it). */
  loading: Promise<void> | null;
  queued: ChangeEvent[];
  /** Bumped when the engine's state changes: a listing started before is not kept. */
  gen: number;
  /** The engine's event stream is down: changes may be missed, so every ask lists again. */
  down: boolean;
}

/**
 * The containers of each engine (their ids and images), kept from the change feed's view of
 * containers: listed once, then a created container is added and a destroyed one removed, so a
 * container event costs work for that container only, not a listing of all of them. After the
 * engine's state changes (down, up, resync: events may have been missed) the next ask lists them
 * again. The owner passes every feed item to `onChange`.
 */
export class ContainerIds {
  private readonly views = new Map<string, IdView>();
  /** Full container listings made (tests read it). */
  listings = 0;

  /**
   * `seed`: a full listing of an engine's containers already made by someone else (the window's first list), offered
   * only while its owner vouches that nothing changed since it began (FirstList's rule: FirstList.seed), or null.
   * Used instead of listing them again, like a listing of its own: what the feed says from the offer on is applied after
   * it (and an engine state change drops it); if it fails, they are listed as usual.
   */
  constructor(private readonly seed?: (engineId: string) => Promise<ReadonlyArray<{ id: string; imageId: string }>> | null) {}

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
    if (v.down) return [...(await this.listAll(engine)).keys()].reverse();
    return [...(await this.kept(engine, v)).keys()].reverse();
  }

  /**
   * Container id → image id of every container of the engine. A container created since the
   * listing is inspected once (its image is fixed for life; one gone already is dropped), or, when
   * more than MAX_INSPECTS are new, the containers are listed again.
   */
  async images(engine: ContainerEngine): Promise<Map<string, string>> {
    const v = this.view(engine.id);
    if (v.down) return known(await this.listAll(engine));
    let map = await this.kept(engine, v);
    let unknown = [...map].filter(([, img]) => img === null).map(([id]) => id);
    if (unknown.length > MAX_INSPECTS) {
      v.ids = null;
      map = await this.kept(engine, v);
      unknown = [...map].filter(([, img]) => img === null).map(([id]) => id);
    }
    await Promise.all(
      unknown.map(async (id) => {
        try {
          const d = await engine.containers.inspect(id);
          // Still wanted: not destroyed (nor the view reset) while we asked.
          if (v.ids === map && map.has(id)) map.set(id, d.imageId);
        } catch (err) {
          if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
          // Gone already (its destroy event is on its way or came): nothing to count.
          if (v.ids === map) map.delete(id);
        }
      }),
    );
    return known(map);
  }

  /** Every container of the engine, listed anew and not kept (id → image id, oldest first). */
  async listAll(engine: ContainerEngine): Promise<Map<string, string>> {
    this.listings++;
    return idMap(await engine.containers.list({ all: true }));
  }

  private view(engineId: string): IdView {
    let v = this.views.get(engineId);
    if (!v) this.views.set(engineId, (v = { ids: null, loading: null, queued: [], gen: 0, down: false }));
    return v;
  }

  private apply(v: IdView, e: ChangeEvent): void {
    if (!v.ids || e.kind !== 'container') return;
    if (e.action === 'create') {
      if (!v.ids.has(e.id)) v.ids.set(e.id, null);
    } else v.ids.delete(e.id);
  }

  /** The kept containers, listed first when they must be (down is handled by the caller). */
  private async kept(engine: ContainerEngine, v: IdView): Promise<Map<string, string | null>> {
    while (!v.ids) {
      if (v.down) return this.listAll(engine);
      await this.load(engine, v);
    }
    return v.ids;
  }

  private load(engine: ContainerEngine, v: IdView): Promise<void> {
    v.loading ??= (async () => {
      v.queued = [];
      const gen = v.gen;
      try {
        const seeded = this.seed?.(engine.id);
        const ids: Map<string, string | null> = seeded ? await seeded.then(idMap, () => this.listAll(engine)) : await this.listAll(engine);
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
}

/** Id → image id of a list (newest first), oldest first. */
function idMap(all: ReadonlyArray<{ id: string; imageId: string }>): Map<string, string> {
  return new Map(all.map((c) => [c.id, c.imageId] as const).reverse());
}

/** The entries whose image is known. */
function known(map: Map<string, string | null>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, img] of map) if (img !== null) out.set(id, img);
  return out;
}
