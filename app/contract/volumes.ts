import * as z from 'zod';
import { confirmField, confirmed } from './confirm';
import { mutation, query } from './rpc';
import { engineSel, Labels, ObjectRef, Timestamp } from './common';
import { ErrorShape } from './errors';
import { deferred } from './deferred';

export const VolumeUser = deferred(() => z.object({ id: z.string(), name: z.string() }));

export const VolumeSummary = deferred(() => z.object({
  name: z.string(),
  driver: z.string(),
  mountpoint: z.string(),
  created: Timestamp.nullable(),
  labels: Labels,
  scope: z.string(),
  /** Containers (running or not) that mount the volume. */
  usedBy: z.array(VolumeUser),
  /** Bytes used, from the engine's disk usage; null when the engine does not know it or could not say (see sizeError). */
  size: z.number().int().nullable(),
  /** How many containers use it (usedBy.length). */
  refCount: z.number().int(),
  /** Made by the engine for a container (no name given), not by a user. */
  anonymous: z.boolean(),
}));
export type VolumeSummary = z.infer<typeof VolumeSummary>;

/**
 * The volume list. Sizes come from the engine's disk usage report, fetched alongside the list.
 * If that report fails, the list is still returned with every size null and `sizeError` saying
 * why: the UI shows the list and the error, never silently blank sizes.
 */
export const VolumeList = deferred(() => z.object({
  volumes: z.array(VolumeSummary),
  sizeError: ErrorShape.optional(),
}));
export type VolumeList = z.infer<typeof VolumeList>;

export const VolumeDetails = deferred(() => VolumeSummary.extend({
  options: z.record(z.string(), z.string()),
  status: z.record(z.string(), z.unknown()).nullable(),
  sizeError: ErrorShape.optional(),
  /** The engine's own inspect document, for the Inspect tab. */
  raw: z.record(z.string(), z.unknown()),
}));
export type VolumeDetails = z.infer<typeof VolumeDetails>;

/** Engines accept 2+ characters, starting with a letter or digit. */
export const VolumeName = deferred(() => z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(255)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, 'must start with a letter or digit and use only letters, digits, _ . -'));

export const VolumeCreateSpec = deferred(() => z.object({
  /** Without a name the engine makes one up. An existing name is NAME_IN_USE (engines would silently return the old volume). */
  name: VolumeName.optional(),
  driver: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.:/-]*$/, 'must be a driver name such as local')
    .optional(),
  labels: Labels.optional(),
  driverOpts: z.record(z.string().min(1).max(256), z.string().max(4096)).optional(),
}));
export type VolumeCreateSpec = z.infer<typeof VolumeCreateSpec>;

/**
 * Prune semantics (the same on every engine and API version, because Berth picks the volumes
 * itself and removes them one by one): a volume is unused when no container, running or not,
 * mounts it; only volumes of the `local` driver are pruned (as the engines do). Without `all`, only unused anonymous volumes go (as docker since API 1.42); with
 * `all`, unused named volumes too (what API 1.41's own prune did). dryRun lists what would go.
 */
export const VolumePruneResult = deferred(() => z.object({
  dryRun: z.boolean(),
  removed: z.array(z.object({ name: z.string(), size: z.number().int().nullable() })),
  /** Bytes freed (or that would be), counting the volumes whose size is known. */
  spaceReclaimed: z.number().int(),
  /** Candidates the engine refused to remove (e.g. a container started using it meanwhile). */
  failed: z.array(z.object({ name: z.string(), error: ErrorShape })),
  /** Set when sizes could not be read: spaceReclaimed then counts nothing. */
  sizeError: ErrorShape.optional(),
}));
export type VolumePruneResult = z.infer<typeof VolumePruneResult>;

const VolRef = deferred(() => ({ ...engineSel, name: ObjectRef }));

export const volumesApi = {
  'volumes.list': deferred(() => query('Volumes with the containers using each and their sizes', z.object({ ...engineSel }).strict(), VolumeList)),
  'volumes.inspect': deferred(() => query("One volume in detail, with the engine's raw document", z.object(VolRef).strict(), VolumeDetails)),
  'volumes.create': deferred(() => mutation('Create a volume', z.object({ ...engineSel, ...VolumeCreateSpec.shape }).strict(), VolumeSummary)),
  'volumes.remove': deferred(() => mutation(
    'Remove a volume (VOLUME_IN_USE while a container uses it, even with force)',
    confirmed(z.object({ ...VolRef, force: z.boolean().default(false), ...confirmField }).strict(), (o) => o.force, 'a forced removal deletes a volume and its data'),
    z.object({ name: z.string() }),
  )),
  'volumes.prune': deferred(() => mutation(
    'Remove unused volumes: anonymous ones, or named ones too with all; dryRun lists them without removing',
    confirmed(
      z.object({ ...engineSel, dryRun: z.boolean().default(false), all: z.boolean().default(false), ...confirmField }).strict(),
      (o) => o.all && !o.dryRun,
      'pruning with all deletes named volumes and their data',
    ),
    VolumePruneResult,
  )),
};
