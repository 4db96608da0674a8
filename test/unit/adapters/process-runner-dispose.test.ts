import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProcessRunner } from '../../../app/adapters/process/runner';
import type { Logger } from '../../../app/ports/logger';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the process runner, once the core stops (dispose)', () => {
  it('ends the commands still running (they fail with CANCELLED) and starts no new one', async () => {
    const runner = createProcessRunner(quiet);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-runner-'));
    const pidFile = path.join(dir, 'pid');
    // A command that would run for a minute, and says its pid first.
    const running = runner.run('sh', ['-c', `echo $$ > "${pidFile}"; exec sleep 60`]);
    const pid = await (async () => {
      for (let i = 0; i < 200; i++) {
        const got = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
        if (got) return got;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('the command never started');
    })();
    expect(alive(pid)).toBe(true);
    runner.dispose();
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(alive(pid)).toBe(false);

    const marker = path.join(dir, 'ran');
    await expect(runner.run('sh', ['-c', `touch "${marker}"`])).rejects.toMatchObject({ code: 'CANCELLED' });
    await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(marker)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves results as they were until then: a command that ends by itself, a timeout, a non-zero exit', async () => {
    const runner = createProcessRunner(quiet);
    await expect(runner.run('sh', ['-c', 'echo hi'])).resolves.toMatchObject({ exitCode: 0, stdout: 'hi\n' });
    await expect(runner.run('sh', ['-c', 'exit 3'])).resolves.toMatchObject({ exitCode: 3 });
    // Killed by its own timeout (not by dispose): a result, as before.
    await expect(runner.run('sleep', ['5'], { timeoutMs: 50 })).resolves.toMatchObject({ exitCode: 128 });
    runner.dispose();
  });
});
