import type { ChangeEvent } from '../contract/events';
import type { ContainerEngine } from '../ports/engine';
import type { ChangeFeed } from './change-feed';

/** More containers created since the last count than this: list them all again rather than inspect each. */
const MAX_INSPECTS = 20;

interface View {
  /** Container id → image id, as far as the change feed has told; null when it must be listed again. */
  byContainer: Map<string, string> | null;
  /** Created since the last count, image not known yet. */
  created: Set<string>;
  /** The engine's event stream is up: the feed sees every change. */
  live: boolean;
  /** A full listing in flight, and the feed items that arrived meanwhile (applied after it). */
  loading: Promise<Map<string, string>> | null;
  queued: ChangeEvent[];
  /** Bumped when the engine's state changes: a listing started before is not kept. */
  gen: number;
  off: () => void;
}

/**
 * How many containers use each image, kept from the change feed's view of containers instead of
 * a full container list per `images.list`: the containers are listed once, then a created
 * container is inspected (its image is fixed for life) and a destroyed one is forgotten. While
 * the engine's event stream is not up, or after it comes back (events may have been missed),
 * the next count lists them again.
 */
export class ImageUsage {
  private readonly views = new Map<string, View>();
  /** Full container listings made (tests and the bench read it). */
  listings = 0;

  constructor(private readonly changes: Pick<ChangeFeed, 'subscribe'>) {}

  /** Containers (any state) per image id for this engine. */
  async perImage(engine: ContainerEngine): Promise<Map<string, number>> {
    const v = this.view(engine.id);
    const byContainer = v.live ? await this.current(engine, v) : await this.list(engine);
    const out = new Map<string, number>();
    for (const img of byContainer.values()) out.set(img, (out.get(img) ?? 0) + 1);
    return out;
  }

  dispose(): void {
    for (const v of this.views.values()) v.off();
    this.views.clear();
  }

  private view(engineId: string): View {
    const v = this.views.get(engineId);
    if (v) return v;
    const nv: View = { byContainer: null, created: new Set(), live: false, loading: null, queued: [], gen: 0, off: () => undefined };
    this.views.set(engineId, nv);
    // The feed tells the engine's current state first, then every change.
    nv.off = this.changes.subscribe(engineId, (item) => this.onChange(nv, item));
    return nv;
  }

  private onChange(v: View, item: ChangeEvent): void {
    if (item.kind === 'engine') {
      v.live = item.action === 'up' || (v.live && item.action === 'resync');
      v.byContainer = null;
      v.created.clear();
      v.gen++;
      return;
    }
    if (item.kind !== 'container' || (item.action !== 'create' && item.action !== 'destroy')) return;
    if (v.loading) v.queued.push(item);
    this.apply(v, item);
  }

  private apply(v: View, item: ChangeEvent): void {
    if (item.kind !== 'container') return;
    if (item.action === 'create') {
      if (v.byContainer && !v.byContainer.has(item.id)) v.created.add(item.id);
    } else {
      v.created.delete(item.id);
      v.byContainer?.delete(item.id);
    }
  }

  private async current(engine: ContainerEngine, v: View): Promise<Map<string, string>> {
    if (!v.byContainer || v.created.size > MAX_INSPECTS) return this.load(engine, v);
    const map = v.byContainer;
    const ids = [...v.created];
    await Promise.all(
      ids.map(async (id) => {
        try {
          const d = await engine.containers.inspect(id);
          // Still wanted: not destroyed (nor the view reset) while we asked.
          if (v.byContainer === map && v.created.has(id)) map.set(id, d.imageId);
        } catch (err) {
          // Gone already (its destroy event is on its way or came): nothing to count.
          if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
        }
        v.created.delete(id);
      }),
    );
    return map;
  }

  private load(engine: ContainerEngine, v: View): Promise<Map<string, string>> {
    v.loading ??= (async () => {
      v.queued = [];
      v.created.clear();
      const gen = v.gen;
      try {
        const map = await this.list(engine);
        if (gen !== v.gen) return map;
        v.byContainer = map;
        // What the feed said while the list was on its way wins over the list.
        for (const item of v.queued) this.apply(v, item);
        return map;
      } finally {
        v.loading = null;
        v.queued = [];
      }
    })();
    return v.loading.then((map) => (v.byContainer ? this.current(engine, v) : map));
  }

  private async list(engine: ContainerEngine): Promise<Map<string, string>> {
    this.listings++;
    const all = await engine.containers.list({ all: true });
    return new Map(all.map((c) => [c.id, c.imageId]));
  }
}
