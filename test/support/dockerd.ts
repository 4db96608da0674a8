import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Docker from 'dockerode';
import { FatalWait, isAlive, pidsMentioning, run, sleep, waitFor, which } from './proc';
import { claimRunFolder, reapStale, unmountUnder } from './run-folders';

export interface DockerdOptions {
  /** Put the data-root on a tmpfs of this size (to test a full disk). */
  dataRootSizeMb?: number;
  /** Extra OCI runtimes (daemon.json `runtimes`), e.g. `{ runsc: { path: '/usr/bin/runsc', runtimeArgs: [...] } }` for gVisor. */
  runtimes?: Record<string, { path: string; runtimeArgs?: string[] }>;
}

export interface Dockerd {
  readonly dir: string;
  readonly socketPath: string;
  /** `unix:///…/docker.sock` */
  readonly dockerHost: string;
  readonly bridge: string;
  readonly subnet: string;
  /** Starts dockerd again after stop() or kill(), on the same data-root and socket. */
  start(): Promise<void>;
  /** Graceful stop (SIGTERM). */
  stop(): Promise<void>;
  /** A crash: SIGKILL, no cleanup. */
  kill(): Promise<void>;
  /** Stops dockerd and removes everything it made: mounts, bridge, folder. */
  dispose(): Promise<void>;
}

export const DOCKERD_BINARIES = ['dockerd', 'containerd', 'runc', 'ip'];

/** Why a private dockerd cannot run here, or null when it can. */
export function dockerdUnavailable(): string | null {
  const missing = DOCKERD_BINARIES.filter((b) => !which(b));
  if (missing.length) return `missing ${missing.join(', ')} (install docker.io, containerd, runc, iproute2)`;
  if (process.getuid?.() !== 0) return 'a private dockerd needs root';
  return null;
}

