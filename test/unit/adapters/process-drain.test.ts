import { describe, expect, it } from 'vitest';
import { createProcessSpawner } from '../../../app/adapters/process/spawn';
import type { Logger } from '../../../app/ports/logger';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };
const spawner = createProcessSpawner(quiet);
const MiB = new Uint8Array(1024 * 1024);

describe("a spawned process's input has backpressure (drain)", () => {
  it('waits while the program does not read, and resolves once it reads', async () => {
    // Nothing reads for half a second, then cat takes everything.
    const proc = await spawner.spawn('sh', ['-c', 'sleep 0.5; exec cat > /dev/null']);
    const started = Date.now();
    proc.write(MiB);
    // 1 MiB exceeds the pipe buffer and Node's high-water mark: the writer waits until cat has taken it.
    await proc.drain();
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    proc.closeInput();
    expect((await proc.exit).exitCode).toBe(0);
  });

  it('never waits forever: a program that exits without reading releases the writer', async () => {
    const proc = await spawner.spawn('sleep', ['30']);
    proc.write(MiB);
    const waiting = proc.drain();
    let settled = false;
    void waiting.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    proc.kill('SIGKILL');
    await waiting;
    expect((await proc.exit).exitCode).toBe(137);
  });

  it('resolves at once when there is room', async () => {
    const proc = await spawner.spawn('cat', []);
    proc.write('small');
    await proc.drain();
    proc.closeInput();
    const chunks: Uint8Array[] = [];
    for await (const c of proc.stdout) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('small');
  });
});
