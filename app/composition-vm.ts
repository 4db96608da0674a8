import os from 'node:os';
import path from 'node:path';
import { createDockerEngine } from './adapters/engine/docker-api';
import { createNerdctlEngine } from './adapters/engine/nerdctl';
import { createDiagnosticsStore, createHostIntegration, createLimaDriver, createLimaExecutor, gvisorFolder, loadTemplateSources, renderLimaTemplate } from './adapters/lima';
import { createVmCommandRunner } from './adapters/lima/command-runner';
import { parseDockerHost } from './core/docker-host';
import type { TemplateSources } from './core/lima-template';
import type { Logger } from './ports/logger';
import type { ProcessRunner, ProcessSpawner } from './ports/process';
import type { SettingsStore } from './ports/settings-store';
import type { EngineRegistry } from './services/engine-registry';
import { VmService } from './services/vm';

/** VM options of the core (tests and air-gapped installs). */
export interface VmCoreOptions {
  /** Instance name (default `berth`). */
  instance?: string;
  /** Default `<dataDir>/lima`. */
  limaHome?: string;
  /** Local images / nerdctl archives instead of the template's downloads. */
  images?: TemplateSources['images'];
  containerdArchives?: TemplateSources['containerdArchives'];
  /** A lima.yaml used as it is instead of the one rendered from the settings (the real-VM suite's guest image). */
  template?: string;
  engineTimeoutMs?: number;
  stopTimeoutMs?: number;
  watchMs?: number;
  /** The home folder limactl expands `~` to (default: this user's). */
  home?: string;
  /** gVisor's guest binaries (runsc, containerd-shim-runsc-v1) for the VM's gVisor option (default `<resources>/gvisor`). */
  gvisorDir?: string;
}

export interface VmWiring {
  dataDir: string;
  logFile: string;
  resourcesDir: string;
  /** Berth's bundled CLI folder (limactl, docker, nerdctl). */
  cliDir: string;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  settings: SettingsStore;
  engines: EngineRegistry;
  runner: ProcessRunner & ProcessSpawner;
  log: Logger;
  opts?: VmCoreOptions;
  /** Before every start (Kubernetes: the k3s release in the host cache, the cache folder made). */
  beforeStart?(signal: AbortSignal): Promise<void>;
  /** The host folder of the k3s cache, mounted read-only into the VM. */
  k3sCacheDir?: string;
}

/** The VM service with the Lima adapter (macOS, Windows, Linux; Linux falls back to native mode without limactl). */
export function createVmService(w: VmWiring): VmService {
  const o = w.opts ?? {};
  const log = w.log.child('vm');
  const limaHome = o.limaHome ?? path.join(w.dataDir, 'lima');
  const driver = createLimaDriver({
    limaHome,
    instance: o.instance ?? 'berth',
    runner: w.runner,
    log,
    bundledDir: w.cliDir,
    platform: w.platform,
    env: w.env,
    configuredPath: () => w.settings.get().vm.limactlPath,
  });
  const overrides: Pick<TemplateSources, 'images' | 'containerdArchives'> = {};
  if (o.images) overrides.images = o.images;
  if (o.containerdArchives) overrides.containerdArchives = o.containerdArchives;
  return new VmService({
    driver,
    settings: w.settings,
    engines: w.engines,
    log,
    host: { platform: w.platform, cpus: os.cpus().length, home: o.home ?? os.homedir(), ...(w.k3sCacheDir ? { k3sCacheDir: w.k3sCacheDir } : {}), ...gvisorHost(o.gvisorDir ?? path.join(w.resourcesDir, 'gvisor')) },
    ...(w.beforeStart ? { beforeStart: (_vm: unknown, signal: AbortSignal) => w.beforeStart!(signal) } : {}),
    diagnostics: createDiagnosticsStore({ dataDir: w.dataDir, logFile: w.logFile }),
    hostIntegration: createHostIntegration({ home: o.home ?? os.homedir(), platform: w.platform, ...(w.env.DOCKER_CONFIG ? { dockerConfigDir: w.env.DOCKER_CONFIG } : {}) }),
    cliDir: w.cliDir,
    renderTemplate: async (vm) => o.template ?? renderLimaTemplate(vm, await loadTemplateSources(w.resourcesDir, overrides)),
    engineFactory: {
      create(runtime, { socketPath, rootful }) {
        if (runtime === 'moby') {
          return createDockerEngine({ id: 'vm', name: 'Berth VM (dockerd)', host: parseDockerHost(`unix://${socketPath}`), log, runner: w.runner, env: w.env });
        }
        // containerd: nerdctl inside the guest through `limactl shell` (rootful: `sudo nerdctl`).
        const exec = createLimaExecutor(driver, w.runner);
        const runner = createVmCommandRunner(exec, { rootful });
        // Rootful: the guest's system containerd reads containerd's default configuration (the gVisor option's piece is imported by it).
        const containerdConfig = rootful ? { containerdConfig: () => exec.run(['sudo', 'containerd', 'config', 'dump'], { timeoutMs: 60_000 }) } : {};
        return createNerdctlEngine({ id: 'vm', name: 'Berth VM (containerd)', runner, log, env: w.env, namespace: w.settings.get().engine.namespace, ...containerdConfig });
      },
    },
    ...(o.engineTimeoutMs !== undefined ? { engineTimeoutMs: o.engineTimeoutMs } : {}),
    ...(o.stopTimeoutMs !== undefined ? { stopTimeoutMs: o.stopTimeoutMs } : {}),
    ...(o.watchMs !== undefined ? { watchMs: o.watchMs } : {}),
  });
}

/** The gVisor folder as a host fact, when it holds both binaries. */
function gvisorHost(dir: string): { gvisorDir?: string } {
  const found = gvisorFolder(dir);
  return found ? { gvisorDir: found } : {};
}
