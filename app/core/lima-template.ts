import { BerthError } from '../contract/errors';
import type { Settings } from '../contract/settings';
import { K3S_GUEST_CACHE, k3sParams, k3sPortForward, k3sProvisionScript, type KubernetesVm } from './k3s';
import { GVISOR_GUEST_DIR, gvisorProvisionScript } from './gvisor-vm';

export type VmSettings = Settings['vm'];
export type Runtime = Settings['engine']['runtime'];
export type VmType = 'vz' | 'qemu' | 'wsl2';
export type MountType = 'virtiofs' | '9p' | 'reverse-sshfs';

export interface HostFacts {
  platform: NodeJS.Platform;
  /** Logical CPUs of the host. */
  cpus: number;
  /** The user's home folder (mounted read-only by default). */
  home: string;
  /** The host folder that caches k3s per version (mounted read-only into the guest). */
  k3sCacheDir?: string;
  /** The host folder holding gVisor's runsc and containerd-shim-runsc-v1 (mounted read-only when gVisor is on). */
  gvisorDir?: string;
}

/** Parsed YAML of resources/lima/berth.yaml and moby.yaml. */
export interface TemplateSources {
  base: Record<string, unknown>;
  moby: Record<string, unknown>;
  /** Replace the base template's images (an air-gapped install, the tests: a local file). */
  images?: { location: string; arch: string; digest?: string }[];
  /** Replace the nerdctl-full archives Lima installs for containerd (same reasons). */
  containerdArchives?: { location: string; arch: string; digest?: string }[];
}

export const defaultVmType = (platform: NodeJS.Platform): VmType => (platform === 'darwin' ? 'vz' : platform === 'win32' ? 'wsl2' : 'qemu');

/** Half the host's cores, at most 4, at least 1. */
export const autoCpus = (hostCpus: number): number => Math.max(1, Math.min(4, Math.floor(hostCpus / 2)));

/** The mount type a VM type gets when the settings leave it empty; null for WSL2, which has its own. */
export function defaultMountType(vmType: VmType): MountType | null {
  if (vmType === 'vz') return 'virtiofs';
  if (vmType === 'qemu') return '9p';
  return null;
}

export interface ResolvedVm {
  vmType: VmType;
  mountType: MountType | null;
  cpus: number;
  memoryGiB: number;
  diskGiB: number;
  runtime: Runtime;
  rootful: boolean;
  mounts: { location: string; writable: boolean }[];
  /** null: an instance created before Berth could run Kubernetes (it has no k3s provision script). */
  kubernetes: KubernetesVm | null;
  /** gVisor (runsc and its shim) installed for containerd. */
  gvisor: boolean;
  /** The host folder the binaries come from; '' when gVisor is off. */
  gvisorDir: string;
}

/** Every problem of these settings on this host, as sentences (empty: fine). */
export function vmSettingsProblems(s: VmSettings, host: HostFacts, runtime?: Runtime): string[] {
  const p: string[] = [];
  const vmType = s.vmType || defaultVmType(host.platform);
  if (vmType === 'vz' && host.platform !== 'darwin') p.push('The vz VM type needs macOS; use qemu.');
  if (vmType === 'wsl2' && host.platform !== 'win32') p.push('The wsl2 VM type needs Windows; use qemu.');
  const mt = s.mountType;
  if (vmType === 'wsl2' && mt) p.push('WSL2 shares files its own way: leave the mount type empty.');
  if (mt === '9p' && vmType !== 'qemu') p.push('9p mounts need the qemu VM type.');
  if (mt === 'virtiofs' && vmType === 'qemu' && host.platform !== 'linux') p.push('virtiofs with qemu works on Linux hosts only; on macOS use vz.');
  const seen = new Set<string>();
  for (const m of s.mounts) {
    if (!(m.location === '~' || m.location.startsWith('~/') || /^(\/|[A-Za-z]:[\\/])/.test(m.location))) p.push(`Mount "${m.location}" is not an absolute path.`);
    if (seen.has(m.location)) p.push(`Mount "${m.location}" is listed twice.`);
    seen.add(m.location);
  }
  if (s.memoryGiB < 1) p.push('The VM needs at least 1 GiB of memory.');
  if (s.kubernetes && runtime === 'containerd' && !s.containerdRootful) {
    p.push('Kubernetes shares the VM’s containerd, and k3s needs it rootful: turn on rootful containerd (or use moby).');
  }
  if (s.kubernetes && !host.k3sCacheDir) p.push('Kubernetes needs Berth’s k3s cache folder, which this host does not have.');
  if (s.gvisor && runtime === 'moby') p.push('gVisor is installed for containerd: choose the containerd runtime (with moby, register runsc in dockerd instead).');
  else if (s.gvisor && runtime === 'containerd' && !s.containerdRootful) p.push('gVisor for containerd needs it rootful: turn on rootful containerd.');
  if (s.gvisor && !host.gvisorDir) p.push('gVisor needs Berth’s gVisor folder (runsc and containerd-shim-runsc-v1), which this host does not have.');
  return p;
}

