import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppInfo } from './contract/app';
import { createFileLogger } from './adapters/log/file-logger';
import { createFileAccess } from './adapters/files/confined';
import { createGrantedFileAccess, type GrantedFileAccess } from './adapters/files/granted';
import type { FileChooser } from './ports/file-access';
import { FileSettingsStore } from './adapters/settings/file-store';
import { discoverLocalEngineSafely } from './adapters/engine/discover';
import { createDockerEngine } from './adapters/engine/docker-api';
import { localNerdctlEngine } from './adapters/engine/nerdctl/local-config';
import { createProcessRunner } from './adapters/process/runner';
import { EngineRegistry } from './services/engine-registry';
import { ExecSessions } from './services/exec-sessions';
import { ChangeFeed } from './services/change-feed';
import { SecurityService } from './services/security';
import { HardeningService } from './services/hardening';
import { AckFileStore } from './adapters/security/ack-file-store';
import { ImageUsage } from './services/image-usage';
import { FirstList } from './services/first-list';
import type { EarlyList } from './server/early-list';
import { earlyContainers } from './adapters/engine/docker-api/early-containers';
import { EngineAddresses } from './services/engine-address';
import { ContainerAlerts } from './services/container-alerts';
import { parseDockerHost } from './core/docker-host';
import { TerminalService } from './services/terminals';
import { createPtyFactory } from './adapters/pty/node-pty';
import { hostShellSpec } from './adapters/pty/host-shell';
import { openVmShell } from './composition-terminals';
import type { Services } from './services';
import { createApiServer } from './api/router';
import type { RpcServer } from './api/rpc-server';
import type { Logger } from './ports/logger';
import { createVmService, type VmCoreOptions } from './composition-vm';
import { createKubernetesService, kubernetesBeforeStart, kubernetesPaths } from './composition-kubernetes';
import type { KubernetesService } from './services/kubernetes';
import { createPodsService, openPodShell } from './composition-pods';

/** The shells' last-resort error handler (logs, keeps the core serving); see app/server/last-resort.ts. */
export { installLastResort } from './server/last-resort';
export type { FileChooser } from './ports/file-access';

export interface CoreOptions {
  /** The app's data folder (settings, logs, Lima home). */
  dataDir: string;
  mode: AppInfo['mode'];
  version: string;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  /** Echo the log to stderr (browser mode). */
  echoLog?: boolean;
  /** Berth's bundled CLI folder (docker, nerdctl, limactl), put first on PATH in host terminals; default resources/bin/<os>-<arch>. */
  cliDir?: string;
  /** Resources folder (Lima templates, bundled binaries); default ./resources. */
  resourcesDir?: string;
  /** VM options (instance name, LIMA_HOME, local images for air-gapped installs and tests). */
  vm?: VmCoreOptions;
  /** Browser mode: the one folder clients may have the core read and write files in (save, load, export); omit for none. */
  filesDir?: string;
  /**
   * A window opens on the Containers page as soon as the core is up (the Electron app; `npm run web`'s printed
   * URL): the core then lists the containers while the window loads (services/first-list.ts). Default: no window.
   */
  opensWindow?: boolean;
  /**
   * The container list the entry asked the engine for at process start (startEarlyList, before this module loaded: the
   * Docker Engine API's or a local nerdctl's containerd): the window's first list when it is the active engine's and
   * nothing changed since. Only with opensWindow.
   */
  earlyList?: EarlyList | null;
}

export interface Core {
  readonly services: Services;
  readonly rpc: RpcServer;
  readonly log: Logger;
  /** Electron: the main process's open/save dialog, the only way a path the core reads or writes for the renderer is granted. */
  setFileChooser(chooser: FileChooser): void;
  dispose(): Promise<void>;
}

