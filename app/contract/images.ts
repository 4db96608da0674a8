import * as z from 'zod';
import { confirmField, confirmed } from './confirm';
import { mutation, query, subscription } from './rpc';
import { engineSel, Labels, Platform, Timestamp } from './common';
import { BuildBuilderItem, BuildGraphItem, BuildKitOptions, Builder, BuildStages, BuildStagesInput } from './images-build';
import { ConvertInput, ConvertResult } from './images-lazy';
import { deferred } from './deferred';

/**
 * Images, engine-neutral. A reference is checked by the adapter against the distribution
 * grammar (INVALID_REFERENCE, before the engine is touched); the schema only bounds it.
 */
export const ImageRefInput = deferred(() => z.string().min(1, 'must not be empty').max(1024));
/** An image reference or ID (full, `sha256:` prefixed, or a short ID). */
export const ImageTargetInput = ImageRefInput;

export const ImageFilter = deferred(() => z.enum(['all', 'inUse', 'unused', 'dangling']));
export type ImageFilter = z.infer<typeof ImageFilter>;

export const ImageSummary = deferred(() => z.object({
  id: z.string(),
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  /** Bytes on disk, shared layers included. */
  size: z.number(),
  created: Timestamp,
  labels: Labels,
  /** Containers using it, in any state. */
  containers: z.number().int(),
  inUse: z.boolean(),
  /** No tag: left behind by a rebuild or a pull of a newer version. */
  dangling: z.boolean(),
  /**
   * The platforms whose content the store holds, `os/arch[/variant]` (containerd: one per manifest of an index
   * present locally); absent where the engine keeps one platform per image and the list does not say it (dockerd).
   */
  platforms: z.array(z.string()).optional(),
}));
export type ImageSummary = z.infer<typeof ImageSummary>;

export const ImageDetails = deferred(() => z.object({
  id: z.string(),
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  parentId: z.string().nullable(),
  created: Timestamp,
  author: z.string(),
  comment: z.string(),
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  size: z.number(),
  config: z.object({
    cmd: z.array(z.string()).nullable(),
    entrypoint: z.array(z.string()).nullable(),
    env: z.array(z.string()),
    workingDir: z.string(),
    user: z.string(),
    exposedPorts: z.array(z.string()),
    volumes: z.array(z.string()),
    labels: Labels,
    stopSignal: z.string().optional(),
  }),
  /** Layer digests (diff IDs), bottom first. */
  layers: z.array(z.string()),
  /** Every layer is eStargz (seekable, with a table of contents): it can be pulled lazily where the engine has lazyPull. Absent: the engine does not tell. */
  estargz: z.boolean().optional(),
  /** The engine's own inspect document, for the "raw" view. */
  raw: z.record(z.string(), z.unknown()),
}));
export type ImageDetails = z.infer<typeof ImageDetails>;

export const ImageHistoryEntry = deferred(() => z.object({
  /** The local image of this step, or null when it is not in the store (pulled layers). */
  id: z.string().nullable(),
  created: Timestamp,
  createdBy: z.string(),
  size: z.number(),
  tags: z.array(z.string()),
  comment: z.string(),
}));
export type ImageHistoryEntry = z.infer<typeof ImageHistoryEntry>;

export const LayerStatus = deferred(() => z.enum(['waiting', 'downloading', 'uploading', 'verifying', 'downloaded', 'extracting', 'complete', 'exists']));

/** Aggregated transfer progress, emitted every ~150 ms while something changes, and once at the end. */
export const TransferProgress = deferred(() => z.object({
  done: z.literal(false),
  layers: z.array(z.object({ id: z.string(), status: LayerStatus, current: z.number(), total: z.number() })),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  message: z.string(),
}));
export type TransferProgress = z.infer<typeof TransferProgress>;

export const PullDone = deferred(() => z.object({ done: z.literal(true), id: z.string(), ref: z.string(), digest: z.string().optional() }));
export type PullDone = z.infer<typeof PullDone>;
export const PushDone = deferred(() => z.object({ done: z.literal(true), ref: z.string(), digest: z.string() }));
export type PushDone = z.infer<typeof PushDone>;
export const PullItem = deferred(() => z.discriminatedUnion('done', [TransferProgress, PullDone]));
export type PullItem = z.infer<typeof PullItem>;
export const PushItem = deferred(() => z.discriminatedUnion('done', [TransferProgress, PushDone]));
export type PushItem = z.infer<typeof PushItem>;

/** Registry credentials given once (never stored, never logged). */
export const RegistryAuth = deferred(() => z.object({
  username: z.string().min(1).max(1024),
  password: z.string().min(1).max(65536),
  /** The registry they are for; defaults to the registry of the reference. */
  serverAddress: z.string().min(1).max(1024).optional(),
}));
export type RegistryAuth = z.infer<typeof RegistryAuth>;

export { Platform };

