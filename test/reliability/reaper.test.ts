import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, pidsMentioning, which } from '../support/proc';
import { reapStale } from '../support/run-folders';

const FIXTURE = fileURLToPath(new URL('./fixtures/hold-run-folder.ts', import.meta.url));
const canUnshare = process.getuid?.() === 0 && !!which('unshare');

/** Starts the fixture (optionally in a new PID namespace) and resolves with the folder it claimed. */
function holdFolder(root: string, argvPrefix: string[]): Promise<{ dir: string; child: ChildProcess }> {
  const cmd = [...argvPrefix, process.execPath, '--import', 'tsx', FIXTURE, root];
  const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) resolve({ dir: out.trim(), child });
    });
    child.once('exit', (code) => reject(new Error(`fixture exited (${code}) before claiming a folder`)));
  });
}

/** A PID that is free in this namespace, so a process given that PID elsewhere looks dead from here. */
function pidFreeHere(): number {
  for (let p = 30_000; p > 2_000; p--) if (!fs.existsSync(`/proc/${p}`) && !fs.existsSync(`/proc/${p + 1}`)) return p;
  throw new Error('no free pid');
}

describe('the stale-engine reaper removes only what is provably orphaned', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-reaper-'));
  });
  afterEach(() => {
    for (const p of pidsMentioning(root)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps the folder of a live owner in this namespace', async () => {
    const { dir, child } = await holdFolder(root, []);
    expect(await reapStale(root)).toEqual([]);
    expect(fs.existsSync(dir)).toBe(true);
    child.kill('SIGTERM');
  });

  it.skipIf(!canUnshare)('keeps the folder of a live owner whose PID means nothing here (another PID namespace)', async () => {
    const pid = pidFreeHere();
    const prefix = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child', 'sh', '-c', `echo ${pid - 1} > /proc/sys/kernel/ns_last_pid; "$@" & wait`, 'sh'];
    const { dir } = await holdFolder(root, prefix);
    expect(isAlive(Number(fs.readFileSync(path.join(dir, 'owner'), 'utf8')))).toBe(false);
    expect(await reapStale(root)).toEqual([]);
    expect(fs.existsSync(dir)).toBe(true);
  });

  it('removes the folder of a killed owner, and the processes it left', async () => {
    const { dir, child } = await holdFolder(root, []);
    // a daemon the killed run left behind mentions its folder on its command line
    const leftover = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', dir], { stdio: 'ignore' });
    const leftoverExit = new Promise<NodeJS.Signals | null>((r) => leftover.once('exit', (_c, sig) => r(sig)));
    const ownerExit = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await ownerExit;
    expect(await reapStale(root)).toEqual([dir]);
    expect(fs.existsSync(dir)).toBe(false);
    expect(await leftoverExit).toBe('SIGKILL');
  });
});
