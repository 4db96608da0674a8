import * as z from 'zod';
import { confirmField, confirmed } from './confirm';
import { mutation, query } from './rpc';
import { engineSel, Labels, ObjectRef, Timestamp } from './common';
import { AbsolutePath, ContainerName, Limits, PortSpec, Protocol, RestartPolicy, RunChanges, RunOptions, RunResult } from './containers-run';
import { deferred } from './deferred';

export * from './containers-run';

export const ContainerState = deferred(() => z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']));
export type ContainerState = z.infer<typeof ContainerState>;
export const Health = deferred(() => z.enum(['healthy', 'unhealthy', 'starting']));
export type Health = z.infer<typeof Health>;

/** A port as the container has it now: `hostPort` null when only exposed, not published. */
export const PortMapping = deferred(() => z.object({
  hostIp: z.string().nullable(),
  hostPort: z.number().int().nullable(),
  containerPort: z.number().int(),
  protocol: Protocol,
}));
export type PortMapping = z.infer<typeof PortMapping>;

/** From the com.docker.compose.* labels. */
export const ComposeInfo = deferred(() => z.object({
  project: z.string(),
  service: z.string(),
  workingDir: z.string().optional(),
  configFiles: z.array(z.string()).optional(),
  containerNumber: z.number().int().optional(),
  oneOff: z.boolean().optional(),
}));
export type ComposeInfo = z.infer<typeof ComposeInfo>;

export const MountType = deferred(() => z.enum(['bind', 'volume', 'tmpfs', 'npipe', 'other']));
export const MountInfo = deferred(() => z.object({
  type: MountType,
  /** Volume name, when a volume. */
  name: z.string().optional(),
  /** Host path (bind) or the volume's path on the engine's host. */
  source: z.string(),
  target: z.string(),
  readOnly: z.boolean(),
  driver: z.string().optional(),
}));
export type MountInfo = z.infer<typeof MountInfo>;

export const ContainerSummary = deferred(() => z.object({
  id: z.string(),
  /** Without the leading slash. */
  name: z.string(),
  image: z.string(),
  imageId: z.string(),
  command: z.string(),
  created: Timestamp,
  state: ContainerState,
  /** The engine's status text, e.g. "Up 3 minutes (healthy)". */
  status: z.string(),
  health: Health.nullable(),
  ports: z.array(PortMapping),
  labels: Labels,
  compose: ComposeInfo.nullable(),
  mounts: z.array(MountInfo),
  /** Network names. */
  networks: z.array(z.string()),
}));
export type ContainerSummary = z.infer<typeof ContainerSummary>;

export const HealthLogEntry = deferred(() => z.object({ start: Timestamp, end: Timestamp, exitCode: z.number().int(), output: z.string() }));

export const ContainerStateDetails = deferred(() => z.object({
  status: ContainerState,
  running: z.boolean(),
  paused: z.boolean(),
  restarting: z.boolean(),
  oomKilled: z.boolean(),
  dead: z.boolean(),
  pid: z.number().int(),
  exitCode: z.number().int(),
  error: z.string(),
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  health: z.object({ status: Health, failingStreak: z.number().int(), log: z.array(HealthLogEntry) }).nullable(),
}));

export const EnvVarOut = deferred(() => z.object({ name: z.string(), value: z.string() }));

export const ContainerConfig = deferred(() => z.object({
  image: z.string(),
  cmd: z.array(z.string()).nullable(),
  entrypoint: z.array(z.string()).nullable(),
  env: z.array(EnvVarOut),
  workingDir: z.string(),
  user: z.string(),
  hostname: z.string(),
  tty: z.boolean(),
  openStdin: z.boolean(),
  labels: Labels,
  stopSignal: z.string().nullable(),
}));

export const ContainerHostConfig = deferred(() => z.object({
  restartPolicy: z.object({ name: z.string(), maximumRetryCount: z.number().int() }),
  autoRemove: z.boolean(),
  networkMode: z.string(),
  /** The ports as configured (hostPort absent: a free one is picked at each start). */
  portBindings: z.array(PortSpec),
  limits: z.object({
    nanoCpus: z.number().int(),
    /** CPUs from NanoCpus or CpuQuota/CpuPeriod; null without a limit. */
    cpus: z.number().nullable(),
    memoryBytes: z.number().int().nullable(),
    pidsLimit: z.number().int().nullable(),
  }),
  security: z.object({
    readonlyRootfs: z.boolean(),
    capAdd: z.array(z.string()),
    capDrop: z.array(z.string()),
    noNewPrivileges: z.boolean(),
    seccompProfile: z.string().nullable(),
    apparmorProfile: z.string().nullable(),
    privileged: z.boolean(),
  }),
  /** The OCI runtime (runc, runsc...); absent when the engine does not say. */
  runtime: z.string().optional(),
  /** `--sysctl` values asked for (not the engine's own defaults); absent when there are none. */
  sysctls: z.record(z.string(), z.string()).optional(),
}));

export const NetworkAttachment = deferred(() => z.object({
  name: z.string(),
  networkId: z.string(),
  ipAddress: z.string(),
  ipPrefixLen: z.number().int(),
  ipv6Address: z.string(),
  gateway: z.string(),
  macAddress: z.string(),
  aliases: z.array(z.string()),
}));

export const ContainerDetails = deferred(() => z.object({
  id: z.string(),
  name: z.string(),
  created: Timestamp,
  /** The image reference the container was created from. */
  image: z.string(),
  imageId: z.string(),
  /** The process: entrypoint + cmd as it runs. */
  path: z.string(),
  args: z.array(z.string()),
  restartCount: z.number().int(),
  platform: z.string(),
  state: ContainerStateDetails,
  config: ContainerConfig,
  hostConfig: ContainerHostConfig,
  ports: z.array(PortMapping),
  mounts: z.array(MountInfo),
  networks: z.array(NetworkAttachment),
  compose: ComposeInfo.nullable(),
  /** Its image's layers are read lazily, fetched on first use (containerd's stargz snapshotter); absent: not, or not known. */
  lazy: z.boolean().optional(),
  /** The engine's own inspect document, for the Inspect tab. */
  raw: z.record(z.string(), z.unknown()),
}));
export type ContainerDetails = z.infer<typeof ContainerDetails>;

const Id = deferred(() => ({ ...engineSel, id: ObjectRef }));
const Timeout = deferred(() => z.number().int().min(0, 'must be 0 or more').max(3600, 'must be at most 3600 seconds').optional());
const Done = deferred(() => z.object({ id: z.string() }));

export const UpdateResult = deferred(() => z.object({ id: z.string(), warnings: z.array(z.string()) }));
export const ExportResult = deferred(() => z.object({ path: z.string(), bytes: z.number().int() }));
export const RunCommand = deferred(() => z.object({ docker: z.string(), nerdctl: z.string(), warnings: z.array(z.string()) }));
export type RunCommand = z.infer<typeof RunCommand>;

export const containersApi = {
  'containers.list': deferred(() => query(
    'Containers with state, health, ports and compose project',
    z
      .object({
        ...engineSel,
        all: z.boolean().default(true),
        /** Only these containers (full or short ids; those that do not exist are left out): what a change feed item names. */
        ids: z.array(ObjectRef).min(1).max(100).optional(),
      })
      .strict(),
    z.array(ContainerSummary),
  )),
  'containers.inspect': deferred(() => query('One container in detail, with the engine\'s raw document', z.object(Id).strict(), ContainerDetails)),
  'containers.run': deferred(() => mutation('Create and start a container; removed again if it cannot start', z.object({ ...engineSel, options: RunOptions }).strict(), RunResult)),
  'containers.create': deferred(() => mutation('Create a container without starting it', z.object({ ...engineSel, options: RunOptions }).strict(), RunResult)),
  'containers.start': deferred(() => mutation('Start a container', z.object(Id).strict(), Done)),
  'containers.stop': deferred(() => mutation('Stop a container (SIGTERM, then SIGKILL after the timeout)', z.object({ ...Id, timeoutSeconds: Timeout }).strict(), Done)),
  'containers.restart': deferred(() => mutation('Restart a container', z.object({ ...Id, timeoutSeconds: Timeout }).strict(), Done)),
  'containers.kill': deferred(() => mutation(
    'Send a signal to a container (SIGKILL by default)',
    z.object({ ...Id, signal: z.string().regex(/^(?:SIG)?[A-Z0-9+-]+$|^\d+$/, 'must be a signal name such as SIGTERM or a number').optional() }).strict(),
    Done,
  )),
  'containers.pause': deferred(() => mutation('Pause a container', z.object(Id).strict(), Done)),
  'containers.unpause': deferred(() => mutation('Unpause a container', z.object(Id).strict(), Done)),
  'containers.rename': deferred(() => mutation('Rename a container', z.object({ ...Id, newName: ContainerName }).strict(), Done)),
  'containers.remove': deferred(() => mutation(
    'Remove a container (force: even when running; volumes: its anonymous volumes too)',
    confirmed(
      z.object({ ...Id, force: z.boolean().default(false), volumes: z.boolean().default(false), ...confirmField }).strict(),
      (o) => o.force || o.volumes,
      'removing with force or with its volumes deletes a running container or data',
    ),
    Done,
  )),
  'containers.update': deferred(() => mutation(
    'Change the limits or restart policy of a container, running or not',
    z
      .object({ ...Id, limits: Limits.optional(), restartPolicy: RestartPolicy.optional() })
      .strict()
      .refine((o) => o.limits !== undefined || o.restartPolicy !== undefined, 'give limits or a restart policy to change'),
    UpdateResult,
  )),
  'containers.recreate': deferred(() => mutation(
    'Replace a container by a copy with changes, under the same name; the original is put back if the copy fails',
    z.object({ ...Id, changes: RunChanges, timeoutSeconds: Timeout.describe('how long the old container gets to stop before SIGKILL') }).strict(),
    RunResult,
  )),
  'containers.export': deferred(() => mutation(
    "Write a container's filesystem as a tar file on the core's host",
    z.object({ ...Id, path: AbsolutePath, overwrite: z.boolean().default(false) }).strict(),
    ExportResult,
  )),
  'containers.runCommand': deferred(() => query(
    'The docker run / nerdctl run command line for these options, shell-quoted',
    z.object({ ...engineSel, runOptions: RunOptions }).strict(),
    RunCommand,
  )),
  'containers.freePort': deferred(() => query(
    'A host port free now that no container of the engine publishes: what the Run dialog fills in where the engine cannot pick one (capability autoHostPort false)',
    z.object({ ...engineSel, hostIp: z.string().max(64).optional(), protocol: z.enum(['tcp', 'udp', 'sctp']).default('tcp') }).strict(),
    z.object({ port: z.number().int().min(1).max(65535) }),
  )),
};
