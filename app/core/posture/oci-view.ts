import { BerthError } from '../../contract/errors';
import type { EngineSecurityContext, SecurityView } from './view';
import { ALL_CAPABILITIES, addedCapabilities, normalizeCapabilityList } from './capabilities';

/**
 * `nerdctl inspect --mode native` (containerd's container record with its OCI runtime spec) →
 * the normalized security view. The spec is what runc is given, so these values are effective by
 * construction: capabilities are the bounding set, a missing namespace is the host's.
 */

interface OciMount {
  destination?: string;
  type?: string;
  source?: string;
  options?: string[];
}
interface OciSpec {
  process?: {
    user?: { uid?: number; gid?: number; username?: string };
    env?: string[];
    capabilities?: { bounding?: string[] };
    noNewPrivileges?: boolean;
    apparmorProfile?: string;
    selinuxLabel?: string;
  };
  root?: { readonly?: boolean };
  mounts?: OciMount[];
  linux?: {
    namespaces?: Array<{ type?: string; path?: string }>;
    seccomp?: unknown;
    resources?: { memory?: { limit?: number }; cpu?: { quota?: number; period?: number }; pids?: { limit?: number }; devices?: Array<{ allow?: boolean; access?: string; type?: string }> };
    devices?: Array<{ path?: string }>;
    sysctl?: Record<string, string>;
    maskedPaths?: string[];
    readonlyPaths?: string[];
  };
}
export interface NativeContainer {
  ID?: string;
  Labels?: Record<string, string>;
  Image?: string;
  /** Options: the shim's options as protobuf Any (`type_url`, base64 `value`); runc's carry a binary_name (runsc, crun...). */
  Runtime?: { Name?: string; Options?: { type_url?: string; value?: string } | null };
  Spec?: OciSpec;
  Process?: { Status?: { Status?: string } };
}

const LABEL_NAME = 'nerdctl/name';
const LABEL_PORTS = 'nerdctl/ports';
const LABEL_RESTART = 'containerd.io/restart.policy';
const LABEL_NETWORKS = 'nerdctl/networks';

/** `io.containerd.runsc.v1` → runsc; `io.containerd.runc.v2` → runc; a path → its file name. */
/**
 * The binary_name (field 6) of containerd's runc shim options (`containerd.runc.v1.Options`, protobuf in base64):
 * nerdctl's `--runtime runsc` (or a path) runs that binary through the runc shim, as dockerd registers runsc.
 * '' without one, or for another shim's options.
 */
