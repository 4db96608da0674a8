import type { EngineCapabilities } from '../../../contract/engines';
import type { EarlyContainerList } from '../../../ports/early-list';
import type { ContainerEngine } from '../../../ports/engine';
import type { EngineCommandRunner, RunResult } from '../../../ports/engine/command-runner';
import type { Logger } from '../../../ports/logger';
import { createNerdctlContext } from './context';
import { NerdctlSystem } from './system';
import { NerdctlContainers } from './containers';
import { NerdctlImages } from './images';
import { NerdctlVolumes } from './volumes';
import { NerdctlNetworks } from './networks';
import { NerdctlLogs } from './logs';
import { NerdctlStats } from './stats';
import { NerdctlExec } from './exec';
import { NerdctlEvents } from './events';
import { NerdctlNamespaces } from './namespaces';
import { NerdctlSecurity } from './security';
import { NerdctlDebug } from './debug';
import { NerdctlFiles } from './files';
import { ArchiveFiles } from '../files-archive';
import { ContainerdLists, type ContainerdEndpoint } from './containerd-list';
import { nerdctlVolumeStamp } from './volume-stamp';
import { EarlyNerdctlContainers } from './early-containers';
import type { EarlyNerdctlList } from './early-list';

/** What nerdctl can do, as data: the UI hides or explains what is false. */
export const NERDCTL_CAPABILITIES: EngineCapabilities = {
  // No volume (or network) events in containerd: volumes are polled while watched.
  volumeEvents: false,
  statsStream: true,
  namespaces: true,
  build: true,
  compose: true,
  exportContainer: true,
  pauseUnpause: true,
  // nerdctl 2.3's `volume create` takes labels only (no driver, no options); it has no `network connect`/`disconnect`.
  volumeDriverOptions: false,
  networkConnect: false,
  // `network create --internal`: a bridge that is no gateway and does no masquerading.
  internalNetworks: true,
  // No `system df` in nerdctl: the report is computed from its lists (build cache unknown, said in its notes).
  diskUsage: true,
  // Stopped containers, networks, volumes, images and BuildKit's cache, from nerdctl's own prunes.
  systemPrune: true,
  // containerd's events: no network or tag/untag events, and container events name the id only (no `stop` after `die`).
  objectEvents: false,
  containerEventDetails: false,
  // nerdctl refuses `-d -i` without `-t`.
  openStdin: false,
  // Running containers through a short-lived helper container (busybox on /proc/1/root); stopped ones and uploads through `nerdctl cp`.
  files: { via: 'helper-container', changes: true },
  // nerdctl 2.3 pulls through containerd's transfer service, which prints running totals only (no per-layer lines).
  layerProgress: false,
  // containerd's events carry no health status (nerdctl runs checks from systemd timers): no unhealthy notifications.
  healthEvents: false,
};

/** What rootless containerd lacks on top (known once the engine's information was read): automatic and low host ports. */
export const NERDCTL_ROOTLESS_CAPABILITIES: EngineCapabilities = { ...NERDCTL_CAPABILITIES, autoHostPort: false, lowHostPorts: false };

export interface NerdctlEngineOptions {
  id: string;
  name: string;
  /** Local nerdctl (createLocalNerdctlRunner) or `limactl shell <instance> nerdctl` (the VM's runner). */
  runner: EngineCommandRunner;
  log: Logger;
  /** The core's environment (env files' bare KEY lookups). */
  env: Record<string, string | undefined>;
  /** The containerd namespace to act in (default `default`). */
  namespace?: string;
  /**
   * `containerd config dump` where the engine runs (containerd's effective configuration, imports merged):
   * the runtimes it registers are offered beside the default. Without it, only the runtimes containers use.
   */
  containerdConfig?: () => Promise<RunResult>;
  /**
   * containerd's socket and nerdctl's data root, where the core can reach them (a local nerdctl): container lists
   * are then read from containerd's API (nerdctl ps where it cannot be used). Without it, nerdctl ps only.
   */
  containerd?: ContainerdEndpoint;
  /**
   * The container list asked for at process start (early-list.ts), of this engine's containerd socket and namespace (the
   * caller checked): the window's first list when nothing changed since (createNerdctlEngineWithEarly gives it).
   */
  early?: EarlyNerdctlList | null;
}

/** The nerdctl adapter: containerd through the nerdctl CLI, every command through one runner. */
export function createNerdctlEngine(opts: NerdctlEngineOptions): ContainerEngine {
  return createNerdctlEngineWithEarly(opts).engine;
}

/**
 * The nerdctl adapter and, given `early` and containerd's API (`containerd`), the early list as the core's
 * EarlyContainerList (early-containers.ts); without them `early` is let go and null is given.
 */
export function createNerdctlEngineWithEarly(opts: NerdctlEngineOptions): { engine: ContainerEngine; early: EarlyContainerList | null } {
  const ctx = createNerdctlContext(opts.id, opts.runner, opts.log.child(`engine:${opts.id}`), opts.env, opts.namespace || 'default');
  const debug = new NerdctlDebug(ctx);
  const images = new NerdctlImages(ctx);
  const volumes = new NerdctlVolumes(ctx, opts.containerd ? nerdctlVolumeStamp(opts.containerd, () => ctx.namespace) : undefined);
  const networks = new NerdctlNetworks(ctx);
  const lists = opts.containerd ? new ContainerdLists(ctx, opts.containerd) : null;
  const early = opts.early && lists ? new EarlyNerdctlContainers(opts.early, lists, ctx) : null;
  if (!early) opts.early?.release();
  const engine: ContainerEngine = {
    id: opts.id,
    kind: 'nerdctl',
    name: opts.name,
    endpoint: opts.runner.endpoint,
    get capabilities() {
      const caps = ctx.rootless ? NERDCTL_ROOTLESS_CAPABILITIES : NERDCTL_CAPABILITIES;
      return ctx.stargz ? { ...caps, lazyPull: true } : caps;
    },
    system: new NerdctlSystem(ctx, { images, networks, volumes }),
    containers: new NerdctlContainers(ctx, lists),
    images,
    volumes,
    networks,
    logs: new NerdctlLogs(ctx),
    stats: new NerdctlStats(ctx),
    exec: new NerdctlExec(ctx),
    events: new NerdctlEvents(ctx, early ? () => early.heard() : undefined),
    namespaces: new NerdctlNamespaces(ctx),
    security: new NerdctlSecurity(ctx, opts.containerdConfig, lists),
    debug,
    files: new ArchiveFiles(new NerdctlFiles(ctx, debug)),
    async dispose() {
      debug.dispose();
      early?.release();
      lists?.dispose();
      // Every process is owned by a stream or call and ends with it.
    },
  };
  return { engine, early };
}

export { createLocalNerdctlRunner } from './local-runner';
