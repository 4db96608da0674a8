import type Docker from 'dockerode';
import type { EngineCapabilities } from '../../app/contract/engines';
import { NERDCTL_CAPABILITIES } from '../../app/adapters/engine/nerdctl/index';
import { rawDocker, testNerdctl } from '../support/engine';
import { nerdctlInspect, nerdctlRaw } from '../support/nerdctl-raw';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { objectsKit, type ObjectsKit } from './system-kit';

/**
 * Engine-neutral arranging and checking for the volumes and networks suites: dockerode on the
 * Docker-API projects, the test's own nerdctl (never Berth's adapter) in the `nerdctl` project.
 * Inspect results have Docker's key names where the suites look (nerdctl's dockercompat output).
 */
export interface KitContainer {
  readonly id: string;
  remove(opts?: { force?: boolean }): Promise<unknown>;
  /** Until it exits. */
  wait(): Promise<unknown>;
  /** The engine's container inspect, Docker's keys (nerdctl's dockercompat) where the suites look. */
  inspect(): Promise<{ NetworkSettings: { Networks: Record<string, { IPAddress?: string; Aliases?: string[] | null } | undefined> } }>;
}

export interface RawVolume {
  Name: string;
  Mountpoint?: string;
  Labels?: Record<string, string> | null;
  Options?: Record<string, string> | null;
}

export interface RawNetwork {
  Id?: string;
  Name: string;
  IPAM?: { Config?: Array<Record<string, string>> };
  Labels?: Record<string, string> | null;
  Internal?: boolean;
  Attachable?: boolean;
  Containers?: Record<string, { IPv4Address?: string }> | null;
}

export interface EngineObjects extends Omit<ObjectsKit, 'container'> {
  container(opts: { name?: string; cmd?: string[]; start?: boolean; volume?: { source: string; target: string }; network?: string }): Promise<KitContainer>;
  /** A volume with this file's labels, made by the engine directly (not through Berth). */
  createVolume(name: string): Promise<void>;
  containerExists(id: string): Promise<boolean>;
  start(id: string): Promise<void>;
  /** Runs `cmd` in the running container, detached. */
  execDetached(id: string, cmd: string[]): Promise<void>;
  /** Stops it (1 s grace). */
  stop(id: string): Promise<void>;
  /** What system.version should say, read from the engine's own version output. */
  expectedVersion(): Promise<{ version: string; apiVersion: string; os: string; arch: string; product: string }>;
  /** Another client measuring disk usage meanwhile: Docker's GET /system/df; nerdctl's `volume ls --size` (it has no system df). */
  otherClientDiskUsage(): Promise<unknown>;
  /** The engine's own info document (Docker's keys; nerdctl's dockercompat info). */
  rawInfo(): Promise<Record<string, unknown>>;
  /** The engine's own inspect of a volume, or null when it has none by that name. */
  volume(name: string): Promise<RawVolume | null>;
  /** Names of the volumes this file made (its tag label). */
  volumeNames(): Promise<string[]>;
  network(idOrName: string): Promise<RawNetwork | null>;
  /** The networks whose name is exactly this. */
  networksNamed(name: string): Promise<RawNetwork[]>;
  /** The IPAM driver of a network created without one: Docker's `default`, the CNI `host-local` plugin nerdctl configures. */
  readonly defaultIpamDriver: string;
}

/** The capabilities of the project's engine: the nerdctl adapter's in the `nerdctl` project, else null (Docker API: all). */
export function projectCapabilities(): EngineCapabilities | null {
  return testNerdctl() ? NERDCTL_CAPABILITIES : null;
}

/** Why a test cannot apply to this project's engine (it lacks `cap`), or null. */
export function lacks(cap: keyof EngineCapabilities): string | null {
  const caps = projectCapabilities();
  return caps && caps[cap] === false ? `the engine lacks the "${cap}" capability` : null;
}

export function engineObjects(image: string, file: string): EngineObjects {
  const n = testNerdctl();
  return n ? nerdctlObjects(n, image, file) : dockerObjects(rawDocker(), image, file);
}

function dockerObjects(docker: Docker, image: string, file: string): EngineObjects {
  const kit = objectsKit(docker, image, file);
  const notFound = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;
  return {
    tag: kit.tag,
    labels: kit.labels,
    name: kit.name,
    cleanup: kit.cleanup,
    defaultIpamDriver: 'default',
    async createVolume(name) {
      await docker.createVolume({ Name: name, Labels: kit.labels });
    },
    async start(id) {
      await docker.getContainer(id).start();
    },
    async execDetached(id, cmd) {
      const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: false, AttachStderr: false });
      await exec.start({ Detach: true });
    },
    async stop(id) {
      await docker.getContainer(id).stop({ t: 1 });
    },
    async containerExists(id) {
      return (await docker.getContainer(id).inspect().catch((err: unknown) => (notFound(err) ? null : Promise.reject(err)))) !== null;
    },
    async expectedVersion() {
      const raw = await docker.version();
      return { version: raw.Version, apiVersion: raw.ApiVersion, os: raw.Os, arch: raw.Arch, product: 'Docker Engine' };
    },
    async rawInfo() {
      return (await docker.info()) as Record<string, unknown>;
    },
    otherClientDiskUsage: () => docker.df(),
    container: (o) =>
      kit.container({
        ...(o.name ? { name: o.name } : {}),
        ...(o.cmd ? { cmd: o.cmd } : {}),
        ...(o.start !== undefined ? { start: o.start } : {}),
        ...(o.network ? { network: o.network } : {}),
        ...(o.volume ? { mounts: [{ Type: 'volume', Source: o.volume.source, Target: o.volume.target }] } : {}),
      }),
    async volume(name) {
      return (await docker.getVolume(name).inspect().catch((err: unknown) => (notFound(err) ? null : Promise.reject(err)))) as RawVolume | null;
    },
    async volumeNames() {
      return ((await docker.listVolumes({ filters: { label: [`berth.test.file=${kit.tag}`] } })).Volumes ?? []).map((v) => v.Name).sort();
    },
    async network(id) {
      return (await docker.getNetwork(id).inspect().catch((err: unknown) => (notFound(err) ? null : Promise.reject(err)))) as RawNetwork | null;
    },
    async networksNamed(name) {
      return (await docker.listNetworks({ filters: { name: [name] } })).filter((x) => x.Name === name) as RawNetwork[];
    },
  };
}

