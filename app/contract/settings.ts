import * as z from 'zod';
import { DEFAULT_STATS_INTERVAL_SECONDS } from './settings-defaults';
import { deferred } from './deferred';

export { DEFAULT_STATS_INTERVAL_SECONDS };

/**
 * The one settings schema. Each section's fields are declared once; the settings
 * schema adds defaults (so parsing `{}` yields every default) and the patch schema
 * makes every field optional without defaults (so a patch never resets other keys).
 */
const engineFields = deferred(() => ({
  /** containerd (nerdctl) or moby (dockerd) inside the VM. */
  runtime: z.enum(['containerd', 'moby']),
  /** An explicit engine endpoint (`unix:///…`, `npipe://…`, `tcp://…`, `ssh://…`); empty means discover. */
  host: z.string().max(1024),
  /** The engine the user picked (an engine id from engines.list); empty: the default. Set by engines.setActive. */
  active: z.string().max(100),
  /** The containerd namespace the nerdctl engine acts in (engines.setNamespace). */
  namespace: z.string().max(76),
  /** A local nerdctl to register as an engine (native Linux): its path; empty: none. */
  nerdctlPath: z.string().max(1024),
  /** Global flags for that nerdctl (`--address`, `--data-root`, `--cni-path`...). */
  nerdctlArgs: z.array(z.string().max(4096)).max(64),
  /** An extra engine added in Preferences (checked before it is saved): its address; empty: none. Engine id `custom`. */
  customHost: z.string().max(1024),
}));
const uiFields = deferred(() => ({
  theme: z.enum(['system', 'light', 'dark']),
  zoom: z.number().min(0.5).max(3),
  /** How often the lists sample the live CPU and memory of the rows on screen (seconds); unset = DEFAULT_STATS_INTERVAL_SECONDS. */
  statsIntervalSeconds: z.number().int().min(1).max(60),
  /** Row height and padding of lists; unset: comfortable. */
  density: z.enum(['comfortable', 'compact']),
  /** The containers table's columns, in order (ids from the Containers page); unset: the default set. */
  containerColumns: z.array(z.string().min(1).max(40)).max(20),
}));
/** Terminals (host, container and VM shells) read these when a terminal opens. */
const terminalFields = deferred(() => ({
  fontFamily: z.string().max(200),
  fontSize: z.number().int().min(8).max(32),
  /** The host shell to start (a path or a name on PATH); empty: the user's login shell. */
  shell: z.string().max(1024),
}));
/** What Berth does around its own life and its containers' events. */
const behaviourFields = deferred(() => ({
  /** Open Berth when the user logs in (Electron only). */
  startAtLogin: z.boolean(),
  /** Quitting Berth also stops the VM. */
  quitStopsVm: z.boolean(),
  /** A desktop notification when a container exits with an error or turns unhealthy. */
  notifications: z.boolean(),
  /** Containers (by name) that never notify. */
  mutedContainers: z.array(z.string().min(1).max(256)).max(500),
}));
/** Debug shells (issue 18): the toolbox image; empty: Berth's own busybox, built locally (never pulled). */
const debugFields = deferred(() => ({
  image: z.string().max(512),
}));
const Bounds = deferred(() => z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(200), height: z.number().int().min(150) }));
const windowFields = deferred(() => ({
  bounds: Bounds.optional(),
  maximized: z.boolean(),
}));
/** k3s releases Berth accepts (issue 17). */
export const K3S_VERSION_PATTERN = /^v\d+\.\d+\.\d+\+k3s\d+$/;
export const K3S_DEFAULT_VERSION = 'v1.33.5+k3s1';
const VmMount = deferred(() => z.object({ location: z.string().min(1).max(4096), writable: z.boolean() }).strict());
const vmFields = deferred(() => ({
  /** 0: automatic (half the host's cores, at most 4). */
  cpus: z.number().int().min(0).max(64),
  memoryGiB: z.number().min(1).max(256),
  diskGiB: z.number().int().min(10).max(4096),
  startOnLaunch: z.boolean(),
  /** 'vm': a Lima VM; 'native' (Linux only): the local engine socket, no VM. */
  mode: z.enum(['vm', 'native']),
  /** '' picks the platform's default (vz on macOS 13+, wsl2 on Windows, qemu elsewhere). */
  vmType: z.enum(['', 'vz', 'qemu', 'wsl2']),
  /** '' picks the VM type's default (virtiofs for vz, 9p for qemu). */
  mountType: z.enum(['', 'virtiofs', '9p', 'reverse-sshfs']),
  /** Extra mounts; the home folder is always mounted read-only unless listed here as writable. */
  mounts: z.array(VmMount).max(32),
  /** containerd only: rootless (default) or rootful. */
  containerdRootful: z.boolean(),
  /** A limactl to use when none is bundled or on PATH. */
  limactlPath: z.string().max(4096),
  /** Quit asked once whether to stop the VM; the answer is behaviour.quitStopsVm. */
  quitAsked: z.boolean(),
  /** Kubernetes (k3s) in the VM, on the VM's containerd (issue 17). */
  kubernetes: z.boolean(),
  /** The k3s release (`vX.Y.Z+k3sN`), cached on the host per version. */
  kubernetesVersion: z.string().regex(K3S_VERSION_PATTERN, 'must be a k3s release such as v1.33.5+k3s1'),
  /** The API server's port, forwarded to the host's 127.0.0.1. */
  kubernetesPort: z.number().int().min(1024).max(65535),
  /** gVisor (runsc and its containerd shim) installed in the VM as a containerd runtime (issue 15). */
  gvisor: z.boolean(),
}));
/** Pods page (issue 17): which kubeconfig it reads; empty: the VM's when Kubernetes is on, else KUBECONFIG or ~/.kube/config. */
const kubeFields = deferred(() => ({
  kubeconfig: z.string().max(4096),
}));

