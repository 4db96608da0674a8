import * as z from 'zod';
import { engineSel } from './common';
import { deferred } from './deferred';

/**
 * BuildKit additions to `images.build` (additive: every field has a default, old clients keep working).
 * A secret is given by reference only (a file on the core's host or an environment variable of the core):
 * its value never crosses the API, and neither the reference nor the value is stored in settings.
 */
export const BuildSecret = deferred(() => z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'letters, digits, "_", "." and "-" only'),
    src: z.string().min(1).max(4096).optional(),
    env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,255}$/, 'must be an environment variable name').optional(),
  })
  .refine((s) => (s.src === undefined) !== (s.env === undefined), 'give exactly one of src (a file) or env (a variable)'));
export type BuildSecret = z.infer<typeof BuildSecret>;

/** A cache location: `type=local,src=/dir`, `type=registry,ref=host/repo:cache` (BuildKit's own syntax). */
export const BuildCacheSpec = deferred(() => z.string().regex(/^type=(?:local|registry|inline)(?:,[a-z-]+=[^,\s]+)*$/, 'must look like type=local,dest=/dir or type=registry,ref=…'));

export const BuildKitOptions = deferred(() => ({
  /** `os/arch[/variant]`; more than one needs an engine that stores multi-platform images (containerd). */
  platforms: z.array(z.string().regex(/^[a-z0-9_]+\/[a-z0-9_]+(?:\/[a-z0-9_]+)?$/, 'must look like os/arch[/variant], e.g. linux/arm64')).max(8).default([]),
  secrets: z.array(BuildSecret).max(32).default([]),
  /** SSH agent forwarding: `default` or `id=/path/to/socket-or-key`. */
  ssh: z.array(z.string().regex(/^[A-Za-z0-9_.-]+(?:=\S+)?$/)).max(8).default([]),
  cacheFrom: z.array(BuildCacheSpec).max(8).default([]),
  cacheTo: z.array(BuildCacheSpec).max(8).default([]),
  /** Push the tags after a successful build. */
  push: z.boolean().default(false),
  /**
   * Reproducible build: sets SOURCE_DATE_EPOCH (seconds since 1970) as a build argument and rewrites the
   * timestamps of the image's files and history to it (BuildKit's rewrite-timestamp), so the same source
   * gives the same digest. The classic builder answers NOT_SUPPORTED.
   */
  sourceDateEpoch: z.number().int().min(0).max(253402300799).optional(),
}));

export const Builder = deferred(() => z.enum(['buildkit', 'classic']));
export type Builder = z.infer<typeof Builder>;

export const StepState = deferred(() => z.enum(['waiting', 'running', 'done', 'cached', 'failed']));

export const BuildGraphStep = deferred(() => z.object({
  id: z.string(),
  name: z.string(),
  stage: z.string().nullable(),
  index: z.number().int().nullable(),
  total: z.number().int().nullable(),
  instruction: z.string(),
  internal: z.boolean(),
  inputs: z.array(z.string()),
  state: StepState,
  started: z.number().nullable(),
  completed: z.number().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  /** The step's last log lines (the stream carries at most 200 per step). */
  logs: z.array(z.string()),
  logsDropped: z.number().int(),
  status: z.string().nullable(),
}));

export const BuildGraph = deferred(() => z.object({
  steps: z.array(BuildGraphStep),
  stages: z.array(z.object({ name: z.string(), stepIds: z.array(z.string()), state: StepState })),
  totalMs: z.number().nullable(),
  stepCount: z.number().int(),
  cachedCount: z.number().int(),
  cachedShare: z.number(),
  failure: z
    .object({ stepId: z.string().nullable(), message: z.string(), line: z.number().int().nullable(), file: z.string().nullable(), excerpt: z.array(z.string()) })
    .nullable(),
  warnings: z.array(z.string()),
  otherLines: z.array(z.string()),
}));
export type BuildGraph = z.infer<typeof BuildGraph>;

/** Stream items added for BuildKit: which builder runs (first item), and the step graph (throttled snapshots). */
export const BuildBuilderItem = deferred(() => z.object({
  kind: z.literal('builder'),
  builder: Builder,
  /** BuildKit on dockerd: `engine` is dockerd's own (the image goes straight into its store); `daemon` a BuildKit daemon whose result is loaded. */
  via: z.enum(['engine', 'daemon']).optional(),
  /** Why this builder runs (why not dockerd's own BuildKit, why the classic one). */
  reason: z.string().optional(),
}));
export const BuildGraphItem = deferred(() => z.object({ kind: z.literal('graph'), graph: BuildGraph }));

/** The stages of a Dockerfile (the build dialog's target picker): `images.buildStages`. */
export const BuildStagesInput = deferred(() => z.object({
  ...engineSel,
  contextDir: z.string().min(1, 'must not be empty').max(4096),
  dockerfile: z.string().min(1).max(4096).default('Dockerfile'),
}));
export type BuildStagesInput = z.infer<typeof BuildStagesInput>;
export const DockerfileStage = deferred(() => z.object({
  index: z.number().int(),
  name: z.string().nullable(),
  from: z.string(),
  platform: z.string().nullable(),
  line: z.number().int(),
}));
export const BuildStages = deferred(() => z.object({
  /** The Dockerfile read (absolute path on the core's host). */
  dockerfile: z.string(),
  stages: z.array(DockerfileStage),
  /** Names `--target` accepts, in file order (unnamed stages are not offered). */
  targets: z.array(z.string()),
}));
export type BuildStages = z.infer<typeof BuildStages>;

/**
 * The host folder of a BuildKit cache location of type `local` (`type=local,src=/dir` to import,
 * `type=local,dest=/dir` to export), or null for other types (registry, inline). Pure.
 */
export function localCacheFolder(spec: string): { key: 'src' | 'dest'; path: string } | null {
  const fields = spec.split(',');
  if (fields[0] !== 'type=local') return null;
  for (const f of fields.slice(1)) {
    const m = /^(src|dest)=(.+)$/.exec(f);
    if (m) return { key: m[1] as 'src' | 'dest', path: m[2] ?? '' };
  }
  return null;
}

/** The same location with its folder replaced (the path the file-access check resolved). */
export function withCacheFolder(spec: string, folder: string): string {
  return spec
    .split(',')
    .map((f) => f.replace(/^(src|dest)=.+$/, `$1=${folder}`))
    .join(',');
}

/**
 * What a build asks for that dockerd's own BuildKit (`POST /build?version=2`, no client session) cannot do:
 * these need a BuildKit daemon (BUILDKIT_HOST). Empty: dockerd's own BuildKit builds it. Pure.
 */
export function buildkitDaemonNeeds(input: {
  secrets: readonly unknown[];
  ssh: readonly unknown[];
  cacheFrom: readonly unknown[];
  cacheTo: readonly unknown[];
  platforms: readonly unknown[];
  sourceDateEpoch?: number | undefined;
}): string[] {
  return [
    input.secrets.length ? 'secrets' : '',
    input.ssh.length ? 'SSH forwarding' : '',
    input.cacheFrom.length || input.cacheTo.length ? 'cache import/export' : '',
    input.platforms.length > 1 ? 'several platforms' : '',
    input.sourceDateEpoch !== undefined ? 'reproducible timestamps' : '',
  ].filter(Boolean);
}