function nerdctlObjects(n: NerdctlTestEngine, image: string, file: string): EngineObjects {
  const kit = objectsKit(undefined as unknown as Docker, image, file);
  const labelArgs = Object.entries(kit.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const mine = ['--filter', `label=berth.test.file=${kit.tag}`];
  const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);
  /** inspect that answers null when nerdctl says the object does not exist (any other failure throws). */
  async function inspect<T>(args: string[]): Promise<T | null> {
    try {
      const [doc] = JSON.parse((await nerdctlRaw(n, ...args)).stdout) as T[];
      return doc ?? null;
    } catch (err) {
      if (/no such|not found|no network found matching/i.test(String((err as { stderr?: string }).stderr ?? err))) return null;
      throw err;
    }
  }
  return {
    tag: kit.tag,
    labels: kit.labels,
    name: kit.name,
    defaultIpamDriver: 'host-local',
    async createVolume(name) {
      await nerdctlRaw(n, 'volume', 'create', ...labelArgs, name);
    },
    async start(id) {
      await nerdctlRaw(n, 'start', id);
    },
    async execDetached(id, cmd) {
      await nerdctlRaw(n, 'exec', '-d', id, ...cmd);
    },
    async stop(id) {
      await nerdctlRaw(n, 'stop', '-t', '1', id);
    },
    async containerExists(id) {
      return (await inspect(['container', 'inspect', id])) !== null;
    },
    async expectedVersion() {
      const v = JSON.parse((await nerdctlRaw(n, 'version', '--format', '{{json .}}')).stdout) as {
        Client: { Version: string; Os: string; Arch: string };
        Server: { Components: Array<{ Name: string; Version: string }> };
      };
      const containerd = v.Server.Components.find((c) => c.Name === 'containerd');
      return { version: (containerd?.Version ?? '?').replace(/^v/, ''), apiVersion: `nerdctl ${v.Client.Version.replace(/^v/, '')}`, os: v.Client.Os, arch: v.Client.Arch, product: 'containerd' };
    },
    async rawInfo() {
      return JSON.parse((await nerdctlRaw(n, 'info', '--format', '{{json .}}')).stdout) as Record<string, unknown>;
    },
    otherClientDiskUsage: () => nerdctlRaw(n, 'volume', 'ls', '--size'),
    async container(o) {
      const args = [o.start === false ? 'create' : 'run', ...(o.start === false ? [] : ['-d']), ...labelArgs];
      if (o.name) args.push('--name', o.name);
      if (o.network) args.push('--network', o.network);
      if (o.volume) args.push('-v', `${o.volume.source}:${o.volume.target}`);
      const { stdout } = await nerdctlRaw(n, ...args, image, ...(o.cmd ?? ['sleep', '1000']));
      const id = lines(stdout).pop() ?? '';
      return { id, remove: (r) => nerdctlRaw(n, 'rm', ...(r?.force ? ['-f'] : []), id), wait: () => nerdctlRaw(n, 'wait', id), inspect: () => nerdctlInspect(n, id) };
    },
    async volume(name) {
      return inspect<RawVolume>(['volume', 'inspect', name]);
    },
    async volumeNames() {
      return lines((await nerdctlRaw(n, 'volume', 'ls', '-q', ...mine)).stdout).sort();
    },
    async network(id) {
      const doc = await inspect<RawNetwork>(['network', 'inspect', '--mode=dockercompat', id]);
      if (!doc) return null;
      // dockercompat leaves out Internal: the native CNI config says it (an internal bridge is no gateway, no masquerade).
      // Any nerdctl network takes any container (Docker's Attachable has no counterpart to turn off).
      const native = await inspect<{ CNI?: { plugins?: Array<{ type?: string; isGateway?: boolean; ipMasq?: boolean }> } }>(['network', 'inspect', '--mode=native', id]);
      const bridge = native?.CNI?.plugins?.find((p) => p.type === 'bridge');
      return { ...doc, Internal: !!bridge && !bridge.isGateway && !bridge.ipMasq, Attachable: true };
    },
    async networksNamed(name) {
      const names = lines((await nerdctlRaw(n, 'network', 'ls', '--format', '{{.Name}}')).stdout);
      return names.includes(name) ? [(await inspect<RawNetwork>(['network', 'inspect', '--mode=dockercompat', name])) ?? { Name: name }] : [];
    },
    async cleanup() {
      const ids = lines((await nerdctlRaw(n, 'ps', '-aq', '--no-trunc', ...mine)).stdout);
      if (ids.length) await nerdctlRaw(n, 'rm', '-f', '-v', ...ids).catch(() => undefined);
      const vols = lines((await nerdctlRaw(n, 'volume', 'ls', '-q', ...mine)).stdout);
      if (vols.length) await nerdctlRaw(n, 'volume', 'rm', ...vols).catch(() => undefined);
      const nets = lines((await nerdctlRaw(n, 'network', 'ls', '-q', ...mine)).stdout);
      for (const id of nets) await nerdctlRaw(n, 'network', 'rm', id).catch(() => undefined);
    },
  };
}