export const PullInput = deferred(() => z.object({
  ...engineSel,
  ref: ImageRefInput,
  platform: Platform.optional(),
  auth: RegistryAuth.optional(),
  /** Pull lazily through the stargz snapshotter (eStargz images; containerd engines that have it). */
  lazy: z.boolean().optional(),
}));
export type PullInput = z.infer<typeof PullInput>;
export const PushInput = deferred(() => z.object({ ...engineSel, ref: ImageRefInput, auth: RegistryAuth.optional() }));
export type PushInput = z.infer<typeof PushInput>;

export const RemoveResult = deferred(() => z.object({
  untagged: z.array(z.string()),
  /** IDs the engine deleted (images, and on Docker also their layers). */
  deleted: z.array(z.string()),
}));
export type RemoveResult = z.infer<typeof RemoveResult>;

export const PruneResult = deferred(() => z.object({
  dryRun: z.boolean(),
  removed: z.array(z.object({ id: z.string(), tags: z.array(z.string()) })),
  untagged: z.array(z.string()),
  spaceReclaimed: z.number(),
}));
export type PruneResult = z.infer<typeof PruneResult>;

export const BuildInput = deferred(() => z.object({
  ...engineSel,
  /** A folder on the core's host. */
  contextDir: z.string().min(1, 'must not be empty').max(4096),
  /** Path of the Dockerfile inside the context (default "Dockerfile"). */
  dockerfile: z.string().min(1).max(4096).optional(),
  tags: z.array(ImageRefInput).max(32).default([]),
  buildArgs: z.record(z.string().min(1).max(256), z.string().max(65536)).default({}),
  target: z.string().min(1).max(256).optional(),
  noCache: z.boolean().default(false),
  /** Always try to pull a newer version of the base images. */
  pull: z.boolean().default(false),
  labels: Labels.default({}),
  ...BuildKitOptions,
}));
export type BuildInput = z.infer<typeof BuildInput>;

export const BuildItem = deferred(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('log'), text: z.string() }),
  z.object({ kind: z.literal('step'), index: z.number().int(), total: z.number().int(), instruction: z.string() }),
  z.object({ kind: z.literal('done'), id: z.string(), tags: z.array(z.string()), builder: Builder.optional() }),
  BuildBuilderItem,
  BuildGraphItem,
]));
export type BuildItem = z.infer<typeof BuildItem>;

export const SaveInput = deferred(() => z.object({
  ...engineSel,
  refs: z.array(ImageTargetInput).min(1, 'name at least one image').max(256),
  /** Absolute path of the tar file to write on the core's host. */
  path: z.string().min(1).max(4096),
  overwrite: z.boolean().default(false),
}));
export type SaveInput = z.infer<typeof SaveInput>;
export const LoadResult = deferred(() => z.object({ refs: z.array(z.string()), ids: z.array(z.string()) }));
export type LoadResult = z.infer<typeof LoadResult>;

const target = deferred(() => ({ ...engineSel, ref: ImageTargetInput }));

export const imagesApi = {
  'images.list': deferred(() => query('List images with what uses them', z.object({ ...engineSel, filter: ImageFilter.default('all') }), z.array(ImageSummary))),
  'images.inspect': deferred(() => query('Details of one image', z.object(target), ImageDetails)),
  'images.history': deferred(() => query('Layers of an image, newest first', z.object(target), z.array(ImageHistoryEntry))),
  'images.pull': deferred(() => subscription('Pull an image with aggregated progress; unsubscribe to cancel', PullInput, PullItem)),
  'images.push': deferred(() => subscription('Push an image with progress; unsubscribe to cancel', PushInput, PushItem)),
  'images.convert': deferred(() => mutation('Convert an image to eStargz for lazy pulling (containerd engines)', ConvertInput, ConvertResult)),
  'images.tag': deferred(() => mutation('Give an image another name', z.object({ ...engineSel, source: ImageTargetInput, target: ImageRefInput }), z.object({ target: z.string() }))),
  'images.remove': deferred(() => mutation(
    'Remove or untag an image (force: even if used by a stopped container or several names; needs confirm: true)',
    confirmed(z.object({ ...target, force: z.boolean().default(false), ...confirmField }), (o) => o.force, 'a forced removal deletes an image that is in use'),
    RemoveResult,
  )),
  'images.prune': deferred(() => mutation(
    'Remove dangling (or all unused) images; dryRun only computes what would go',
    confirmed(
      z.object({ ...engineSel, all: z.boolean().default(false), dryRun: z.boolean().default(false), ...confirmField }),
      (o) => o.all && !o.dryRun,
      'pruning all unused images deletes tagged images',
    ),
    PruneResult,
  )),
  // A build's log and step lines come in bursts (each BuildKit status gives several): one message per burst.
  'images.build': deferred(() => subscription('Build an image from a folder with streamed output; unsubscribe to cancel', BuildInput, BuildItem, { coalesce: true })),
  'images.buildStages': deferred(() => query('The stages of a Dockerfile in a build folder (the target picker)', BuildStagesInput, BuildStages)),
  'images.save': deferred(() => mutation('Write images to a tar file', SaveInput, z.object({ path: z.string(), bytes: z.number() }))),
  'images.load': deferred(() => mutation('Load images from a tar file', z.object({ ...engineSel, path: z.string().min(1).max(4096) }), LoadResult)),
};
