import * as z from 'zod';
import { mutation, query } from './rpc';
import { engineSel, ObjectRef } from './common';
import { RunChanges } from './containers-run';
import { deferred } from './deferred';

/**
 * Security posture: findings of the check catalogue (app/core/posture) per container, the level
 * they add up to (the weakest link), acknowledgements, hardening previews and runtimes.
 */

/** Weakest to strongest. A container's level is the lowest one whose requirements it meets. */
export const PostureLevel = deferred(() => z.enum(['unconfined', 'baseline', 'restricted', 'hardened']));
export type PostureLevel = z.infer<typeof PostureLevel>;
export const POSTURE_LEVELS: readonly PostureLevel[] = PostureLevel.options;

export const Severity = deferred(() => z.enum(['critical', 'high', 'medium', 'low', 'info']));
export type Severity = z.infer<typeof Severity>;

export const CheckGroup = deferred(() => z.enum(['privilege', 'capabilities', 'syscalls', 'namespaces', 'mounts', 'resources', 'network', 'secrets', 'image', 'runtime']));
export type CheckGroup = z.infer<typeof CheckGroup>;

/** How a fix is applied: on the running container, by a conservative recreate, or a strict opt-in recreate. */
export const FixClass = deferred(() => z.enum(['in-place', 'recreate', 'strict']));
export type FixClass = z.infer<typeof FixClass>;

export const Finding = deferred(() => z.object({
  checkId: z.string(),
  group: CheckGroup,
  title: z.string(),
  /** Plain words: what is wrong here and why it matters, with this container's values (never secret values). */
  reason: z.string(),
  severity: Severity,
  /** The level this finding keeps the container below (null: informational, no effect on the level). */
  blocks: PostureLevel.nullable(),
  /** The flag that fixes it, e.g. `--security-opt no-new-privileges`. */
  fix: z.string(),
  /** A hardening item that applies this fix, when Berth can. */
  fixId: z.string().nullable(),
  cis: z.string().nullable(),
  pss: z.string().nullable(),
  acknowledged: z.object({ reason: z.string(), at: z.string() }).nullable(),
}));
export type Finding = z.infer<typeof Finding>;

export const ImageMinimality = deferred(() => z.object({
  imageId: z.string(),
  /** distroless: no shell and no package manager; slim: a small distribution; full: a general-purpose one. */
  class: z.enum(['distroless', 'slim', 'full']),
  /** The distribution (from /etc/os-release), when there is one. */
  distro: z.string().nullable(),
  shell: z.string().nullable(),
  packageManager: z.string().nullable(),
  /** The image's USER; '' means root. */
  user: z.string(),
  nonRootUser: z.boolean(),
  sizeBytes: z.number().int(),
  sizeBand: z.enum(['tiny', 'small', 'medium', 'large', 'huge']),
}));
export type ImageMinimality = z.infer<typeof ImageMinimality>;

export const ContainerPosture = deferred(() => z.object({
  id: z.string(),
  name: z.string(),
  level: PostureLevel,
  /** The runtime the container runs under, e.g. runc or runsc (gVisor). */
  runtime: z.string(),
  /** A friendly name: gVisor, Kata, runc, crun. */
  runtimeLabel: z.string(),
  sandboxed: z.boolean(),
  findings: z.array(Finding),
  /** Findings not acknowledged, info excluded. */
  open: z.number().int(),
  composeProject: z.string().nullable(),
}));
export type ContainerPosture = z.infer<typeof ContainerPosture>;

/** The short form for lists: no findings, only counts. */
export const PostureBadge = deferred(() => z.object({
  id: z.string(),
  level: PostureLevel,
  open: z.number().int(),
  runtime: z.string(),
  sandboxed: z.boolean(),
}));
export type PostureBadge = z.infer<typeof PostureBadge>;

export const PostureContext = deferred(() => z.object({
  rootless: z.boolean(),
  userns: z.boolean(),
  /** Ports are forwarded to the host's loopback by a VM (not exposed on the LAN). */
  vmForwarded: z.boolean(),
}));
export type PostureContext = z.infer<typeof PostureContext>;

export const PostureSummary = deferred(() => z.object({
  context: PostureContext,
  containers: z.array(ContainerPosture),
  /** Containers that could not be read (removed meanwhile, engine errors), as data. */
  errors: z.array(z.object({ id: z.string(), message: z.string() })),
}));

export const HardeningItem = deferred(() => z.object({
  id: z.string(),
  class: FixClass,
  title: z.string(),
  /** Why, in plain words, and what could break. */
  detail: z.string(),
  /** Checks it fixes. */
  fixes: z.array(z.string()),
  /** On by default in a preview (conservative items); strict items are opt-in. */
  recommended: z.boolean(),
}));
export type HardeningItem = z.infer<typeof HardeningItem>;

