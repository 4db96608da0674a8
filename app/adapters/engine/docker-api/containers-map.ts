import type Docker from 'dockerode';
import type { ContainerDetails, ContainerSummary, MountInfo, PortMapping, PortSpec } from '../../../contract/containers';
import { composeFromLabels, healthFromStatus, isoOrNull, toContainerState } from '../../../core/containers-labels';
import { parsePortKey } from '../../../core/containers-ports';
import { toEnvVars } from '../../../core/containers-envfile';

/** Docker's raw shapes → Berth's engine-neutral container shapes. */

type RawMount = { Type: string; Name?: string; Source: string; Destination: string; Driver?: string; RW: boolean };
type RawBindings = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null | undefined;

const MOUNT_TYPES: readonly string[] = ['bind', 'volume', 'tmpfs', 'npipe'];

export function toMountInfo(m: RawMount): MountInfo {
  const out: MountInfo = {
    type: (MOUNT_TYPES.includes(m.Type) ? m.Type : 'other') as MountInfo['type'],
    source: m.Source ?? '',
    target: m.Destination,
    readOnly: !m.RW,
  };
  if (m.Name) out.name = m.Name;
  if (m.Driver) out.driver = m.Driver;
  return out;
}

const protocolOf = (t: string): PortMapping['protocol'] => (t === 'udp' || t === 'sctp' ? t : 'tcp');

export function toSummary(c: Docker.ContainerInfo): ContainerSummary {
  const labels = c.Labels ?? {};
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? '').replace(/^\//, ''),
    image: c.Image,
    imageId: c.ImageID,
    command: c.Command ?? '',
    created: new Date(c.Created * 1000).toISOString(),
    state: toContainerState(c.State),
    status: c.Status ?? '',
    health: healthFromStatus(c.Status ?? ''),
    ports: (c.Ports ?? []).map((p) => ({
      hostIp: p.IP ?? null,
      hostPort: p.PublicPort ?? null,
      containerPort: p.PrivatePort,
      protocol: protocolOf(p.Type),
    })),
    labels,
    compose: composeFromLabels(labels),
    mounts: (c.Mounts ?? []).map(toMountInfo),
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
  };
}

/** Current ports: published ones with their host side, exposed ones with hostPort null. */
export function portsFromBindings(bindings: RawBindings, withUnbound: boolean): PortMapping[] {
  const out: PortMapping[] = [];
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const k = parsePortKey(key);
    if (!k) continue;
    if (!list || list.length === 0) {
      if (withUnbound) out.push({ hostIp: null, hostPort: null, containerPort: k.containerPort, protocol: k.protocol });
      continue;
    }
    for (const b of list) {
      const hp = Number(b.HostPort);
      out.push({ hostIp: b.HostIp || null, hostPort: b.HostPort && hp > 0 ? hp : null, containerPort: k.containerPort, protocol: k.protocol });
    }
  }
  return out;
}

/** Configured bindings (HostConfig.PortBindings) as run options: an empty host port means "a free one". */
export function portSpecsFromBindings(bindings: RawBindings): PortSpec[] {
  return portsFromBindings(bindings, false).map((p) => {
    const s: PortSpec = { containerPort: p.containerPort, protocol: p.protocol };
    if (p.hostIp) s.hostIp = p.hostIp;
    if (p.hostPort !== null) s.hostPort = p.hostPort;
    return s;
  });
}

const asList = (v: string | string[] | null | undefined): string[] | null => (v == null ? null : Array.isArray(v) ? v : [v]);

/** `seccomp=…`, `apparmor=…`, `no-new-privileges[:=]true` out of SecurityOpt. */
export function parseSecurityOpt(opts: string[] | null | undefined) {
  let seccomp: string | null = null;
  let apparmor: string | null = null;
  let noNewPrivileges = false;
  for (const o of opts ?? []) {
    const m = /^([a-z-]+)(?:[=:](.*))?$/s.exec(o);
    if (!m) continue;
    if (m[1] === 'seccomp') seccomp = m[2] ?? null;
    else if (m[1] === 'apparmor') apparmor = m[2] ?? null;
    else if (m[1] === 'no-new-privileges') noNewPrivileges = m[2] === undefined || m[2] === 'true';
  }
  return { seccomp, apparmor, noNewPrivileges };
}