/** The settings with every default filled in for this host. Throws INVALID_INPUT with every problem. */
export function resolveVm(s: VmSettings, runtime: Runtime, host: HostFacts): ResolvedVm {
  const problems = vmSettingsProblems(s, host, runtime);
  if (problems.length) throw new BerthError('INVALID_INPUT', problems.join(' '), { details: { problems } });
  const vmType = (s.vmType || defaultVmType(host.platform)) as VmType;
  const tilde = (l: string) => (l === host.home ? '~' : l.startsWith(`${host.home}/`) ? `~${l.slice(host.home.length)}` : l);
  const listed = s.mounts.map((m) => ({ location: tilde(m.location), writable: m.writable }));
  const explicitHome = listed.find((m) => m.location === '~');
  const mounts = [explicitHome ?? { location: '~', writable: false }, ...listed.filter((m) => m !== explicitHome)];
  return {
    vmType,
    mountType: (s.mountType || defaultMountType(vmType)) as MountType | null,
    cpus: s.cpus > 0 ? s.cpus : autoCpus(host.cpus),
    memoryGiB: s.memoryGiB,
    diskGiB: s.diskGiB,
    runtime,
    rootful: s.containerdRootful,
    mounts,
    // The cache is mounted only while Kubernetes is on (limactl, like Berth, must be able to read it).
    kubernetes: { enabled: s.kubernetes, version: s.kubernetesVersion, port: s.kubernetesPort, cacheDir: s.kubernetes ? (host.k3sCacheDir ?? '') : '' },
    gvisor: s.gvisor,
    gvisorDir: s.gvisor ? (host.gvisorDir ?? '') : '',
  };
}

const k3sMount = (k: KubernetesVm) => ({ location: k.cacheDir, mountPoint: K3S_GUEST_CACHE, writable: false });
const k3sForwards = (k: KubernetesVm | null) => (k?.enabled ? [k3sPortForward(k)] : []);
const gvisorMount = (dir: string) => ({ location: dir, mountPoint: GVISOR_GUEST_DIR, writable: false });

const gib = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(2).replace(/0+$/, '')}GiB`;

/** The instance's lima.yaml as an object: the base template, then the runtime's part, then the settings. Pure. */
export function renderLimaConfig(vm: ResolvedVm, src: TemplateSources): Record<string, unknown> {
  const cfg: Record<string, unknown> = structuredClone(src.base);
  if (src.images) cfg.images = src.images;
  cfg.vmType = vm.vmType;
  cfg.cpus = vm.cpus;
  cfg.memory = gib(vm.memoryGiB);
  cfg.disk = gib(vm.diskGiB);
  if (vm.mountType) cfg.mountType = vm.mountType;
  cfg.mounts = vm.mounts.map((m) => ({ location: m.location, writable: m.writable }));
  if (vm.runtime === 'moby') {
    Object.assign(cfg, structuredClone(src.moby));
  } else {
    const containerd: Record<string, unknown> = { system: vm.rootful, user: !vm.rootful };
    if (src.containerdArchives) containerd.archives = src.containerdArchives;
    cfg.containerd = containerd;
  }
  const k = vm.kubernetes;
  if (k) {
    // The script and params are always there, so that switching Kubernetes on later is a `limactl edit`, not a new VM.
    cfg.param = { ...(cfg.param as Record<string, string> | undefined), ...k3sParams(k, vm.runtime) };
    if (k.cacheDir) (cfg.mounts as unknown[]).push(k3sMount(k));
    cfg.provision = [...(Array.isArray(cfg.provision) ? cfg.provision : []), { mode: 'system', script: k3sProvisionScript() }];
    const forwards = k3sForwards(k);
    if (forwards.length) cfg.portForwards = [...forwards, ...(Array.isArray(cfg.portForwards) ? cfg.portForwards : [])];
  }
  // Only when on: an instance gets (or loses) the set-up script by being created again (changesNeedingRecreate).
  if (vm.gvisor) addGvisor(cfg, vm.gvisorDir);
  return cfg;
}

/** The VM's gVisor option in a lima.yaml object: its param, the host folder's read-only mount and the provision script. */
export function addGvisor(cfg: Record<string, unknown>, gvisorDir: string): void {
  cfg.param = { ...(cfg.param as Record<string, string> | undefined), BERTH_GVISOR: 'true' };
  cfg.mounts = [...(Array.isArray(cfg.mounts) ? cfg.mounts : []), gvisorMount(gvisorDir)];
  cfg.provision = [...(Array.isArray(cfg.provision) ? cfg.provision : []), { mode: 'system', script: gvisorProvisionScript() }];
}

/** Settings that only apply when the VM starts again (all of them but startOnLaunch and the limactl path). */
export function settingsNeedingRestart(applied: ResolvedVm, wanted: ResolvedVm): (keyof ResolvedVm)[] {
  const keys: (keyof ResolvedVm)[] = ['vmType', 'mountType', 'cpus', 'memoryGiB', 'diskGiB', 'runtime', 'rootful', 'mounts', 'kubernetes', 'gvisor'];
  // An instance without Berth's Kubernetes set-up (made before it, or from another template) is as wanted while Kubernetes is off.
  const kubeUnset = applied.kubernetes === null && !wanted.kubernetes?.enabled;
  return keys.filter((k) => !(k === 'kubernetes' && kubeUnset) && JSON.stringify(applied[k]) !== JSON.stringify(wanted[k]));
}

/** Changes `limactl edit` cannot make to an existing instance: it must be deleted and created again. */
export function changesNeedingRecreate(applied: ResolvedVm, wanted: ResolvedVm): string[] {
  const out: string[] = [];
  if (applied.vmType !== wanted.vmType) out.push('the VM type');
  if (wanted.diskGiB < applied.diskGiB) out.push('a smaller disk');
  if (applied.runtime !== wanted.runtime || applied.rootful !== wanted.rootful) out.push('the container runtime');
  if (!applied.kubernetes && wanted.kubernetes?.enabled) out.push('Kubernetes (this VM was created before Berth could run it)');
  if (applied.gvisor !== wanted.gvisor) out.push(wanted.gvisor ? 'gVisor (its set-up is part of the VM’s template)' : 'removing gVisor');
  return out;
}

/**
 * The `limactl edit --set` expression that brings a stopped instance to these settings. Given what the instance was made
 * with (`applied`), Kubernetes' params and forward are left out where its template has no Kubernetes set-up: limactl
 * refuses a param no provision script uses.
 */
export function limaEditExpression(vm: ResolvedVm, applied?: ResolvedVm | null): string {
  const parts = [`.cpus = ${vm.cpus}`, `.memory = ${JSON.stringify(gib(vm.memoryGiB))}`, `.disk = ${JSON.stringify(gib(vm.diskGiB))}`];
  if (vm.mountType) parts.push(`.mountType = ${JSON.stringify(vm.mountType)}`);
  const k = applied && applied.kubernetes === null ? null : vm.kubernetes;
  const mounts: object[] = vm.mounts.map((m) => ({ location: m.location, writable: m.writable }));
  if (k?.cacheDir) mounts.push(k3sMount(k));
  if (vm.gvisor) mounts.push(gvisorMount(vm.gvisorDir));
  parts.push(`.mounts = ${JSON.stringify(mounts)}`);
  if (k) {
    parts.push(`.param = ${JSON.stringify(k3sParams(k, vm.runtime))}`);
    // Berth's only port rule is the API's; socket forwards (moby) are kept as they are.
    parts.push(`.portForwards = ${JSON.stringify(k3sForwards(k))} + ((.portForwards // []) | map(select(has("guestSocket"))))`);
  }
  return parts.join(' | ');
}

