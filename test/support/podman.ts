import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pingSocket } from './dockerd';
import { startDaemon, type Daemon } from './daemon';
import { bridgeName, freeSubnet, makePeerFolder, noteBridge, removePeerFolder, unmountUnder } from './peer-folder';
import { which } from './proc';
import { TOOLS_INSTALL } from './tools';

export interface PodmanInfo {
  /** The peer's temp folder (`/tmp/berth-p-…`). */
  dir: string;
  socketPath: string;
  /** `unix:///…/podman.sock`: Podman's Docker-compatible API. */
  dockerHost: string;
  /** Global flags that point the `podman` CLI at the same storage and config as the service. */
  podmanArgs: string[];
  /** CONTAINERS_CONF, CONTAINERS_REGISTRIES_CONF, CONTAINERS_STORAGE_CONF of this peer (merge over process.env). */
  env: Record<string, string>;
  /** The default `podman` network's Linux bridge and subnet (`10.215.N.0/24`). */
  bridge: string;
  subnet: string;
}

export interface Podman extends PodmanInfo {
  /** Removes every container and pod, stops the service, deletes mounts, bridges and the folder. */
  dispose(): Promise<void>;
}

export interface PodmanOptions {
  /** Registries reached over plain HTTP (`127.0.0.1:PORT` of the harness registry). No other registry is configured. */
  insecureRegistries?: string[];
}

const PREFIX = 'berth-p-';
const CNI_DIR = '/usr/lib/cni';

/** Why a private Podman service cannot run here (naming the install command), or null when it can. */
export function podmanUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'a private Podman service needs root';
  const missing = ['podman', 'conmon', 'runc', 'ip', 'iptables'].filter((b) => !which(b));
  if (missing.length) return `missing ${missing.join(', ')} (run ${TOOLS_INSTALL}, which installs Debian's podman)`;
  if (!fs.existsSync(path.join(CNI_DIR, 'bridge'))) return `missing the CNI plugins in ${CNI_DIR} (run ${TOOLS_INSTALL}: Debian's podman depends on containernetworking-plugins)`;
  return null;
}

const q = JSON.stringify;

/**
 * Container rlimits Podman can grant here. Rootful Podman asks for nofile 1048576 and nproc 4194304, and
 * runc refuses whatever is above the hard limits of the Podman process ("error setting rlimit type 7/6:
 * operation not permitted"): nofile gets this process's hard limit, nproc at most 32768, the limit the
 * Podman 4.3 service was seen to run with (it lowers its own).
 */
function hardLimits(): string[] {
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const hard = (label: string) => Number(new RegExp(`^${label}\\s+\\S+\\s+(\\d+)`, 'm').exec(limits)?.[1] ?? 'NaN');
  const nofile = hard('Max open files');
  const nproc = Math.min(hard('Max processes') || 32768, 32768);
  return [...(Number.isFinite(nofile) ? [`nofile=${nofile}:${nofile}`] : []), `nproc=${nproc}:${nproc}`];
}

/** Podman's default network as a CNI config of our own: a private bridge name and IPAM store (its own are machine-wide). */
function defaultNetwork(bridge: string, net: string, ipamDir: string): string {
  return `${JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'podman',
      plugins: [
        {
          type: 'bridge',
          bridge,
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: { type: 'host-local', routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: `${net}.0/24`, gateway: `${net}.1` }]], dataDir: ipamDir },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
        { type: 'firewall' },
        { type: 'tuning' },
      ],
    },
    null,
    2,
  )}\n`;
}

/**
 * A private Podman (Debian's 4.3) serving its Docker-compatible API on a socket in a temp folder:
 * its own storage (root, runroot, tmpdir), containers.conf (cgroupfs, file events and locks, a
 * private CNI config folder whose default network has its own bridge on 10.215.N.0/24) and a
 * registries.conf that names no remote registry (short names never reach the internet).
 */