export function toDetails(c: Docker.ContainerInspectInfo): ContainerDetails {
  const hc = c.HostConfig ?? {};
  const cfg = c.Config;
  const labels = cfg.Labels ?? {};
  const sec = parseSecurityOpt(hc.SecurityOpt);
  const nano = hc.NanoCpus ?? 0;
  const quota = hc.CpuQuota ?? 0;
  const cpus = nano > 0 ? nano / 1e9 : quota > 0 ? quota / (hc.CpuPeriod || 100000) : null;
  const health = c.State.Health;
  const running = portsFromBindings(c.NetworkSettings?.Ports as RawBindings, true);
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    created: isoOrNull(c.Created) ?? c.Created,
    image: cfg.Image,
    imageId: c.Image,
    path: c.Path,
    args: c.Args ?? [],
    restartCount: c.RestartCount ?? 0,
    platform: c.Platform ?? '',
    state: {
      status: toContainerState(c.State.Status),
      running: c.State.Running,
      paused: c.State.Paused,
      restarting: c.State.Restarting,
      oomKilled: c.State.OOMKilled,
      dead: c.State.Dead,
      pid: c.State.Pid,
      exitCode: c.State.ExitCode,
      error: c.State.Error ?? '',
      startedAt: isoOrNull(c.State.StartedAt),
      finishedAt: isoOrNull(c.State.FinishedAt),
      health: health
        ? {
            status: health.Status === 'healthy' || health.Status === 'unhealthy' ? health.Status : 'starting',
            failingStreak: health.FailingStreak ?? 0,
            log: (health.Log ?? []).map((l) => ({ start: isoOrNull(l.Start) ?? l.Start, end: isoOrNull(l.End) ?? l.End, exitCode: l.ExitCode, output: l.Output })),
          }
        : null,
    },
    config: {
      image: cfg.Image,
      cmd: asList(cfg.Cmd),
      entrypoint: asList(cfg.Entrypoint),
      env: toEnvVars(cfg.Env ?? []),
      workingDir: cfg.WorkingDir ?? '',
      user: cfg.User ?? '',
      hostname: cfg.Hostname ?? '',
      tty: cfg.Tty ?? false,
      openStdin: cfg.OpenStdin ?? false,
      labels,
      stopSignal: (cfg as { StopSignal?: string }).StopSignal ?? null,
    },
    hostConfig: {
      restartPolicy: { name: hc.RestartPolicy?.Name || 'no', maximumRetryCount: hc.RestartPolicy?.MaximumRetryCount ?? 0 },
      autoRemove: hc.AutoRemove ?? false,
      networkMode: hc.NetworkMode ?? '',
      portBindings: portSpecsFromBindings(hc.PortBindings as RawBindings),
      limits: {
        nanoCpus: nano,
        cpus,
        memoryBytes: hc.Memory ? hc.Memory : null,
        pidsLimit: hc.PidsLimit && hc.PidsLimit > 0 ? hc.PidsLimit : null,
      },
      security: {
        readonlyRootfs: hc.ReadonlyRootfs ?? false,
        capAdd: hc.CapAdd ?? [],
        capDrop: hc.CapDrop ?? [],
        noNewPrivileges: sec.noNewPrivileges,
        seccompProfile: sec.seccomp,
        apparmorProfile: sec.apparmor ?? (c.AppArmorProfile || null),
        privileged: hc.Privileged ?? false,
      },
      ...(hc.Runtime ? { runtime: hc.Runtime } : {}),
      ...(hc.Sysctls && Object.keys(hc.Sysctls).length ? { sysctls: { ...hc.Sysctls } } : {}),
    },
    ports: running.length > 0 || c.State.Running ? running : portsFromBindings(hc.PortBindings as RawBindings, false),
    mounts: (c.Mounts ?? []).map(toMountInfo),
    networks: Object.entries(c.NetworkSettings?.Networks ?? {}).map(([name, n]) => ({
      name,
      networkId: n.NetworkID ?? '',
      ipAddress: n.IPAddress ?? '',
      ipPrefixLen: n.IPPrefixLen ?? 0,
      ipv6Address: n.GlobalIPv6Address ?? '',
      gateway: n.Gateway ?? '',
      macAddress: n.MacAddress ?? '',
      aliases: Array.isArray(n.Aliases) ? (n.Aliases as string[]) : [],
    })),
    compose: composeFromLabels(labels),
    raw: c as unknown as Record<string, unknown>,
  };
}