const gibOf = (v: unknown): number => {
  if (typeof v !== 'string') return 0;
  const m = /^([\d.]+)\s*(GiB|MiB|TiB)$/.exec(v);
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === 'MiB' ? n / 1024 : m[2] === 'TiB' ? n * 1024 : n;
};

/** What an existing instance was created or last edited with, read back from `limactl list`'s config. */
export function resolvedFromConfig(config: Record<string, unknown>, home: string): ResolvedVm {
  const containerd = (config.containerd ?? {}) as { system?: boolean; user?: boolean };
  const forwards = Array.isArray(config.portForwards) ? (config.portForwards as { guestSocket?: string }[]) : [];
  const moby = forwards.some((f) => f.guestSocket === '/var/run/docker.sock');
  const allMounts = Array.isArray(config.mounts) ? (config.mounts as { location?: string; writable?: boolean; mountPoint?: string }[]) : [];
  const mounts = allMounts.filter((m) => m.mountPoint !== K3S_GUEST_CACHE && m.mountPoint !== GVISOR_GUEST_DIR);
  const param = (config.param ?? {}) as Record<string, unknown>;
  const cache = allMounts.find((m) => m.mountPoint === K3S_GUEST_CACHE);
  const kubernetes: KubernetesVm | null =
    typeof param.BERTH_KUBERNETES === 'string'
      ? { enabled: param.BERTH_KUBERNETES === 'true', version: String(param.BERTH_K3S_VERSION ?? ''), port: Number(param.BERTH_K3S_PORT), cacheDir: cache?.location ?? '' }
      : null;
  return {
    vmType: (config.vmType as VmType) ?? 'qemu',
    mountType: (config.mountType as MountType | undefined) ?? null,
    cpus: typeof config.cpus === 'number' ? config.cpus : 0,
    memoryGiB: gibOf(config.memory),
    diskGiB: gibOf(config.disk),
    runtime: moby ? 'moby' : 'containerd',
    rootful: !moby && containerd.system === true,
    mounts: mounts.map((m) => ({ location: m.location === home ? '~' : (m.location ?? '').replace(`${home}/`, '~/'), writable: m.writable === true })),
    kubernetes,
    gvisor: param.BERTH_GVISOR === 'true',
    gvisorDir: param.BERTH_GVISOR === 'true' ? (allMounts.find((m) => m.mountPoint === GVISOR_GUEST_DIR)?.location ?? '') : '',
  };
}