/** GET /_ping over the unix socket. */
export function pingSocket(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

function pickSubnet(): string {
  const used = run('ip', ['-4', '-o', 'addr']).stdout + run('ip', ['-4', 'route']).stdout;
  for (let i = 0; i < 50; i++) {
    const n = 1 + crypto.randomInt(254);
    const net = `172.30.${n}`;
    if (!used.includes(`${net}.`)) return net;
  }
  throw new Error('No free 172.30.x.0/24 subnet for a private bridge');
}

/** Removes every container and user network of a private engine; returns the networks' bridge names. */
async function removeNetworks(socketPath: string): Promise<string[]> {
  const docker = new Docker({ socketPath });
  try {
    for (const c of await docker.listContainers({ all: true })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
    const names: string[] = [];
    for (const n of await docker.listNetworks()) {
      if (n.Driver !== 'bridge' || n.Name === 'bridge') continue;
      names.push(n.Options?.['com.docker.network.bridge.name'] ?? `br-${n.Id.slice(0, 12)}`);
      await docker.getNetwork(n.Id).remove().catch(() => undefined);
    }
    return names;
  } catch {
    return []; // the engine is not answering: nothing more to learn from it
  }
}

/**
 * A private dockerd: its own data-root, exec-root, pidfile, socket and bridge in a temp
 * folder, no iptables changes, its own config file (never /etc/docker/daemon.json). It
 * never sees the user's engine or containers.
 */
export async function startDockerd(opts: DockerdOptions = {}): Promise<Dockerd> {
  const why = dockerdUnavailable();
  if (why) throw new Error(`Cannot start a private dockerd: ${why}`);
  await reapStale();
  const folder = await claimRunFolder();
  const dir = folder.dir;
  const socketPath = path.join(dir, 'docker.sock');
  const dataRoot = path.join(dir, 'data');
  fs.mkdirSync(dataRoot);
  if (opts.dataRootSizeMb) {
    const r = run('mount', ['-t', 'tmpfs', '-o', `size=${opts.dataRootSizeMb}m`, 'tmpfs', dataRoot]);
    if (r.status !== 0) throw new Error(`Could not mount a tmpfs data-root: ${r.stderr}`);
  }
  const configFile = path.join(dir, 'daemon.json');
  fs.writeFileSync(configFile, `${JSON.stringify(opts.runtimes ? { runtimes: opts.runtimes } : {})}\n`);
  const bridge = `bth${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(path.join(dir, 'bridge'), bridge);
  const net = pickSubnet();
  const subnet = `${net}.0/24`;
  for (const args of [
    ['link', 'add', bridge, 'type', 'bridge'],
    ['addr', 'add', `${net}.1/24`, 'dev', bridge],
    ['link', 'set', bridge, 'up'],
  ]) {
    const r = run('ip', args);
    if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr}`);
  }

  let child: ChildProcess | null = null;
  const logFile = path.join(dir, 'dockerd.log');

  const start = async () => {
    const log = fs.openSync(logFile, 'a');
    child = spawn(
      'dockerd',
      [
        '--config-file', configFile,
        '--data-root', dataRoot,
        '--exec-root', path.join(dir, 'exec'),
        '--pidfile', path.join(dir, 'dockerd.pid'),
        '--host', `unix://${socketPath}`,
        '--bridge', bridge,
        '--iptables=false',
        '--ip-masq=false',
        '--log-level', 'warn',
      ],
      { stdio: ['ignore', log, log], detached: false },
    );
    fs.closeSync(log);
    const proc = child;
    let exited = false;
    proc.once('exit', () => {
      exited = true;
    });
    await waitFor(
      `dockerd on ${socketPath} (log: ${logFile})`,
      async () => {
        if (exited) throw new FatalWait(`dockerd exited: ${fs.readFileSync(logFile, 'utf8').split('\n').slice(-5).join(' | ')}`);
        return pingSocket(socketPath);
      },
      60_000,
      150,
    );
  };

  const waitGone = async (pid: number, ms: number) => {
    const deadline = Date.now() + ms;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    return !isAlive(pid);
  };

  // dockerd's own containerd outlives a killed dockerd by a second or two; a dockerd started
  // meanwhile finds its pidfile alive, waits for it instead of starting one, and times out.
  const containerdPid = () => {
    try {
      return Number(fs.readFileSync(path.join(dir, 'exec', 'containerd', 'containerd.pid'), 'utf8').trim()) || 0;
    } catch {
      return 0;
    }
  };

  const stopWith = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = null;
    if (!proc?.pid) return;
    const containerd = containerdPid();
    proc.kill(signal);
    if (!(await waitGone(proc.pid, 20_000))) proc.kill('SIGKILL');
    await waitGone(proc.pid, 5_000);
    if (containerd && !(await waitGone(containerd, 20_000))) {
      try {
        process.kill(containerd, 'SIGKILL');
      } catch {
        /* gone */
      }
      await waitGone(containerd, 5_000);
    }
  };

  const handle: Dockerd = {
    dir,
    socketPath,
    dockerHost: `unix://${socketPath}`,
    bridge,
    subnet,
    start,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    async dispose() {
      // dockerd keeps the Linux bridges of user networks when it stops: remove its containers and
      // networks through its API first (everything in this private engine is ours), and note the
      // bridge names so any that survive are deleted below.
      const leftovers = child ? await removeNetworks(socketPath) : [];
      await stopWith('SIGTERM');
      // containerd and shims started by this dockerd mention our folder on their command line.
      for (const pid of pidsMentioning(dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      await sleep(200);
      unmountUnder(dir);
      for (const b of [bridge, ...leftovers]) if (run('ip', ['link', 'show', b]).status === 0) run('ip', ['link', 'del', b]);
      fs.rmSync(dir, { recursive: true, force: true });
      await folder.release();
    },
  };
  try {
    await start();
  } catch (err) {
    await handle.dispose();
    throw err;
  }
  return handle;
}
