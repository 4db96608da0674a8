import type { DiskUsage } from '../../../contract/system';
import type { NerdctlContext } from './context';
import type { NerdctlImages } from './images';
import type { NerdctlVolumes } from './volumes';
import { containerSizes } from './system-prune';

const ACTIVE: ReadonlySet<string> = new Set(['running', 'paused', 'restarting']);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * nerdctl has no `system df`: the report is computed from what it lists, with Docker's meaning of each
 * figure where nerdctl gives enough. Images: the unpacked size of each (a layer two images share counts
 * twice; said in `notes`), reclaimable = the unused ones. Containers: writable layers (`ps --size`), active
 * while running, paused or restarting. Volumes: `volume inspect --size`, active while a container refers to
 * one. Build cache: nerdctl lists no BuildKit records, so it is zero and named in `notes`, not guessed.
 */
export async function nerdctlDiskUsage(ctx: NerdctlContext, parts: { images: NerdctlImages; volumes: NerdctlVolumes }, signal?: AbortSignal): Promise<DiskUsage> {
  const [images, containers, vols] = await Promise.all([parts.images.list('all', signal), containerSizes(ctx, signal), parts.volumes.list(signal)]);
  const volumes = vols.volumes;
  const notes: NonNullable<DiskUsage['notes']> = [
    { kind: 'images', note: 'Each image counts its whole unpacked size: a layer shared by two images is counted twice.' },
    { kind: 'buildCache', note: 'nerdctl does not list BuildKit’s cache: its size is not known here (builder prune still frees it).' },
  ];
  if (vols.sizeError) notes.push({ kind: 'volumes', note: `Volume sizes could not be read: ${vols.sizeError.message}` });
  const vsize = (v: { size: number | null }) => v.size ?? 0;
  return {
    images: {
      count: images.length,
      active: images.filter((i) => i.inUse).length,
      size: Math.round(sum(images.map((i) => i.size))),
      reclaimable: Math.round(sum(images.filter((i) => !i.inUse).map((i) => i.size))),
    },
    containers: {
      count: containers.length,
      active: containers.filter((c) => ACTIVE.has(c.state)).length,
      size: sum(containers.map((c) => c.size)),
      reclaimable: sum(containers.filter((c) => !ACTIVE.has(c.state)).map((c) => c.size)),
    },
    volumes: {
      count: volumes.length,
      active: volumes.filter((v) => v.refCount > 0).length,
      size: sum(volumes.map(vsize)),
      reclaimable: sum(volumes.filter((v) => v.refCount === 0).map(vsize)),
    },
    buildCache: { count: 0, active: 0, size: 0, reclaimable: 0 },
    notes,
  };
}