export function runcBinaryName(opts: { type_url?: string; value?: string } | null | undefined): string {
  if (!opts?.value || !/runc\.v1\.Options$/.test(opts.type_url ?? '')) return '';
  const b = Uint8Array.from(atob(opts.value), (ch) => ch.charCodeAt(0));
  let i = 0;
  const varint = (): number => {
    let x = 0;
    for (let shift = 0; i < b.length && shift < 64; shift += 7) {
      const byte = b[i++] as number;
      x += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return x;
    }
    return -1;
  };
  while (i < b.length) {
    const key = varint();
    if (key < 0) return '';
    const wire = key % 8;
    if (wire === 0) {
      if (varint() < 0) return '';
    } else if (wire === 2) {
      const len = varint();
      if (len < 0 || i + len > b.length) return '';
      if (Math.floor(key / 8) === 6) return new TextDecoder().decode(b.subarray(i, i + len));
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else return '';
  }
  return '';
}

export function runtimeName(name: string | undefined): string {
  if (!name) return 'runc';
  const m = /^io\.containerd\.([a-z0-9-]+)\.v\d+$/.exec(name);
  if (m) return m[1] as string;
  return name.split('/').pop() || name;
}

/** A JSON label nerdctl writes; one that does not parse is an error naming it, never "nothing". */
function jsonLabel<T>(labels: Record<string, string>, key: string, fallback: T): T {
  const raw = labels[key];
  if (raw === undefined || raw === '') return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch (err) {
    throw new BerthError('INTERNAL', `The container's label ${key} is not valid JSON (${err instanceof Error ? err.message : String(err)}).`);
  }
}

function parsePorts(labels: Record<string, string>): SecurityView['ports'] {
  const list = jsonLabel<Array<{ HostPort?: number; ContainerPort?: number; Protocol?: string; HostIP?: string }>>(labels, LABEL_PORTS, []);
  return list.map((p) => ({ hostIp: p.HostIP ?? '', hostPort: p.HostPort ?? 0, containerPort: p.ContainerPort ?? 0, protocol: p.Protocol ?? 'tcp' }));
}

function parseRestart(label: string | undefined): SecurityView['restartPolicy'] {
  if (!label) return { name: 'no', maximumRetryCount: 0 };
  const [name = 'no', n] = label.split(':');
  return { name, maximumRetryCount: n ? Number.parseInt(n, 10) || 0 : 0 };
}

const envPairs = (env: readonly string[]) =>
  env.map((e) => {
    const i = e.indexOf('=');
    return i < 0 ? { name: e, value: '' } : { name: e.slice(0, i), value: e.slice(i + 1) };
  });

const propagationOf = (opts: readonly string[]) => opts.find((o) => /^r?(?:shared|slave|private|unbindable)$/.test(o)) ?? '';

/** Mounts nerdctl always adds (proc, dev, sys, cgroup, its own resolv.conf/hosts/hostname files). */
const isPlumbing = (m: OciMount) =>
  ['proc', 'sysfs', 'cgroup', 'cgroup2', 'mqueue', 'devpts'].includes(m.type ?? '') ||
  ['/dev', '/dev/shm', '/proc', '/sys', '/sys/fs/cgroup', '/etc/resolv.conf', '/etc/hosts', '/etc/hostname'].includes(m.destination ?? '');

/**
 * `ports`: the published ports, which the native record of nerdctl 2 does not hold (they live in
 * nerdctl's own state; the adapter reads them from its Docker-compatible inspect).
 */
export function nativeSecurityView(c: NativeContainer, ctx: EngineSecurityContext, extra: { ports?: SecurityView['ports'] } = {}): SecurityView {
  const spec = c.Spec ?? {};
  const proc = spec.process ?? {};
  const linux = spec.linux ?? {};
  const labels = c.Labels ?? {};
  const ns = new Map((linux.namespaces ?? []).map((n) => [n.type ?? '', n.path ?? '']));
  const nsOf = (t: string): 'private' | 'host' | 'container' => (!ns.has(t) ? 'host' : ns.get(t) ? 'container' : 'private');
  const capabilities = normalizeCapabilityList(proc.capabilities?.bounding);
  // nerdctl --privileged labels the container; without the label, the spec's shape says it: no seccomp,
  // nothing masked, and (nearly) every capability (nerdctl leaves out one or two the host lacks).
  const missing = ALL_CAPABILITIES.filter((cap) => !capabilities.includes(cap)).length;
  const privileged = labels['nerdctl/privileged'] === 'true' || (missing <= 2 && !linux.seccomp && !(linux.maskedPaths ?? []).length && !(linux.readonlyPaths ?? []).length);
  const netNs = nsOf('network');
  const uid = proc.user?.uid ?? 0;
  const cpu = linux.resources?.cpu;
  const networks = jsonLabel<string[]>(labels, LABEL_NETWORKS, []);
  const aa = proc.apparmorProfile ?? '';
  return {
    id: c.ID ?? '',
    name: labels[LABEL_NAME] ?? (c.ID ?? '').slice(0, 12),
    image: c.Image ?? '',
    imageId: c.Image ?? '',
    running: c.Process?.Status?.Status === 'running',
    user: proc.user?.username || `${uid}:${proc.user?.gid ?? 0}`,
    privileged,
    capabilities,
    addedCapabilities: privileged ? [] : addedCapabilities(capabilities),
    noNewPrivileges: proc.noNewPrivileges === true,
    seccomp: linux.seccomp ? 'default' : 'unconfined',
    apparmor: !ctx.apparmorAvailable ? 'none' : aa === '' || aa === 'unconfined' ? 'unconfined' : /^nerdctl-default|^docker-default/.test(aa) ? 'default' : 'custom',
    selinuxDisabled: false,
    readonlyRootfs: spec.root?.readonly === true,
    namespaces: {
      pid: nsOf('pid'),
      network: netNs === 'host' ? 'host' : netNs === 'container' ? 'container' : networks[0] === 'none' ? 'none' : 'private',
      networkName: netNs === 'host' ? 'host' : (networks[0] ?? 'bridge'),
      ipc: nsOf('ipc'),
      uts: nsOf('uts') === 'host' ? 'host' : 'private',
      user: ns.has('user') || ctx.rootless ? 'private' : 'host',
      cgroup: nsOf('cgroup') === 'host' ? 'host' : 'private',
    },
    devices: privileged ? ['every host device (privileged)'] : (linux.devices ?? []).map((d) => d.path ?? '').filter(Boolean),
    mounts: (spec.mounts ?? [])
      .filter((m) => !isPlumbing(m))
      .map((m) => {
        const opts = m.options ?? [];
        const bind = m.type === 'bind' || opts.includes('bind') || opts.includes('rbind');
        return {
          type: m.type === 'tmpfs' ? 'tmpfs' : bind && /\/volumes\/[^/]+\/[^/]+\/_data$/.test(m.source ?? '') ? 'volume' : bind ? 'bind' : 'other',
          source: m.source ?? '',
          target: m.destination ?? '',
          readOnly: opts.includes('ro'),
          propagation: propagationOf(opts),
        };
      }),
    limits: {
      memoryBytes: linux.resources?.memory?.limit && linux.resources.memory.limit > 0 ? linux.resources.memory.limit : null,
      cpus: cpu?.quota && cpu.quota > 0 && cpu.period ? cpu.quota / cpu.period : null,
      pidsLimit: linux.resources?.pids?.limit && linux.resources.pids.limit > 0 ? linux.resources.pids.limit : null,
    },
    oomKillDisable: false,
    restartPolicy: parseRestart(labels[LABEL_RESTART]),
    ports: extra.ports ?? parsePorts(labels),
    env: envPairs(proc.env ?? []),
    sysctls: linux.sysctl ?? {},
    hasHealthcheck: false,
    runtime: runtimeName(runcBinaryName(c.Runtime?.Options).split('/').pop() || c.Runtime?.Name),
    composeProject: labels['com.docker.compose.project'] ?? null,
    composeService: labels['com.docker.compose.service'] ?? null,
    imageInfo: null,
  };
}

/** `SecurityOptions` of `docker info` / `nerdctl info` (`name=rootless`, `name=userns`, `name=seccomp,profile=…`, `name=apparmor`). */
export function securityContextFromOptions(securityOptions: readonly string[], vmForwarded: boolean): EngineSecurityContext {
  const names = new Set(securityOptions.map((o) => /(?:^|,)name=([^,]+)/.exec(o)?.[1] ?? ''));
  return { rootless: names.has('rootless'), userns: names.has('userns'), seccompAvailable: names.has('seccomp'), apparmorAvailable: names.has('apparmor'), vmForwarded };
}
