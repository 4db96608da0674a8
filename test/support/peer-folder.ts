import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pidsMentioning, run } from './proc';

/**
 * What every private peer (containerd, Podman, …) shares with the private dockerd: a temp folder
 * named `<prefix>XXXXXX`, an `owner` file (the test process's pid, for people) and a `bridges` file
 * (Linux bridges it made, one a line). Ownership is proved the way test/support/run-folders.ts does
 * for dockerd: the owner listens on `alive.sock` in the folder for as long as it lives, so a refused
 * connection proves the owner is gone whatever PID namespace it ran in. Such an orphan of a killed
 * run loses its processes, mounts, bridges and files; a folder that cannot be proved orphaned is
 * never touched.
 */
export interface PeerFolder {
  readonly dir: string;
  /** Stops claiming the folder: call it after removing the folder. */
  release(): Promise<void>;
}

const ALIVE = 'alive.sock';

export async function makePeerFolder(prefix: string): Promise<PeerFolder> {
  await reapOrphans(prefix);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path.join(dir, ALIVE), () => resolve());
  });
  server.on('error', () => undefined);
  server.unref();
  fs.writeFileSync(path.join(dir, 'owner'), String(process.pid));
  return { dir, release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Notes a bridge this peer made (or will make) so a reaper can delete it. */
export function noteBridge(dir: string, bridge: string): void {
  fs.appendFileSync(path.join(dir, 'bridges'), `${bridge}\n`);
}

function ownerGone(sock: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(sock);
    const done = (gone: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(gone);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.once('connect', () => done(false));
    s.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED'));
  });
}

export async function reapOrphans(prefix: string): Promise<void> {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(prefix)) continue;
    const dir = path.join(os.tmpdir(), name);
    const sock = path.join(dir, ALIVE);
    if (!fs.existsSync(sock) || !(await ownerGone(sock))) continue;
    removePeerFolder(dir);
  }
}

/** Kills what mentions `dir`, unmounts what is under it, deletes its noted bridges and the folder. */
export function removePeerFolder(dir: string): void {
  killMentioning(dir);
  unmountUnder(dir);
  const bridges = notedBridges(dir);
  for (const bridge of bridges) if (run('ip', ['link', 'show', bridge]).status === 0) run('ip', ['link', 'del', bridge]);
  dropIptablesRules(bridges);
  fs.rmSync(dir, { recursive: true, force: true });
}

export function notedBridges(dir: string): string[] {
  try {
    return [...new Set(fs.readFileSync(path.join(dir, 'bridges'), 'utf8').split('\n').filter(Boolean))];
  } catch {
    return [];
  }
}

/** Splits one `iptables-save` rule into arguments (double-quoted words keep their spaces). */
function ruleArgs(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '')));
}

/**
 * Deletes the iptables rules that name one of `interfaces` (CNI's firewall plugin leaves its per-bridge
 * isolation rules behind when the last container goes).
 */
export function dropIptablesRules(interfaces: string[]): void {
  if (!interfaces.length) return;
  const dump = run('iptables-save', []);
  if (dump.status !== 0) return;
  let table = 'filter';
  for (const line of dump.stdout.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    if (!line.startsWith('-A ')) continue;
    const args = ruleArgs(line);
    if (!interfaces.some((i) => args.includes(i))) continue;
    run('iptables', ['-t', table, '-D', ...args.slice(1)]);
  }
}

export function killMentioning(dir: string): void {
  for (const pid of pidsMentioning(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

export function unmountUnder(dir: string): void {
  const mounts = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) run('umount', ['-l', m]);
}

/** A free `<base>.N` /24 (N random) that no host address or route uses: `${net}.0/24`, gateway `${net}.1`. */
export function freeSubnet(base: string): string {
  const used = run('ip', ['-4', '-o', 'addr']).stdout + run('ip', ['-4', 'route']).stdout;
  for (let i = 0; i < 50; i++) {
    const candidate = `${base}.${1 + crypto.randomInt(254)}`;
    if (!used.includes(`${candidate}.`)) return candidate;
  }
  throw new Error(`No free ${base}.x.0/24 subnet for a private bridge`);
}

/** A Linux interface name (≤ 15 chars) that is unique enough: `<tag><8 hex>`. */
export const bridgeName = (tag: string) => `${tag}${crypto.randomBytes(4).toString('hex')}`;

/** Does something accept connections on this unix socket? */
export function socketAccepts(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path: socketPath });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 8): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join(' | ');
  } catch {
    return '(no log)';
  }
}
