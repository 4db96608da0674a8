import * as z from 'zod';
import { mutation, query } from './rpc';
import { engineSel } from './common';
import { ErrorShape } from './errors';
import { deferred } from './deferred';

/** What an engine can do. Differences between engines are data, never branches outside adapters. */
export const EngineCapabilities = deferred(() => z.object({
  volumeEvents: z.boolean(),
  statsStream: z.boolean(),
  namespaces: z.boolean(),
  build: z.boolean(),
  compose: z.boolean(),
  exportContainer: z.boolean(),
  pauseUnpause: z.boolean(),
  /**
   * Container files (browse, read, download, upload): how the engine reaches them and whether it can diff against the image; absent: none.
   * `helper-container`: a short-lived Berth helper container reads a running container's files (nerdctl; stopped ones and uploads through `nerdctl cp`).
   */
  files: z.object({ via: z.enum(['archive-api', 'cli-copy', 'helper-container']), changes: z.boolean() }).optional(),
  /**
   * Differences of Docker-API-compatible engines (Podman), known once the engine's version was read.
   * `false`: the engine lacks it and the procedures using it answer NOT_SUPPORTED; absent: it has it.
   */
  /** Limits and restart policy changed in place (containers.update, in-place hardening). */
  containerUpdate: z.boolean().optional(),
  /** A running exec terminal can be resized. */
  execResize: z.boolean().optional(),
  /** The engine runs HEALTHCHECKs by itself (Podman needs systemd timers for them). */
  healthChecks: z.boolean().optional(),
  /** A running image build stops when cancelled. */
  buildCancel: z.boolean().optional(),
  /**
   * BuildKit for builds on a Docker-API engine: `engine` dockerd's own (no secrets, SSH, cache import/export, several platforms or
   * reproducible timestamps: those need `daemon`, a configured BuildKit daemon whose result is loaded). Absent: the engine's one builder.
   */
  buildkit: z.object({ engine: z.boolean(), daemon: z.boolean() }).optional(),
  /** The event stream reports network and image tag/untag events (else the lists refresh on container events and polls). */
  objectEvents: z.boolean().optional(),
  /** Volumes take driver options (type, device, o); `false`: volumes.create with driverOpts answers NOT_SUPPORTED (nerdctl). */
  volumeDriverOptions: z.boolean().optional(),
  /** A created container can be connected to / disconnected from a network; `false`: networks.connect/disconnect answer NOT_SUPPORTED (nerdctl). */
  networkConnect: z.boolean().optional(),
  /** Internal (no outside access) networks; `false`: networks.create with internal answers NOT_SUPPORTED (nerdctl has them: `network create --internal`). */
  internalNetworks: z.boolean().optional(),
  /** A disk usage report (system.df); `false`: it answers NOT_SUPPORTED. nerdctl has no `system df`: Berth computes it from its lists (see DiskUsage.notes). */
  diskUsage: z.boolean().optional(),
  /** A whole-engine prune (system.prune); `false`: it answers NOT_SUPPORTED (prune images, volumes and networks on their pages). */
  systemPrune: z.boolean().optional(),
  /** Container events carry the container's name, and a `stop` follows `die` (Docker); `false`: the id only, `die` without `stop` (containerd). */
  containerEventDetails: z.boolean().optional(),
  /** Lazy pulling of eStargz images (containerd with the stargz snapshotter registered): images.pull lazy, containers of such images start before they are downloaded. */
  lazyPull: z.boolean().optional(),
  /** Standard input kept open without a TTY (`run -d -i`); `false`: only together with a TTY (nerdctl refuses `-d -i` without `-t`). */
  openStdin: z.boolean().optional(),
  /** A published port given without a host port gets a free one from the engine; `false`: give one (rootless containerd; Berth's Run dialog picks one). */
  autoHostPort: z.boolean().optional(),
  /** Host ports below 1024 can be published; `false`: the engine may refuse them (rootless, unless the VM lowered the unprivileged port start). */
  lowHostPorts: z.boolean().optional(),
  /** Pulls report progress per layer (Docker); `false`: running totals only (nerdctl 2.3 through containerd's transfer service), bytesTotal known at the end. */
  layerProgress: z.boolean().optional(),
  /** Health status changes reach the change feed (Docker's health_status events); `false`: containerd's events carry no health status, so a container turning unhealthy raises no notification. */
  healthEvents: z.boolean().optional(),
}));
export type EngineCapabilities = z.infer<typeof EngineCapabilities>;

export const EngineKind = deferred(() => z.enum(['docker-api', 'nerdctl']));

export const EngineVersion = deferred(() => z.object({
  version: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  kernelVersion: z.string().optional(),
  operatingSystem: z.string().optional(),
  product: z.string().describe('Docker Engine, Podman Engine, containerd...'),
}));
export type EngineVersion = z.infer<typeof EngineVersion>;

export const EngineStatus = deferred(() => z.enum(['up', 'down', 'connecting']));
export type EngineStatus = z.infer<typeof EngineStatus>;

export const EngineDescription = deferred(() => z.object({
  id: z.string(),
  name: z.string(),
  kind: EngineKind,
  /** Where it is reached, e.g. `unix:///var/run/docker.sock`. */
  endpoint: z.string(),
  active: z.boolean(),
  status: EngineStatus,
  version: EngineVersion.optional(),
  error: ErrorShape.optional(),
  capabilities: EngineCapabilities,
}));
export type EngineDescription = z.infer<typeof EngineDescription>;

/** A containerd namespace name, as containerd accepts them. */
export const NamespaceName = deferred(() => z
  .string()
  .min(1, 'must not be empty')
  .max(76, 'must be at most 76 characters')
  .regex(/^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/, 'must be letters and digits, separated by single . _ or -'));

export const EngineNamespaces = deferred(() => z.object({
  engineId: z.string(),
  /** The namespace every operation of this engine acts in. */
  current: z.string(),
  /** Every namespace the engine knows (the current one and `default` included), sorted. */
  available: z.array(z.string()),
}));
export type EngineNamespaces = z.infer<typeof EngineNamespaces>;

export const enginesApi = {
  'engines.list': deferred(() => query('Every engine Berth knows, with its state, version and endpoint', z.object({}).strict(), z.array(EngineDescription))),
  'engines.setActive': deferred(() => mutation(
    'Make this engine the one every call without an engineId goes to (remembered in settings); lists resync',
    z.object({ id: z.string().min(1).max(100) }).strict(),
    z.object({ id: z.string() }),
  )),
  'engines.namespaces': deferred(() => query(
    'The containerd namespaces of an engine that has them (capabilities.namespaces), and the one in use',
    z.object({ ...engineSel }).strict(),
    EngineNamespaces,
  )),
  'engines.setNamespace': deferred(() => mutation(
    'Act in another containerd namespace on this engine (remembered in settings); lists resync',
    z.object({ ...engineSel, namespace: NamespaceName }).strict(),
    EngineNamespaces,
  )),
};