export const Settings = deferred(() => z
  .object({
    version: z.literal(1).default(1),
    engine: z
      .object({
        runtime: engineFields.runtime.default('containerd'),
        host: engineFields.host.default(''),
        active: engineFields.active.default(''),
        namespace: engineFields.namespace.default('default'),
        nerdctlPath: engineFields.nerdctlPath.default(''),
        nerdctlArgs: engineFields.nerdctlArgs.default([]),
        customHost: engineFields.customHost.default(''),
      })
      .strict()
      .prefault({}),
    ui: z
      .object({
        theme: uiFields.theme.default('system'),
        zoom: uiFields.zoom.default(1),
        statsIntervalSeconds: uiFields.statsIntervalSeconds.optional(),
        density: uiFields.density.optional(),
        containerColumns: uiFields.containerColumns.optional(),
      })
      .strict()
      .prefault({}),
    window: z.object({ bounds: windowFields.bounds, maximized: windowFields.maximized.default(false) }).strict().prefault({}),
    terminal: z
      .object({ fontFamily: terminalFields.fontFamily.default(''), fontSize: terminalFields.fontSize.default(13), shell: terminalFields.shell.default('') })
      .strict()
      .prefault({}),
    behaviour: z
      .object({
        startAtLogin: behaviourFields.startAtLogin.default(false),
        quitStopsVm: behaviourFields.quitStopsVm.default(true),
        notifications: behaviourFields.notifications.default(true),
        mutedContainers: behaviourFields.mutedContainers.default([]),
      })
      .strict()
      .prefault({}),
    vm: z
      .object({
        cpus: vmFields.cpus.default(0),
        memoryGiB: vmFields.memoryGiB.default(4),
        diskGiB: vmFields.diskGiB.default(100),
        startOnLaunch: vmFields.startOnLaunch.default(true),
        mode: vmFields.mode.default('vm'),
        vmType: vmFields.vmType.default(''),
        mountType: vmFields.mountType.default(''),
        mounts: vmFields.mounts.default([]),
        containerdRootful: vmFields.containerdRootful.default(false),
        limactlPath: vmFields.limactlPath.default(''),
        quitAsked: vmFields.quitAsked.default(false),
        kubernetes: vmFields.kubernetes.default(false),
        kubernetesVersion: vmFields.kubernetesVersion.default(K3S_DEFAULT_VERSION),
        kubernetesPort: vmFields.kubernetesPort.default(6443),
        gvisor: vmFields.gvisor.default(false),
      })
      .strict()
      .prefault({}),
    debug: z.object({ image: debugFields.image.default('') }).strict().prefault({}),
    kube: z.object({ kubeconfig: kubeFields.kubeconfig.default('') }).strict().prefault({}),
  })
  .strict());
export type Settings = z.infer<typeof Settings>;

/** A patch: any section, any subset of its keys. Unknown keys are refused. */
export const SettingsPatch = deferred(() => z
  .object({
    engine: z.object(engineFields).partial().strict().optional(),
    ui: z.object(uiFields).partial().strict().optional(),
    window: z.object(windowFields).partial().strict().optional(),
    vm: z.object(vmFields).partial().strict().optional(),
    terminal: z.object(terminalFields).partial().strict().optional(),
    behaviour: z.object(behaviourFields).partial().strict().optional(),
    debug: z.object(debugFields).partial().strict().optional(),
    kube: z.object(kubeFields).partial().strict().optional(),
  })
  .strict());
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const defaultSettings = (): Settings => Settings.parse({});

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return Settings.parse({
    ...current,
    engine: { ...current.engine, ...patch.engine },
    ui: { ...current.ui, ...patch.ui },
    window: { ...current.window, ...patch.window },
    vm: { ...current.vm, ...patch.vm },
    terminal: { ...current.terminal, ...patch.terminal },
    behaviour: { ...current.behaviour, ...patch.behaviour },
    debug: { ...current.debug, ...patch.debug },
    kube: { ...current.kube, ...patch.kube },
  });
}
