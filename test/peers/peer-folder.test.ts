import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makePeerFolder, reapOrphans } from '../support/peer-folder';

const execFileP = promisify(execFile);
const PREFIX = 'berth-tpeer-';

const running = (pid: number) => {
  try {
    return !/^\d+ \([^)]*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('peer folders: only provably orphaned ones are reaped', () => {
  it("removes a folder whose owner died, with what ran from it, and keeps a live owner's folder", async () => {
    const mine = await makePeerFolder(PREFIX);
    // Another process makes a folder, starts a child that lives in it, and dies without cleaning up.
    const module = path.resolve('test/support/peer-folder.ts');
    const script = `
      import { spawn } from 'node:child_process';
      const { makePeerFolder } = await import(${JSON.stringify(module)});
      const f = await makePeerFolder(${JSON.stringify(PREFIX)});
      const child = spawn('sleep', ['300', f.dir], { detached: true, stdio: 'ignore' });
      child.unref();
      console.log(JSON.stringify({ dir: f.dir, pid: child.pid }));
      process.exit(0);`;
    const { stdout } = await execFileP(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    const orphan = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { dir: string; pid: number };
    try {
      expect(fs.existsSync(orphan.dir)).toBe(true);
      await reapOrphans(PREFIX);
      expect(fs.existsSync(orphan.dir)).toBe(false);
      // Killed: gone, or a zombie until init reaps it.
      await expect.poll(() => running(orphan.pid), { timeout: 5_000 }).toBe(false);
      expect(fs.existsSync(mine.dir)).toBe(true);
    } finally {
      fs.rmSync(mine.dir, { recursive: true, force: true });
      await mine.release();
    }
  });
});
