import type Docker from 'dockerode';
import { BerthError } from '../../../contract/errors';
import type { PruneResult } from '../../../contract/images';
import { chainKeys, layerSizesFromHistory } from '../../../core/image-layers';
import { predictImagePrune, type PruneModelImage } from '../../../core/image-prune';
import type { DockerContext } from './context';
import { containersPerImage, rawHistory, rawInspect, realDigests, realTags } from './images-read';

/** Runs `fn` over `items`, `limit` at a time (the engine is shared; no stampede). */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const gone = (err: unknown) => err instanceof BerthError && (err.code === 'IMAGE_NOT_FOUND' || err.code === 'NOT_FOUND');

/** Every image (intermediate ones too) with its parent, references and layer chain. */
async function gatherModel(ctx: DockerContext, signal?: AbortSignal): Promise<{ images: PruneModelImage[]; used: Set<string> }> {
  const [list, used] = await Promise.all([
    ctx.call('list images', undefined, () => ctx.docker.listImages({ all: true, abortSignal: signal } as Docker.ListImagesOptions)),
    containersPerImage(ctx, signal),
  ]);
  const intern = new Map<string, number>();
  const inspected = await mapLimit(list, 4, async (i) => {
    if (signal?.aborted) throw new BerthError('CANCELLED', 'Cancelled: prune images.');
    try {
      return await rawInspect(ctx, i.Id);
    } catch (err) {
      if (gone(err)) return null; // removed meanwhile: it will not be pruned
      throw err;
    }
  });
  const images: PruneModelImage[] = [];
  list.forEach((i, n) => {
    const raw = inspected[n];
    if (!raw) return;
    images.push({
      id: i.Id,
      parentId: i.ParentId || null,
      tags: realTags(i.RepoTags),
      digests: realDigests(i.RepoDigests),
      chain: chainKeys(raw.RootFS?.Layers ?? [], intern),
      layerSizes: null,
    });
  });
  return { images, used: new Set(used.keys()) };
}

/** What a prune would remove and free, computed without removing anything. */
async function dryRun(ctx: DockerContext, all: boolean, signal?: AbortSignal): Promise<PruneResult> {
  const { images, used } = await gatherModel(ctx, signal);
  const first = predictImagePrune(images, used, { all });
  const removedIds = new Set(first.removed.map((r) => r.id));
  // Layer sizes come from the history, needed only for what would go.
  await mapLimit(
    images.filter((i) => removedIds.has(i.id)),
    4,
    async (img) => {
      try {
        const h = await rawHistory(ctx, img.id);
        img.layerSizes = layerSizesFromHistory(
          h.map((e) => ({ createdBy: e.CreatedBy ?? '', size: e.Size ?? 0 })),
          img.chain.length,
        );
      } catch (err) {
        if (!gone(err)) throw err;
      }
    },
  );
  const p = predictImagePrune(images, used, { all });
  if (!p.exact) ctx.log.warn('Image prune preview: some layer sizes are unknown; the space shown may be low');
  return { dryRun: true, removed: p.removed, untagged: p.untagged, spaceReclaimed: p.spaceReclaimed };
}

export async function pruneImages(ctx: DockerContext, opts: { all: boolean; dryRun: boolean }, signal?: AbortSignal): Promise<PruneResult> {
  if (opts.dryRun) return dryRun(ctx, opts.all, signal);
  const before = await ctx.call('list images', undefined, () => ctx.docker.listImages({ all: true, abortSignal: signal } as Docker.ListImagesOptions));
  const tags = new Map(before.map((i) => [i.Id, realTags(i.RepoTags)]));
  const res = await ctx.call('prune images', undefined, () =>
    ctx.docker.pruneImages({ filters: { dangling: [opts.all ? 'false' : 'true'] }, abortSignal: signal } as object),
  );
  const deleted = (res.ImagesDeleted ?? []) as Array<{ Untagged?: string; Deleted?: string }>;
  return {
    dryRun: false,
    removed: deleted.flatMap((d) => (d.Deleted && tags.has(d.Deleted) ? [{ id: d.Deleted, tags: tags.get(d.Deleted) ?? [] }] : [])),
    untagged: deleted.flatMap((d) => (d.Untagged ? [d.Untagged] : [])),
    spaceReclaimed: res.SpaceReclaimed ?? 0,
  };
}
