import type Docker from 'dockerode';
import type { EngineSecurityContext, SecurityView } from '../../../core/posture/view';
import { addedCapabilities, effectiveCapabilities } from '../../../core/posture/capabilities';
import { parseSecurityOpt, toDetails } from './containers-map';

/** Docker inspect → the normalized security view (effective values). Pure. */

type Hc = Docker.HostConfig & {
  CgroupnsMode?: string;
  UsernsMode?: string;
  UTSMode?: string;
  Sysctls?: Record<string, string>;
  OomKillDisable?: boolean;
  Runtime?: string;
};
type RawMount = { Type?: string; Source?: string; Destination: string; RW?: boolean; Propagation?: string };

const nsOf = (mode: string | undefined): 'private' | 'host' | 'container' => (mode === 'host' ? 'host' : mode?.startsWith('container:') ? 'container' : 'private');

export function dockerSecurityView(c: Docker.ContainerInspectInfo, imageUser: string, ctx: EngineSecurityContext): SecurityView {
  const d = toDetails(c);
  const hc = (c.HostConfig ?? {}) as Hc;
  const opts = (hc.SecurityOpt as string[] | null | undefined) ?? [];
  const sec = parseSecurityOpt(opts);
  const privileged = hc.Privileged ?? false;
  const capabilities = effectiveCapabilities({ privileged, add: hc.CapAdd ?? [], drop: hc.CapDrop ?? [] });
  const appArmorProfile = (c as { AppArmorProfile?: string }).AppArmorProfile ?? '';
  const aa = sec.apparmor ?? appArmorProfile;
  const netMode = hc.NetworkMode ?? 'default';
  const cfg = c.Config as Docker.ContainerInspectInfo['Config'] & { Healthcheck?: { Test?: string[] } };
  const hcTest = cfg.Healthcheck?.Test;
  return {
    id: c.Id,
    name: d.name,
    image: d.image,
    imageId: d.imageId,
    running: c.State.Running || c.State.Restarting,
    user: cfg.User || imageUser,
    privileged,
    capabilities,
    addedCapabilities: addedCapabilities(capabilities),
    noNewPrivileges: sec.noNewPrivileges,
    seccomp: privileged || sec.seccomp === 'unconfined' ? 'unconfined' : sec.seccomp ? 'custom' : 'default',
    apparmor: privileged || aa === 'unconfined' ? 'unconfined' : !ctx.apparmorAvailable ? 'none' : aa && aa !== 'docker-default' ? 'custom' : 'default',
    selinuxDisabled: opts.some((o) => /^label[=:]disable$/.test(o)),
    readonlyRootfs: hc.ReadonlyRootfs ?? false,
    namespaces: {
      pid: nsOf(hc.PidMode),
      network: netMode === 'host' ? 'host' : netMode === 'none' ? 'none' : netMode.startsWith('container:') ? 'container' : 'private',
      networkName: netMode === 'default' ? 'bridge' : netMode,
      ipc: nsOf(hc.IpcMode),
      uts: hc.UTSMode === 'host' ? 'host' : 'private',
      user: (ctx.userns || ctx.rootless) && hc.UsernsMode !== 'host' ? 'private' : 'host',
      cgroup: hc.CgroupnsMode === 'host' ? 'host' : 'private',
    },
    devices: privileged ? ['every host device (privileged)'] : ((hc.Devices ?? []) as Array<{ PathOnHost: string }>).map((x) => x.PathOnHost),
    mounts: ((c.Mounts ?? []) as RawMount[]).map((m) => ({
      type: m.Type === 'bind' || m.Type === 'volume' || m.Type === 'tmpfs' ? m.Type : 'other',
      source: m.Source ?? '',
      target: m.Destination,
      readOnly: m.RW === false,
      propagation: m.Propagation ?? '',
    })),
    limits: { memoryBytes: d.hostConfig.limits.memoryBytes, cpus: d.hostConfig.limits.cpus, pidsLimit: d.hostConfig.limits.pidsLimit },
    oomKillDisable: hc.OomKillDisable ?? false,
    restartPolicy: d.hostConfig.restartPolicy,
    ports: d.ports.filter((p) => p.hostPort !== null).map((p) => ({ hostIp: p.hostIp ?? '', hostPort: p.hostPort ?? 0, containerPort: p.containerPort, protocol: p.protocol })),
    env: d.config.env,
    sysctls: hc.Sysctls ?? {},
    hasHealthcheck: Array.isArray(hcTest) && hcTest.length > 0 && hcTest[0] !== 'NONE',
    runtime: hc.Runtime || 'runc',
    composeProject: d.compose?.project ?? null,
    composeService: d.compose?.service ?? null,
    imageInfo: null,
  };
}

/** GET /info's SecurityOptions (`name=rootless`, `name=userns`, `name=seccomp,profile=builtin`, `name=apparmor`). */
export function dockerSecurityContext(securityOptions: readonly string[], endpoint: string): EngineSecurityContext {
  const names = new Set(securityOptions.map((o) => /(?:^|,)name=([^,]+)/.exec(o)?.[1] ?? ''));
  return {
    rootless: names.has('rootless'),
    userns: names.has('userns'),
    seccompAvailable: names.has('seccomp'),
    apparmorAvailable: names.has('apparmor'),
    // Lima forwards the guest's engine socket into its home (…/lima/<instance>/sock/…) and published ports to the host's loopback.
    vmForwarded: /[/.]lima\//.test(endpoint),
  };
}
