import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isAlive, pidsMentioning, run } from './proc';

/**
 * Private folders of the test peers (dockerd and friends), one per peer, and the reaper of the
 * ones a killed run left behind.
 *
 * Ownership is proved by a listening unix socket, `alive.sock`, that the owning process holds
 * open for as long as it lives: the kernel refuses connections to it the moment that process
 * dies, whatever PID namespace, user or container it ran in. A PID in a file proves nothing
 * across namespaces (another run's live owner can have a PID that is free here), and a reaper
 * that trusts one kills the engine of a run beside it.
 */
export const PREFIX = 'berth-d-';
const ALIVE = 'alive.sock';

export interface RunFolder {
  readonly dir: string;
  /** Stops claiming the folder: call it after removing the folder. */
  release(): Promise<void>;
}

/** A fresh private folder for one peer, held by this process until release() or its death. */
export async function claimRunFolder(root = os.tmpdir()): Promise<RunFolder> {
  const dir = fs.mkdtempSync(path.join(root, PREFIX));
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path.join(dir, ALIVE), () => resolve());
  });
  server.on('error', () => undefined); // a late error on the holder must not end the run
  server.unref(); // holding the folder never keeps the process alive
  // Written after the socket listens: a folder with an owner file is always provable.
  fs.writeFileSync(path.join(dir, 'owner'), String(process.pid));
  return {
    dir,
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Verdict = 'alive' | 'orphaned' | 'unknown';

/** Connects to the folder's liveness socket: refused means its owner is gone. */
function probe(sock: string, timeoutMs = 2000): Promise<Verdict> {
  return new Promise((resolve) => {
    const s = net.connect(sock);
    const done = (v: Verdict) => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done('unknown'), timeoutMs);
    s.once('connect', () => done('alive'));
    s.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'orphaned' : 'unknown'));
  });
}

/** A folder made before liveness sockets: orphaned only if provable from this PID namespace. */
function legacyVerdict(dir: string, owner: number): Verdict {
  if (isAlive(owner)) return 'alive';
  // Its dockerd still running and visible here proves we share its PID namespace, so the dead
  // owner PID means what it says; an engine we cannot see may belong to a live run elsewhere.
  const pidFile = path.join(dir, 'dockerd.pid');
  if (!fs.existsSync(pidFile)) return 'unknown';
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir) ? 'orphaned' : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function verdict(dir: string): Promise<Verdict> {
  let owner: number;
  try {
    owner = Number(fs.readFileSync(path.join(dir, 'owner'), 'utf8').trim());
  } catch {
    return 'unknown'; // not written by this harness, or being created right now
  }
  if (!owner) return 'unknown';
  const sock = path.join(dir, ALIVE);
  return fs.existsSync(sock) ? probe(sock) : legacyVerdict(dir, owner);
}

export function unmountUnder(dir: string) {
  const mounts = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) run('umount', ['-l', m]);
}

/**
 * Removes the folders (daemons, mounts, bridge) of runs that were killed (Ctrl-C, a timeout)
 * and never disposed their peers. Returns the folders removed. A folder whose owner is alive,
 * or cannot be proved dead, is never touched.
 */
export async function reapStale(root = os.tmpdir()): Promise<string[]> {
  const reaped: string[] = [];
  for (const name of fs.readdirSync(root)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(root, name);
    if ((await verdict(dir)) !== 'orphaned') continue;
    for (const p of pidsMentioning(dir)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    unmountUnder(dir);
    const bridgeFile = path.join(dir, 'bridge');
    if (fs.existsSync(bridgeFile)) run('ip', ['link', 'del', fs.readFileSync(bridgeFile, 'utf8').trim()]);
    fs.rmSync(dir, { recursive: true, force: true });
    reaped.push(dir);
  }
  return reaped;
}