/** The one place that picks concrete adapters and wires the services. */
export async function createCore(opts: CoreOptions): Promise<Core> {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const logFile = path.join(opts.dataDir, 'logs', 'berth.log');
  const log = createFileLogger({ file: logFile, echo: opts.echoLog ?? false });
  log.info('Berth core starting', { version: opts.version, mode: opts.mode, platform, dataDir: opts.dataDir });

  const settings = new FileSettingsStore(path.join(opts.dataDir, 'settings.json'), log.child('settings'));
  const loaded = await settings.load();
  const warnings = loaded.warning ? [loaded.warning] : [];

  const runner = createProcessRunner(log.child('process'));
  const engines = new EngineRegistry();
  const found = discoverLocalEngineSafely({ platform, env, configuredHost: loaded.settings.engine.host });
  const candidate = found.candidate;
  for (const w of found.warnings) log.warn(w);
  warnings.push(...found.warnings);
  log.info(`Using engine ${candidate.name} (${candidate.source})`);
  engines.add(createDockerEngine({ id: candidate.id, name: candidate.name, host: candidate.host, log, runner, env }), { active: true });

  const engineAddresses = new EngineAddresses({
    registry: engines,
    settings,
    connect: (host, id, name) => createDockerEngine({ id, name, host: parseDockerHost(host), log, runner, env }),
    log: log.child('engines'),
  });
  const customWarning = engineAddresses.restore();
  if (customWarning) {
    log.warn(customWarning);
    warnings.push(customWarning);
  }
  const earlyNerdctl = opts.earlyList?.kind === 'nerdctl' ? opts.earlyList : null;
  const nerdctl = localNerdctlEngine({ settings: loaded.settings.engine, env, processes: runner, log, early: earlyNerdctl });
  if (nerdctl && 'warning' in nerdctl) warnings.push(nerdctl.warning);
  else if (nerdctl) engines.add(nerdctl.engine, { active: nerdctl.active });
  // The engine the user picked last time (engines.setActive), now or as soon as it is registered (the VM's).
  engines.prefer(loaded.settings.engine.active || null);

  const changes = new ChangeFeed(engines, { log: log.child('changes') });
  changes.start();
  const acks = new AckFileStore(path.join(opts.dataDir, 'security-acks.json'), log.child('security'));
  const early = opts.earlyList?.kind === 'docker' ? earlyContainers(opts.earlyList) : nerdctl && !('warning' in nerdctl) ? nerdctl.early : null;
  const firstList = new FirstList(engines, changes, { opensWindow: opts.opensWindow ?? false, early });
  // The badges' ids come from the window's first list when nothing changed since (no second listing at start).
  const security = new SecurityService(engines, changes, acks, (engineId) => firstList.seed(engineId));
  const imageUsage = new ImageUsage(changes);

  let kubernetes: KubernetesService | null = null;
  const vm = createVmService({
    k3sCacheDir: kubernetesPaths(opts.dataDir).cache,
    beforeStart: (signal) => kubernetesBeforeStart(kubernetes, opts.dataDir, signal),
    dataDir: opts.dataDir,
    logFile,
    resourcesDir: opts.resourcesDir ?? path.resolve('resources'),
    cliDir: opts.cliDir ?? path.resolve('resources', 'bin', `${platform}-${os.arch()}`),
    platform,
    env,
    settings,
    engines,
    runner,
    log,
    ...(opts.vm ? { opts: opts.vm } : {}),
  });
  await vm.refresh().catch((err: unknown) => log.warn('Could not read the VM state', { error: String(err) }));
  kubernetes = createKubernetesService({ dataDir: opts.dataDir, env, settings, vm, runner, log: log.child('kubernetes') });
  await kubernetes.init();

  // Browser mode: one folder. Electron: only paths the user picked in the main process's dialog.
  const granted: GrantedFileAccess | undefined = opts.mode === 'electron' && !opts.filesDir ? createGrantedFileAccess() : undefined;
  const files = opts.filesDir ? await createFileAccess(opts.filesDir) : granted;
  const vmKubeconfig = kubernetesPaths(opts.dataDir).kubeconfig;
  const podsSource = await createPodsService(env, log.child('pods'), () => ({
    setting: settings.get().kube.kubeconfig,
    vmKubeconfig: settings.get().vm.kubernetes && fs.existsSync(vmKubeconfig) ? vmKubeconfig : null,
  }));
  const pods = podsSource.pods;
  const refreshPods = () => void podsSource.refresh().catch((err: unknown) => log.warn('Could not switch the pods page to another kubeconfig', { error: String(err) }));
  const offPodsSettings = settings.onChange(refreshPods);
  const offPodsKubernetes = kubernetes.subscribe(refreshPods);
  const services: Services = {
    ...(files ? { files } : {}),
    info: { name: 'Berth', version: opts.version, mode: opts.mode, platform, arch: os.arch(), dataDir: opts.dataDir, logFile, warnings },
    settings,
    engines,
    execSessions: new ExecSessions(log.child('exec')),
    changes,
    security,
    hardening: new HardeningService(security, acks, log.child('hardening')),
    imageUsage,
    firstList,
    engineAddresses,
    alerts: new ContainerAlerts({ changes, registry: engines, settings, log: log.child('alerts') }),
    terminals: new TerminalService({
      pty: createPtyFactory(log.child('terminals')),
      engines,
      log: log.child('terminals'),
      hostShell: (dockerHost) =>
        hostShellSpec({ platform, env, shell: settings.get().terminal.shell, cliDir: opts.cliDir ?? path.resolve('resources', 'bin', `${platform}-${os.arch()}`) }, dockerHost),
      vmShell: (cols, rows) => openVmShell(vm, runner, cols, rows),
      nativeHost: platform === 'linux',
      podExec: (t, cols, rows) => openPodShell(pods, t, cols, rows),
    }),
    vm,
    kubernetes,
    pods,
    log,
  };
  const rpc = createApiServer(services);
  return {
    services,
    rpc,
    log,
    setFileChooser(chooser) {
      if (!granted) throw new Error('setFileChooser: this core does not take paths from a dialog');
      granted.setChooser(chooser);
    },
    async dispose() {
      services.execSessions.closeAll();
      services.terminals.closeAll();
      // Event streams and reconnect timers first: nothing may outlive the core.
      await vm.dispose();
      // Commands still running end, and none start (a cold page's badges fall back to two nerdctl inspects per row once
      // the engine's client is closed below).
      runner.dispose();
      offPodsSettings();
      offPodsKubernetes();
      services.kubernetes.dispose();
      services.pods.dispose();
      security.dispose();
      imageUsage.dispose();
      firstList.dispose();
      await changes.dispose();
      await engines.dispose();
      log.info('Berth core stopped');
      await log.flush();
    },
  };
}
