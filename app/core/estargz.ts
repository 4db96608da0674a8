/** The annotation eStargz puts on each layer: the digest of its table of contents (what lets a snapshotter mount it lazily). */
export const ESTARGZ_TOC_ANNOTATION = 'containerd.io/snapshot/stargz/toc.digest';

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * Whether an image's layers are eStargz, from `nerdctl image inspect --mode=native` (its `Manifest`): every layer
 * carries the TOC annotation. Such an image can be pulled lazily where the stargz snapshotter runs.
 */
export function isEstargzImage(native: Record<string, unknown>): boolean {
  const layers = rec(native.Manifest).layers;
  if (!Array.isArray(layers) || layers.length === 0) return false;
  return layers.every((l) => typeof rec(rec(l).annotations)[ESTARGZ_TOC_ANNOTATION] === 'string');
}

/** `nerdctl info`'s storage plugins name `stargz` when containerd has the stargz snapshotter registered. */
export function hasStargzSnapshotter(info: Record<string, unknown>): boolean {
  const storage = rec(info.Plugins).Storage;
  return Array.isArray(storage) && storage.includes('stargz');
}
