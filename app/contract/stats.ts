import * as z from 'zod';
import { query, subscription } from './rpc';
import { engineSel, ObjectRef } from './common';
import { MAX_SAMPLE_IDS } from './stats-limits';
import { deferred } from './deferred';

export { MAX_SAMPLE_IDS };

/** One container's figures, as `docker stats` shows them. Bytes are plain numbers. */
export const ContainerStats = deferred(() => z.object({
  id: z.string(),
  name: z.string(),
  /** When the engine took the sample (ISO 8601). */
  ts: z.string(),
  /** Docker CLI formula: (container CPU delta / system CPU delta) × online CPUs × 100; can exceed 100 on several CPUs. */
  cpuPercent: z.number().nonnegative(),
  /**
   * True on the first one-shot reading of a container (`stats.sample`): CPU % needs a previous
   * reading, so `cpuPercent` (0) is not a figure yet; the next sample has it.
   */
  cpuPending: z.boolean().optional(),
  /** Usage minus the reclaimable page cache (cgroup v1 `total_inactive_file`, v2 `inactive_file`), as the Docker CLI shows it. */
  memoryUsed: z.number().nonnegative(),
  memoryLimit: z.number().nonnegative(),
  memoryPercent: z.number().nonnegative(),
  /** Bytes received and sent, summed over every interface. */
  netRx: z.number().nonnegative(),
  netTx: z.number().nonnegative(),
  blockRead: z.number().nonnegative(),
  blockWrite: z.number().nonnegative(),
  pids: z.number().int().nonnegative(),
}));
export type ContainerStats = z.infer<typeof ContainerStats>;

export const StatsSnapshot = deferred(() => z.object({
  ts: z.string(),
  /** Every running (or paused) container that has reported a sample, sorted by name. */
  containers: z.array(ContainerStats),
}));
export type StatsSnapshot = z.infer<typeof StatsSnapshot>;

export const StatsSample = deferred(() => z.object({
  ts: z.string(),
  /**
   * One sample of each requested container that is running, in the order asked. A container that
   * is not running or no longer exists has no entry (and is named in `missing`).
   */
  containers: z.array(ContainerStats),
  missing: z.array(z.string()),
}));
export type StatsSample = z.infer<typeof StatsSample>;

export const statsApi = {
  'stats.container': deferred(() => subscription(
    'Live figures of one container, one item per engine sample (about every second); ends when the container stops',
    z.object({ ...engineSel, id: ObjectRef }),
    ContainerStats,
  )),
  'stats.sample': deferred(() => query(
    'One sample of each listed container, read once (no stream is kept open); CPU is measured since the previous sample of the same container',
    z.object({ ...engineSel, ids: z.array(ObjectRef).min(1).max(MAX_SAMPLE_IDS) }).strict(),
    StatsSample,
  )),
  'stats.all': deferred(() => subscription('Live figures of every running container, one snapshot about every second', z.object({ ...engineSel }), StatsSnapshot)),
};