export const HardeningPreview = deferred(() => z.object({
  id: z.string(),
  name: z.string(),
  items: z.array(HardeningItem),
  selected: z.array(z.string()),
  /** Changes applied in place (limits, restart policy): no recreate. */
  update: z.object({ limits: z.record(z.string(), z.number()).optional(), restartPolicy: z.object({ name: z.string(), maximumRetryCount: z.number().int().optional() }).optional() }).nullable(),
  /** Changes applied by recreating the container; null when nothing selected needs a recreate. */
  recreate: RunChanges.nullable(),
  /** Lines before/after, `-`/`+`. */
  diff: z.array(z.object({ op: z.enum(['-', '+', ' ']), text: z.string() })),
  cli: z.string(),
  compose: z.string(),
  /** Compose-managed: Berth gives the override snippet and does not recreate. */
  composeManaged: z.boolean(),
  levelBefore: PostureLevel,
  levelAfter: PostureLevel,
  warnings: z.array(z.string()),
}));
export type HardeningPreview = z.infer<typeof HardeningPreview>;

export const HealthGate = deferred(() => z.object({
  /** How long the new container must keep running (and be healthy, when it has a healthcheck). */
  seconds: z.number().int().min(1).max(600).default(5),
  /** A command run in the container that must exit 0. */
  exec: z.array(z.string().min(1)).min(1).max(64).optional(),
}));
export type HealthGate = z.infer<typeof HealthGate>;

export const HardeningResult = deferred(() => z.object({
  id: z.string(),
  name: z.string(),
  applied: z.array(z.string()),
  /** The stopped original, kept as a backup until removed. */
  backupName: z.string().nullable(),
  warnings: z.array(z.string()),
  levelAfter: PostureLevel,
}));
export type HardeningResult = z.infer<typeof HardeningResult>;

export const RuntimeInfo = deferred(() => z.object({
  name: z.string(),
  label: z.string(),
  path: z.string().nullable(),
  default: z.boolean(),
  sandboxed: z.boolean(),
}));
export type RuntimeInfo = z.infer<typeof RuntimeInfo>;

const Id = deferred(() => ({ ...engineSel, id: ObjectRef }));
const ItemIds = deferred(() => z.array(z.string().min(1).max(64)).max(64));

export const securityApi = {
  'security.posture': deferred(() => query('The security posture of one container: findings, level, runtime', z.object(Id).strict(), ContainerPosture)),
  'security.summary': deferred(() => query('The security posture of every container of an engine', z.object({ ...engineSel }).strict(), PostureSummary)),
  'security.badges': deferred(() => query(
    'Posture level per container, for lists (cached per change); ids: only these containers (the rows on screen), in that order; without it, every container',
    z.object({ ...engineSel, ids: z.array(ObjectRef).max(10_000).optional() }).strict(),
    z.array(PostureBadge),
  )),
  'security.acknowledge': deferred(() => mutation(
    'Acknowledge a finding with a reason (remembered); an empty reason is refused',
    z.object({ ...Id, checkId: z.string().min(1).max(64), reason: z.string().trim().min(3, 'give a reason (at least 3 characters)').max(500) }).strict(),
    ContainerPosture,
  )),
  'security.unacknowledge': deferred(() => mutation('Withdraw an acknowledgement', z.object({ ...Id, checkId: z.string().min(1).max(64) }).strict(), ContainerPosture)),
  'security.hardeningPreview': deferred(() => query(
    'What hardening would change: items, diff, CLI line and compose snippet (selected: the items to apply; default the recommended)',
    z.object({ ...Id, selected: ItemIds.optional() }).strict(),
    HardeningPreview,
  )),
  'security.harden': deferred(() => mutation(
    'Apply hardening items: in-place first, then a recreate that keeps the original stopped as a backup and rolls back when the health gate fails',
    z.object({ ...Id, selected: ItemIds.min(1, 'select at least one item'), gate: HealthGate.prefault({}) }).strict(),
    HardeningResult,
  )),
  'security.runtimes': deferred(() => query('The OCI runtimes an engine offers (runc, crun, runsc...)', z.object({ ...engineSel }).strict(), z.array(RuntimeInfo))),
  'security.imageMinimality': deferred(() => query(
    'How minimal an image is: distroless/slim/full, shell, package manager, USER, size band',
    z.object({ ...engineSel, id: z.string().min(1).max(1024) }).strict(),
    ImageMinimality,
  )),
};

/** The acknowledgements file in the data folder (`security-acks.json`), keyed `engineId/containerName`. */
export const AcksFile = deferred(() => z.object({
  version: z.literal(1),
  acks: z.record(z.string(), z.record(z.string(), z.object({ reason: z.string(), at: z.string() }))),
}));
