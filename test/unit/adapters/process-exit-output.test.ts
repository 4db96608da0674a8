import { describe, expect, it } from 'vitest';
import { createProcessSpawner } from '../../../app/adapters/process/spawn';
import type { Logger } from '../../../app/ports/logger';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };
const spawner = createProcessSpawner(quiet);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a spawned process's output after it exits", () => {
  it('a slow reader still gets every byte a program wrote before it exited', async () => {
    // 256 KiB: more than the pipe (64 KiB) and Node's buffer (64 KiB) hold, so the program can exit only once much of it
    // was read. The reader stops with 96 KiB unread: more than Node's buffer takes, so some is still in the pipe when
    // the program exits, and less than both hold, so the program can finish writing and exit (with 128 KiB unread it
    // sometimes could not, and waiting for its exit hung). It waits for the exit, then pauses 1.5 s (longer than the
    // grace for a pipe held open by a grandchild) before reading on.
    const proc = await spawner.spawn('head', ['-c', String(256 * 1024), '/dev/zero']);
    let got = 0;
    let paused = false;
    for await (const chunk of proc.stdout) {
      got += chunk.length;
      if (!paused && got >= 160 * 1024) {
        paused = true;
        await proc.exit;
        await sleep(1500);
      }
    }
    expect(got).toBe(256 * 1024);
    expect((await proc.exit).exitCode).toBe(0);
  }, 20_000);

  it('a pipe a grandchild keeps open does not keep the output open once the program exited', async () => {
    // sh exits at once; its background sleep holds stdout open for 20 s.
    const proc = await spawner.spawn('sh', ['-c', 'echo started; sleep 20 & exit 0']);
    const started = Date.now();
    let text = '';
    for await (const chunk of proc.stdout) text += Buffer.from(chunk).toString();
    expect(text).toBe('started\n');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await proc.exit).exitCode).toBe(0);
  });
});
