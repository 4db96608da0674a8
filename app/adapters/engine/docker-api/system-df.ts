import type Docker from 'dockerode';
import type { DiskUsage, DiskUsageKind } from '../../../contract/system';
import type { DockerContext } from './context';
import { engineMessage } from './errors';

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
const rawDf = (docker: Docker): Promise<RawDiskUsage> => (docker.df as unknown as DfWithSignal).call(docker, {});

/** dockerd before 23 refuses a second GET /system/df while one runs (HTTP 500), instead of sharing it. */
const BUSY = /disk usage operation is already running/i;
const RETRY_DELAYS_MS = [100, 200, 400, 800, 1200, 1600, 2000];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function dfWithRetry(docker: Docker): Promise<RawDiskUsage> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rawDf(docker);
    } catch (err) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !BUSY.test(engineMessage(err))) throw err;
      await sleep(delay); // another client's disk usage run (docker CLI, another app) is on: wait for it
    }
  }
}

const inflight = new WeakMap<Docker, Promise<RawDiskUsage>>();

function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * GET /system/df, which can take seconds on a big data-root. Concurrent callers in this process
 * (the volumes list, the disk usage view) share one request, and a refusal because another
 * client's run is in progress is retried for a few seconds. A caller's abort only stops its wait.
 */
export function readDiskUsage(ctx: DockerContext, signal?: AbortSignal): Promise<RawDiskUsage> {
  let shared = inflight.get(ctx.docker);
  if (!shared) {
    shared = dfWithRetry(ctx.docker).finally(() => inflight.delete(ctx.docker));
    inflight.set(ctx.docker, shared);
  }
  const p = shared;
  return ctx.call('read the disk usage', undefined, () => untilAborted(p, signal));
}

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
