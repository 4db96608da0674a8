/**
 * What an image prune WOULD remove, computed the way dockerd (20.10) prunes: the top images
 * (dangling heads, or every image not only an intermediate parent), each removed by its
 * references without force, untagged parents pruned after their last child, nothing used by
 * a container (running or stopped). Space reclaimed counts the layers no remaining image uses.
 * Pure: the adapter gathers the model; the UI shows this before asking to prune.
 */
export interface PruneModelImage {
  id: string;
  parentId: string | null;
  /** `repo:tag` references. */
  tags: string[];
  /** `repo@digest` references. */
  digests: string[];
  /** Layer identities bottom first (see chainKeys) and their sizes (same length), or null when unknown. */
  chain: number[];
  layerSizes: number[] | null;
}

export interface PrunePrediction {
  removed: Array<{ id: string; tags: string[] }>;
  untagged: string[];
  spaceReclaimed: number;
  /** False when some layer size had to be guessed as 0. */
  exact: boolean;
}

const nameOf = (ref: string): string => {
  const at = ref.indexOf('@');
  if (at >= 0) return ref.slice(0, at);
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
};
const isDigestRef = (ref: string) => ref.includes('@');

/** dockerd's isSingleReference: one tag (and digests of the same repository only). */
function isSingleReference(refs: string[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  let single: string | null = null;
  const canonical = new Set<string>();
  for (const r of refs) {
    if (isDigestRef(r)) canonical.add(nameOf(r));
    else if (single === null) single = r;
    else return false;
  }
  const s = single ?? refs[0] ?? '';
  return canonical.size === 1 && canonical.has(nameOf(s));
}

class Conflict extends Error {}

class Simulation {
  private readonly byId = new Map<string, PruneModelImage>();
  private readonly refs = new Map<string, string[]>();
  readonly deleted = new Set<string>();
  readonly untagged: string[] = [];

  constructor(
    images: readonly PruneModelImage[],
    private readonly usedByContainers: ReadonlySet<string>,
  ) {
    for (const img of images) {
      this.byId.set(img.id, img);
      this.refs.set(img.id, [...img.tags, ...img.digests].sort());
    }
  }

  refsOf = (id: string): string[] => this.refs.get(id) ?? [];
  children = (id: string): PruneModelImage[] => [...this.byId.values()].filter((i) => i.parentId === id && !this.deleted.has(i.id));
  private dangling = (id: string) => this.refsOf(id).length === 0 && this.children(id).length === 0;

  private untag(id: string, ref: string) {
    this.refs.set(
      id,
      this.refsOf(id).filter((r) => r !== ref),
    );
    this.untagged.push(ref);
  }

  deleteByRef(ref: string): void {
    const img = [...this.byId.values()].find((i) => !this.deleted.has(i.id) && this.refsOf(i.id).includes(ref));
    if (!img) throw new Conflict('no such image');
    if (isSingleReference(this.refsOf(img.id)) && this.usedByContainers.has(img.id)) throw new Conflict('in use');
    this.untag(img.id, ref);
    if (!isDigestRef(ref)) {
      const name = nameOf(ref);
      const rest = this.refsOf(img.id);
      if (!rest.some((r) => !isDigestRef(r) && nameOf(r) === name)) {
        for (const r of rest) if (isDigestRef(r) && nameOf(r) === name) this.untag(img.id, r);
      }
    }
    if (this.refsOf(img.id).length > 0) return;
    this.deleteHelper(img.id, true);
  }

  deleteById(id: string): void {
    if (this.deleted.has(id)) throw new Conflict('no such image');
    this.deleteHelper(id, false);
  }

  private deleteHelper(id: string, quiet: boolean): void {
    const img = this.byId.get(id);
    if (!img || this.deleted.has(id)) return;
    let conflict: { used: boolean } | null = null;
    if (this.children(id).length > 0) conflict = { used: false };
    else if (this.usedByContainers.has(id)) conflict = { used: true };
    else if (this.refsOf(id).length > 0) conflict = { used: false };
    if (conflict) {
      if (quiet && (!this.dangling(id) || conflict.used)) return;
      throw new Conflict('conflict');
    }
    for (const r of this.refsOf(id)) this.untag(id, r);
    this.deleted.add(id);
    if (img.parentId && this.byId.has(img.parentId)) this.deleteHelper(img.parentId, true);
  }
}

export function predictImagePrune(images: readonly PruneModelImage[], usedByContainers: ReadonlySet<string>, opts: { all: boolean }): PrunePrediction {
  const sim = new Simulation(images, usedByContainers);
  const sorted = [...images].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const candidates = opts.all ? sorted : sorted.filter((i) => sim.children(i.id).length === 0);
  const top = candidates.filter((i) => !(sim.refsOf(i.id).length === 0 && sim.children(i.id).length !== 0));
  for (const img of top) {
    const refs = sim.refsOf(img.id);
    try {
      if (refs.length > 0) {
        const shouldDelete = opts.all || !refs.some((r) => !isDigestRef(r));
        if (!shouldDelete) continue;
        for (const r of refs) {
          try {
            sim.deleteByRef(r);
          } catch (e) {
            if (!(e instanceof Conflict)) throw e;
          }
        }
      } else {
        sim.deleteById(img.id);
      }
    } catch (e) {
      if (!(e instanceof Conflict)) throw e;
    }
  }

  // Layers: those of deleted images that no remaining image has in its chain.
  const kept = new Set<number>();
  for (const img of images) if (!sim.deleted.has(img.id)) for (const k of img.chain) kept.add(k);
  const freed = new Map<number, number>();
  let exact = true;
  for (const img of images) {
    if (!sim.deleted.has(img.id)) continue;
    img.chain.forEach((k, i) => {
      if (kept.has(k) || freed.has(k)) return;
      const size = img.layerSizes?.[i];
      if (size === undefined) exact = false;
      freed.set(k, size ?? 0);
    });
  }
  let spaceReclaimed = 0;
  for (const s of freed.values()) spaceReclaimed += s;
  const removed = sorted.filter((i) => sim.deleted.has(i.id)).map((i) => ({ id: i.id, tags: [...i.tags] }));
  return { removed, untagged: sim.untagged, spaceReclaimed, exact };
}
