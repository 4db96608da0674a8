import * as z from 'zod';
import { mutation, query } from './rpc';
import { engineSel } from './common';
import { EngineVersion } from './engines';
import { ErrorShape } from './errors';
import { deferred } from './deferred';

export const SystemInfo = deferred(() => z.object({
  /** The engine host's name. */
  name: z.string(),
  serverVersion: z.string(),
  /** e.g. "Debian GNU/Linux 12 (bookworm)". */
  operatingSystem: z.string(),
  osType: z.string(),
  kernelVersion: z.string(),
  architecture: z.string(),
  cpus: z.number().int(),
  /** Bytes. */
  memory: z.number().int(),
  containers: z.object({
    total: z.number().int(),
    running: z.number().int(),
    paused: z.number().int(),
    stopped: z.number().int(),
  }),
  images: z.number().int(),
  /** Storage driver, e.g. overlay2. */
  driver: z.string(),
  cgroupDriver: z.string().nullable(),
  cgroupVersion: z.string().nullable(),
  rootDir: z.string().nullable(),
  securityOptions: z.array(z.string()),
  warnings: z.array(z.string()),
  /** The engine's own info document. */
  raw: z.record(z.string(), z.unknown()),
}));
export type SystemInfo = z.infer<typeof SystemInfo>;

/** One kind in the disk usage report. Sizes in bytes. */
export const DiskUsageKind = deferred(() => z.object({
  count: z.number().int(),
  /** In use: images with containers, running containers, volumes mounted by a container, cache records in use. */
  active: z.number().int(),
  size: z.number().int(),
  /** What a prune of this kind could free. */
  reclaimable: z.number().int(),
}));
export type DiskUsageKind = z.infer<typeof DiskUsageKind>;

export const DiskUsage = deferred(() => z.object({
  images: DiskUsageKind,
  containers: DiskUsageKind,
  volumes: DiskUsageKind,
  buildCache: DiskUsageKind,
  /**
   * Kinds (and how) this engine cannot measure as Docker does, e.g. nerdctl: no build cache listing, and image
   * sizes that count a layer shared by two images twice. Absent when every figure is the engine's own.
   */
  notes: z.array(z.object({ kind: z.enum(['images', 'containers', 'volumes', 'buildCache']), note: z.string() })).optional(),
}));
export type DiskUsage = z.infer<typeof DiskUsage>;

export const PruneKindResult = deferred(() => z.object({
  /** Ids or names of what went (for images: deleted ids and untagged references). */
  removed: z.array(z.string()),
  spaceReclaimed: z.number().int(),
  /** What was to go but the engine refused (e.g. a network a container joined meanwhile). */
  failed: z.array(z.object({ name: z.string(), error: ErrorShape })),
}));
export type PruneKindResult = z.infer<typeof PruneKindResult>;

export const SystemPruneResult = deferred(() => z.object({
  containers: PruneKindResult,
  networks: PruneKindResult,
  /** Null when volumes were not asked for. */
  volumes: PruneKindResult.nullable(),
  images: PruneKindResult,
  buildCache: PruneKindResult,
  spaceReclaimed: z.number().int(),
}));
export type SystemPruneResult = z.infer<typeof SystemPruneResult>;

export const CONFIRMATION_REQUIRED =
  'confirmation is required: a system prune deletes data, so the UI must ask the user and then send confirm: true';

/** Options of a system prune once confirmed. */
export const SystemPruneSpec = deferred(() => z.object({
  /** Also unused volumes: anonymous ones, or named ones too with `all` (see volumes.prune). */
  volumes: z.boolean().default(false),
  /** Every unused image (not only dangling ones), all build cache, and with `volumes` unused named volumes too. */
  all: z.boolean().default(false),
}));
export type SystemPruneSpec = z.infer<typeof SystemPruneSpec>;

export const systemApi = {
  'system.ping': deferred(() => query('Check that the engine answers', z.object({ ...engineSel }).strict(), z.object({ ok: z.literal(true) }))),
  'system.version': deferred(() => query('The engine version', z.object({ ...engineSel }).strict(), EngineVersion)),
  'system.info': deferred(() => query('Engine-wide facts: counts, storage and cgroup drivers, OS, CPUs, memory, warnings', z.object({ ...engineSel }).strict(), SystemInfo)),
  'system.df': deferred(() => query('Disk usage of images, containers, volumes and build cache', z.object({ ...engineSel }).strict(), DiskUsage)),
  'system.prune': deferred(() => mutation(
    'Remove stopped containers, unused networks, dangling (or all unused) images, build cache, and volumes if asked. Needs confirm: true',
    z.object({ ...engineSel, confirm: z.literal(true, { error: CONFIRMATION_REQUIRED }), ...SystemPruneSpec.shape }).strict(),
    SystemPruneResult,
  )),
};