export async function startPodman(opts: PodmanOptions = {}): Promise<Podman> {
  const why = podmanUnavailable();
  if (why) throw new Error(`Cannot start a private Podman: ${why}`);
  const folder = await makePeerFolder(PREFIX);
  const dir = folder.dir;
  const socketPath = path.join(dir, 'podman.sock');
  const net = freeSubnet('10.215');
  const bridge = bridgeName('bthp');
  noteBridge(dir, bridge);
  const p = (name: string) => path.join(dir, name);
  for (const d of ['root', 'run', 'tmp', 'cni', 'volumes']) fs.mkdirSync(p(d));
  fs.writeFileSync(path.join(p('cni'), 'podman.conflist'), defaultNetwork(bridge, net, p('cni-ipam')));

  fs.writeFileSync(
    p('containers.conf'),
    [
      '[containers]',
      'log_driver = "k8s-file"',
      `default_ulimits = [${hardLimits().map((l) => q(l)).join(', ')}]`,
      '',
      '[network]',
      'network_backend = "cni"',
      `cni_plugin_dirs = [${q(CNI_DIR)}]`,
      `network_config_dir = ${q(p('cni'))}`,
      'default_network = "podman"',
      `default_subnet = ${q(`${net}.0/24`)}`,
      '',
      '[engine]',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `events_logfile_path = ${q(p('events.log'))}`,
      // SHM locks live in one machine-wide segment (/dev/shm/libpod_lock) that two Podmans would share.
      'lock_type = "file"',
      `tmp_dir = ${q(p('tmp'))}`,
      `volume_path = ${q(p('volumes'))}`,
      // crun 1.8 refuses this machine's hybrid cgroups ("cgroups in hybrid mode not supported"); runc runs on them.
      'runtime = "runc"',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    p('registries.conf'),
    [
      'unqualified-search-registries = []',
      ...(opts.insecureRegistries ?? []).flatMap((r) => ['', '[[registry]]', `location = ${q(r)}`, 'insecure = true']),
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    p('storage.conf'),
    ['[storage]', 'driver = "overlay"', `graphroot = ${q(p('root'))}`, `runroot = ${q(p('run'))}`, ''].join('\n'),
  );
  const env: Record<string, string> = {
    CONTAINERS_CONF: p('containers.conf'),
    CONTAINERS_REGISTRIES_CONF: p('registries.conf'),
    CONTAINERS_STORAGE_CONF: p('storage.conf'),
  };
  const podmanArgs = [
    '--root', p('root'),
    '--runroot', p('run'),
    '--tmpdir', p('tmp'),
    '--storage-driver', 'overlay',
    '--cgroup-manager', 'cgroupfs',
    '--events-backend', 'file',
    '--network-config-dir', p('cni'),
  ];
  const fullEnv = { ...process.env, ...env };

  let daemon: Daemon | null = null;
  const handle: Podman = {
    dir,
    socketPath,
    dockerHost: `unix://${socketPath}`,
    podmanArgs,
    env,
    bridge,
    subnet: `${net}.0/24`,
    async dispose() {
      if (daemon) {
        // Through the CLI, so CNI releases addresses and rules; the service keeps serving meanwhile.
        for (const args of [['pod', 'rm', '--all', '--force'], ['rm', '--all', '--force', '--volumes']]) {
          spawnSync('podman', [...podmanArgs, ...args], { env: fullEnv, stdio: 'ignore', timeout: 60_000 });
        }
        await daemon.stop();
      }
      unmountUnder(dir);
      removePeerFolder(dir);
      await folder.release();
    },
  };
  try {
    daemon = await startDaemon({
      name: 'podman system service',
      command: 'podman',
      args: [...podmanArgs, '--log-level', 'warn', 'system', 'service', '--time=0', `unix://${socketPath}`],
      env: fullEnv,
      logFile: p('podman.log'),
      ready: () => pingSocket(socketPath),
    });
  } catch (err) {
    await handle.dispose();
    throw err;
  }
  return handle;
}
