import type { ContainerDetails, NetworkAttachment } from '../contract/containers';
import type { z } from 'zod';
import { composeFromLabels } from './containers-labels';
import { toEnvVars } from './containers-envfile';
import { num, obj, str, strArr, strMap } from './nerdctl-json';
import { portsFromInspect } from './nerdctl-ports';
import { familiarImage, networksFromLabels, stateFromStatus, toMount, userLabels } from './nerdctl-ps';
import { parseNerdctlTime } from './nerdctl-units';

type Attachment = z.infer<typeof NetworkAttachment>;

/**
 * `nerdctl container inspect` (dockercompat mode) as Berth's ContainerDetails. Differences from
 * Docker handled here: `Name` without `/`; `State.Status` of `""` for a never-started container or
 * one whose task is gone (created); `FinishedAt` `""` while running; `Image` is the reference (no
 * image id); networks keyed by interface (`unknown-eth0`), named from the `nerdctl/networks`
 * label in order; no Tty/OpenStdin/StopSignal/SecurityOpt (their defaults).
 */
export function parseContainerInspect(doc: Record<string, unknown>): ContainerDetails {
  const st = obj(doc.State);
  const cfg = obj(doc.Config);
  const hc = obj(doc.HostConfig);
  const ns = obj(doc.NetworkSettings);
  const allLabels = strMap(cfg.Labels);
  const statusWord = str(st.Status) || (st.Running === true ? 'running' : '');
  const state = stateFromStatus(statusWord.charAt(0).toUpperCase() + statusWord.slice(1)).state;
  const running = st.Running === true;
  const quota = num(hc.CpuQuota);
  const period = num(hc.CpuPeriod) || 100000;
  const health = obj(st.Health);
  const hs = str(health.Status);
  const rp = obj(hc.RestartPolicy);
  const netNames = networksFromLabels(allLabels);
  const nets = Object.entries(obj(ns.Networks)).map(([key, v], i): Attachment => {
    const n = obj(v);
    return {
      name: netNames[i] ?? key,
      networkId: str(n.NetworkID),
      ipAddress: str(n.IPAddress),
      ipPrefixLen: num(n.IPPrefixLen),
      ipv6Address: str(n.GlobalIPv6Address),
      gateway: str(n.Gateway),
      macAddress: str(n.MacAddress),
      aliases: strArr(n.Aliases),
    };
  });
  const livePorts = portsFromInspect(ns.Ports);
  const configured = portsFromInspect(hc.PortBindings).filter((p) => p.hostPort !== null || p.hostIp !== null);
  const created = parseNerdctlTime(str(doc.Created)) ?? str(doc.Created);
  const asked = readRunConfig(allLabels[RUN_CONFIG_LABEL]);
  return {
    id: str(doc.Id),
    name: str(doc.Name).replace(/^\//, ''),
    created,
    image: familiarImage(str(cfg.Image) || str(doc.Image)),
    imageId: '',
    path: str(doc.Path),
    args: strArr(doc.Args),
    restartCount: num(doc.RestartCount),
    platform: str(doc.Platform),
    state: {
      status: state,
      running,
      paused: st.Paused === true,
      // nerdctl 2 says Restarting for every running container with a restart policy (its restart monitor is on).
      restarting: st.Restarting === true && !running,
      oomKilled: st.OOMKilled === true,
      dead: st.Dead === true,
      pid: num(st.Pid),
      exitCode: num(st.ExitCode),
      error: str(st.Error),
      startedAt: parseNerdctlTime(str(st.StartedAt)),
      finishedAt: running ? null : parseNerdctlTime(str(st.FinishedAt)),
      health:
        hs === ''
          ? null
          : {
              status: hs === 'healthy' || hs === 'unhealthy' ? hs : 'starting',
              failingStreak: num(health.FailingStreak),
              log: (Array.isArray(health.Log) ? health.Log : []).map((l) => {
                const e = obj(l);
                return {
                  start: parseNerdctlTime(str(e.Start)) ?? str(e.Start),
                  end: parseNerdctlTime(str(e.End)) ?? str(e.End),
                  exitCode: num(e.ExitCode),
                  output: str(e.Output),
                };
              }),
            },
    },
    config: {
      image: familiarImage(str(cfg.Image) || str(doc.Image)),
      cmd: asked ? asked.cmd : Array.isArray(cfg.Cmd) ? strArr(cfg.Cmd) : null,
      entrypoint: asked ? asked.entrypoint : Array.isArray(cfg.Entrypoint) ? strArr(cfg.Entrypoint) : null,
      env: toEnvVars(strArr(cfg.Env)),
      workingDir: str(cfg.WorkingDir),
      user: str(cfg.User) || allLabels['nerdctl/user'] || '',
      hostname: str(cfg.Hostname),
      tty: cfg.Tty === true,
      openStdin: cfg.OpenStdin === true || cfg.AttachStdin === true || asked?.openStdin === true,
      labels: userLabels(allLabels),
      stopSignal: allLabels['io.containerd.image.config.stop-signal'] ?? null,
    },
    hostConfig: {
      restartPolicy: { name: str(rp.Name) || 'no', maximumRetryCount: num(rp.MaximumRetryCount) },
      autoRemove: hc.AutoRemove === true || allLabels['nerdctl/auto-remove'] === 'true',
      networkMode: str(hc.NetworkMode),
      portBindings: configured.map((p) => ({
        containerPort: p.containerPort,
        protocol: p.protocol,
        ...(p.hostIp ? { hostIp: p.hostIp } : {}),
        ...(p.hostPort !== null ? { hostPort: p.hostPort } : {}),
      })),
      limits: {
        nanoCpus: quota > 0 ? Math.round((quota / period) * 1e9) : 0,
        cpus: quota > 0 ? quota / period : null,
        memoryBytes: num(hc.Memory) > 0 ? num(hc.Memory) : null,
        pidsLimit: num(hc.PidsLimit) > 0 ? num(hc.PidsLimit) : null,
      },
      security: {
        readonlyRootfs: hc.ReadonlyRootfs === true,
        capAdd: strArr(hc.CapAdd).map(capName),
        capDrop: capDropOf(strArr(hc.CapDrop)).map(capName),
        noNewPrivileges: false,
        seccompProfile: null,
        apparmorProfile: str(doc.AppArmorProfile) || null,
        privileged: hc.Privileged === true || allLabels['nerdctl/privileged'] === 'true',
      },
      ...runtimeAndSysctls(hc),
    },
    ports: running ? livePorts : configured,
    mounts: (Array.isArray(doc.Mounts) ? doc.Mounts : []).filter((m) => !isNerdctlOwnFile(obj(m), doc, allLabels)).map(toMount),
    networks: nets,
    compose: composeFromLabels(allLabels),
    // nerdctl names the container's snapshotter as its storage driver: stargz reads layers lazily.
    ...(str(doc.Driver) === 'stargz' ? { lazy: true } : {}),
    raw: doc,
  };
}

/**
 * The runtime when it is not containerd's default (runc v2), and the `--sysctl` values asked for: nerdctl
 * writes its own default (unprivileged ports from 0, as dockerd applies without recording it) among them.
 */
function runtimeAndSysctls(hc: Record<string, unknown>): { runtime?: string; sysctls?: Record<string, string> } {
  const out: { runtime?: string; sysctls?: Record<string, string> } = {};
  const runtime = str(hc.Runtime);
  if (runtime && runtime !== 'io.containerd.runc.v2') out.runtime = runtime;
  const sysctls = Object.fromEntries(Object.entries(strMap(hc.Sysctls)).filter(([k, v]) => !(k === 'net.ipv4.ip_unprivileged_port_start' && v === '0')));
  if (Object.keys(sysctls).length) out.sysctls = sysctls;
  return out;
}

/** `CAP_NET_ADMIN` (nerdctl's spelling) → `NET_ADMIN`, as Docker shows what was asked. */
const capName = (c: string) => c.toUpperCase().replace(/^CAP_/, '');

/** The capabilities a container has by default (Docker's and nerdctl's set). */
const DEFAULT_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'];

/** nerdctl writes `--cap-drop ALL` as the default set it dropped (CAP_CHOWN, ...): shown as ALL, as Docker does. */
export function capDropOf(dropped: string[]): string[] {
  const names = new Set(dropped.map((c) => c.toUpperCase().replace(/^CAP_/, '')));
  return names.has('ALL') || DEFAULT_CAPS.every((c) => names.has(c)) ? ['ALL'] : dropped;
}

/** The parts of `nerdctl container inspect --mode=native` (the OCI spec) the Docker-compatible view leaves out. */
export interface NativeSpecView {
  Labels?: Record<string, string>;
  Spec?: { process?: { terminal?: boolean; noNewPrivileges?: boolean; cwd?: string }; linux?: { seccomp?: unknown } };
}

/**
 * Fills in from the container's OCI spec what dockercompat inspect does not say: the TTY, the working directory, no-new-privileges,
 * and a seccomp profile of `unconfined` when the spec has none (Docker's SecurityOpt value; a privileged
 * container has none either, and shows null as on Docker). A custom profile shows null: containerd keeps
 * the filter, not the file it came from.
 */
export function withNativeSpec(d: ContainerDetails, native: NativeSpecView): ContainerDetails {
  const proc = native.Spec?.process ?? {};
  const sec = d.hostConfig.security;
  const seccompProfile = native.Spec?.linux?.seccomp === undefined || native.Spec.linux.seccomp === null ? (sec.privileged ? null : 'unconfined') : null;
  return {
    ...d,
    // The working directory the process starts in (`/` when neither the image nor the run set one: shown as unset, as Docker does).
    config: { ...d.config, tty: proc.terminal === true, workingDir: d.config.workingDir || (proc.cwd && proc.cwd !== '/' ? proc.cwd : '') },
    hostConfig: { ...d.hostConfig, security: { ...sec, noNewPrivileges: proc.noNewPrivileges === true, seccompProfile } },
  };
}

/**
 * Berth's record of what a container was asked to run (containerd keeps only the process's arguments, the image's
 * entrypoint and command merged, and nothing of `-i`): JSON `{entrypoint, cmd, openStdin}`, written when Berth creates it.
 */
export const RUN_CONFIG_LABEL = 'berth/run-config';

export function runConfigLabel(o: { entrypoint?: string[] | undefined; command?: string[] | undefined; openStdin?: boolean | undefined }): string {
  return JSON.stringify({ entrypoint: o.entrypoint ?? null, cmd: o.command?.length ? o.command : null, openStdin: o.openStdin === true });
}

/** The label's record, or null when there is none (a container made outside Berth) or it does not parse. */
export function readRunConfig(text: string | undefined): { entrypoint: string[] | null; cmd: string[] | null; openStdin: boolean } | null {
  if (!text) return null;
  try {
    const v = obj(JSON.parse(text) as unknown);
    return { entrypoint: Array.isArray(v.entrypoint) ? strArr(v.entrypoint) : null, cmd: Array.isArray(v.cmd) ? strArr(v.cmd) : null, openStdin: v.openStdin === true };
  } catch {
    // Not Berth's JSON (someone else wrote the label): read the container as one made outside Berth.
    return null;
  }
}

/**
 * nerdctl lists the `/etc/resolv.conf`, `/etc/hosts` and `/etc/hostname` it writes for a container as bind
 * mounts; Docker does not. They live in the container's own state folders, so they are not the user's
 * mounts: carried over by a recreate, the copy would mount the original's files, gone once it is removed.
 */
function isNerdctlOwnFile(m: Record<string, unknown>, doc: Record<string, unknown>, labels: Record<string, string>): boolean {
  const src = str(m.Source);
  if (src === '' || str(m.Type) !== 'bind') return false;
  if ([doc.ResolvConfPath, doc.HostsPath, doc.HostnamePath].some((p) => typeof p === 'string' && p !== '' && p === src)) return true;
  const stateDir = labels['nerdctl/state-dir'];
  return Boolean(stateDir) && src.startsWith(`${stateDir}/`);
}
