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
      restarting: st.Restarting === true,
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
      cmd: Array.isArray(cfg.Cmd) ? strArr(cfg.Cmd) : null,
      entrypoint: Array.isArray(cfg.Entrypoint) ? strArr(cfg.Entrypoint) : null,
      env: toEnvVars(strArr(cfg.Env)),
      workingDir: str(cfg.WorkingDir),
      user: str(cfg.User) || allLabels['nerdctl/user'] || '',
      hostname: str(cfg.Hostname),
      tty: cfg.Tty === true,
      openStdin: cfg.OpenStdin === true || cfg.AttachStdin === true,
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
        capAdd: strArr(hc.CapAdd),
        capDrop: capDropOf(strArr(hc.CapDrop)),
        noNewPrivileges: false,
        seccompProfile: null,
        apparmorProfile: str(doc.AppArmorProfile) || null,
        privileged: hc.Privileged === true || allLabels['nerdctl/privileged'] === 'true',
      },
    },
    ports: running ? livePorts : configured,
    mounts: (Array.isArray(doc.Mounts) ? doc.Mounts : []).map(toMount),
    networks: nets,
    compose: composeFromLabels(allLabels),
    raw: doc,
  };
}

/** The capabilities a container has by default (Docker's and nerdctl's set). */
const DEFAULT_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'];

/** nerdctl writes `--cap-drop ALL` as the default set it dropped (CAP_CHOWN, ...): shown as ALL, as Docker does. */
export function capDropOf(dropped: string[]): string[] {
  const names = new Set(dropped.map((c) => c.toUpperCase().replace(/^CAP_/, '')));
  return names.has('ALL') || DEFAULT_CAPS.every((c) => names.has(c)) ? ['ALL'] : dropped;
}
