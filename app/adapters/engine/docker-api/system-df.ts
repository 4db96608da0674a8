import type Docker from 'dockerode';
import type { DiskUsage, DiskUsageKind } from '../../../contract/system';

/** The parts of GET /system/df that Berth reads (API 1.41 shape; later versions add fields). */
export interface RawDiskUsage {
  LayersSize?: number;
  Images?: Array<{ Id: string; Size: number; SharedSize: number; Containers: number }> | null;
  Containers?: Array<{ Id: string; State: string; SizeRw?: number }> | null;
  Volumes?: Array<{ Name: string; UsageData?: { Size: number; RefCount: number } | null }> | null;
  BuildCache?: Array<{ ID: string; Size: number; InUse: boolean; Shared: boolean }> | null;
  BuilderSize?: number;
}

// dockerode 5 honours `{ abortSignal }` on df() (lib/docker.js); @types/dockerode 4 does not declare it.
type DfWithSignal = (opts: { abortSignal?: AbortSignal }) => Promise<RawDiskUsage>;

export const dfWithSignal = (docker: Docker, signal?: AbortSignal): Promise<RawDiskUsage> =>
  (docker.df as unknown as DfWithSignal).call(docker, { abortSignal: signal });

const nonNeg = (n: number | undefined | null) => (typeof n === 'number' && n > 0 ? n : 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const ACTIVE_STATES = new Set(['running', 'paused', 'restarting']);

/**
 * The disk usage report as the Docker CLI computes it (`docker system df`): an image is active
 * when a container uses it and its unique part is not reclaimable; a container is active while
 * running, paused or restarting; a volume while a container refers to it; a cache record while in use.
 */
export function normalizeDiskUsage(df: RawDiskUsage): DiskUsage {
  const images = df.Images ?? [];
  const activeImages = images.filter((i) => i.Containers > 0);
  const imagesSize = nonNeg(df.LayersSize);
  const usedByActive = sum(activeImages.map((i) => nonNeg(i.Size) - nonNeg(i.SharedSize)));

  const containers = df.Containers ?? [];
  const activeContainers = containers.filter((c) => ACTIVE_STATES.has(c.State));

  const volumes = df.Volumes ?? [];
  const volSize = (v: (typeof volumes)[number]) => nonNeg(v.UsageData?.Size);
  const activeVolumes = volumes.filter((v) => nonNeg(v.UsageData?.RefCount) > 0);

  const cache = df.BuildCache ?? [];
  const cacheSize = cache.length ? sum(cache.map((c) => nonNeg(c.Size))) : nonNeg(df.BuilderSize);

  const kind = (k: DiskUsageKind) => ({ ...k, reclaimable: Math.max(0, Math.min(k.reclaimable, k.size)) });
  return {
    images: kind({ count: images.length, active: activeImages.length, size: imagesSize, reclaimable: imagesSize - usedByActive }),
    containers: kind({
      count: containers.length,
      active: activeContainers.length,
      size: sum(containers.map((c) => nonNeg(c.SizeRw))),
      reclaimable: sum(containers.filter((c) => !ACTIVE_STATES.has(c.State)).map((c) => nonNeg(c.SizeRw))),
    }),
    volumes: kind({
      count: volumes.length,
      active: activeVolumes.length,
      size: sum(volumes.map(volSize)),
      reclaimable: sum(volumes.filter((v) => nonNeg(v.UsageData?.RefCount) === 0).map(volSize)),
    }),
    buildCache: kind({
      count: cache.length,
      active: cache.filter((c) => c.InUse).length,
      size: cacheSize,
      reclaimable: sum(cache.filter((c) => !c.InUse && !c.Shared).map((c) => nonNeg(c.Size))),
    }),
  };
}

/** Volume name → bytes, or null when the engine did not compute it (UsageData absent or -1). */
export function volumeSizes(df: RawDiskUsage): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const v of df.Volumes ?? []) {
    const s = v.UsageData?.Size;
    out.set(v.Name, typeof s === 'number' && s >= 0 ? s : null);
  }
  return out;
}
