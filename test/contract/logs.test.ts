import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logLines, type LogBatch, type LogLine } from '../../app/contract/logs';
import { createTestCore, describeEngine, rawDocker, testNerdctl, type TestCore } from '../support/engine';
import { collect, containerFactory, eventually, openStreams } from './streams-support';

const RFC3339NANO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,9}Z$/;
/** RFC 3339, the fraction optional: Podman 4.3 times a followed TTY container's log lines (with a tail) to the second. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const lines = (batches: LogBatch[]) => batches.flatMap(logLines);
const textOf = (ls: LogLine[], stream?: 'stdout' | 'stderr') => ls.filter((l) => !stream || l.stream === stream).map((l) => l.text);

/** Seconds since the epoch, with nanoseconds, of an RFC 3339 time: for since/until between two lines. */
const secs = (ts: string) => {
  const [whole, frac = '0'] = ts.replace('Z', '').split('.');
  return Date.parse(`${whole}Z`) / 1000 + Number(`0.${frac}`);
};

describeEngine('logs', () => {
  let t: TestCore;
  const docker = rawDocker();
  const containers = containerFactory(docker, 'logs');
  let tmp: string;

  beforeAll(async () => {
    t = await createTestCore();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-logs-'));
  });
  afterAll(async () => {
    await containers.cleanup();
    await t?.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const all = async (input: Parameters<typeof collect<'logs.stream'>>[2]) => {
    const sub = collect(t.client, 'logs.stream', input);
    await sub.done;
    if (sub.error) throw sub.error;
    return lines(sub.items);
  };

  it('keeps stdout and stderr apart for a non-TTY container, and ends after the last line', async () => {
    const c = await containers.run(['sh', '-c', "echo o1; echo e1 >&2; echo 'héllo 世界 🚀'; echo e2 >&2; printf 'no newline'"]);
    await c.wait();
    const got = await all({ id: c.id });
    expect(textOf(got, 'stdout')).toEqual(['o1', 'héllo 世界 🚀', 'no newline']);
    expect(textOf(got, 'stderr')).toEqual(['e1', 'e2']);
    expect(got.every((l) => l.ts === undefined)).toBe(true);
  });

  it('gives a TTY container one raw stream, as stdout', async () => {
    const c = await containers.run(['sh', '-c', 'echo t1; echo t2 >&2; echo t3'], { tty: true });
    await c.wait();
    const got = await all({ id: c.id });
    expect(got.map((l) => l.stream)).toEqual(['stdout', 'stdout', 'stdout']);
    expect(textOf(got)).toEqual(['t1', 't2', 't3']);
  });

  it('splits timestamps into ts when asked', async () => {
    const c = await containers.run(['sh', '-c', 'echo a; echo b >&2']);
    await c.wait();
    const got = await all({ id: c.id, timestamps: true });
    expect(got.map((l) => [l.stream, l.text]).sort()).toEqual([
      ['stderr', 'b'],
      ['stdout', 'a'],
    ]);
    for (const l of got) expect(l.ts).toMatch(RFC3339NANO);
  });

  it('filters with since, until and tail', async () => {
    const c = await containers.run(['sh', '-c', 'echo a; sleep 1.2; echo b; sleep 1.2; echo c']);
    await c.wait();
    const stamped = await all({ id: c.id, timestamps: true });
    expect(textOf(stamped)).toEqual(['a', 'b', 'c']);
    const [ta, tb, tc] = stamped.map((l) => secs(l.ts as string)) as [number, number, number];
    const ab = (ta + tb) / 2;
    const bc = (tb + tc) / 2;

    expect(textOf(await all({ id: c.id, since: ab }))).toEqual(['b', 'c']);
    expect(textOf(await all({ id: c.id, since: new Date(bc * 1000).toISOString() }))).toEqual(['c']);
    expect(textOf(await all({ id: c.id, until: bc }))).toEqual(['a', 'b']);
    expect(textOf(await all({ id: c.id, since: ab, until: bc }))).toEqual(['b']);
    expect(textOf(await all({ id: c.id, tail: 2 }))).toEqual(['b', 'c']);
    expect(textOf(await all({ id: c.id, tail: 0 }))).toEqual([]);
    expect(textOf(await all({ id: c.id, tail: 'all' }))).toEqual(['a', 'b', 'c']);
  });

  it('follows: lines written after subscribing arrive, and cancelling closes the engine stream', async () => {
    const c = await containers.run(['sh', '-c', 'echo ready; sleep 1000']);
    const sub = collect(t.client, 'logs.stream', { id: c.id, follow: true });
    await sub.until((b) => textOf(lines(b)).includes('ready'));
    expect(openStreams()).toBe(1);

    // Write to the container's own stdout and stderr from an exec, after the subscription started.
    const ex = await c.exec({ Cmd: ['sh', '-c', 'echo late-out > /proc/1/fd/1; echo late-err > /proc/1/fd/2'] });
    await ex.start({});
    const got = await sub.until((b) => textOf(lines(b)).includes('late-out') && textOf(lines(b)).includes('late-err'));
    expect(textOf(lines(got), 'stdout')).toEqual(['ready', 'late-out']);
    expect(textOf(lines(got), 'stderr')).toEqual(['late-err']);
    expect(sub.ended).toBe(false);

    sub.unsubscribe();
    await eventually('the log stream to be destroyed', () => openStreams() === 0, 5000);
    await eventually('no active subscription', () => t.core.rpc.activeSubscriptions() === 0, 5000);
  });

  it('cancels mid-follow on a container that never stops printing', async () => {
    const c = await containers.run(['sh', '-c', 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.05; done']);
    const sub = collect(t.client, 'logs.stream', { id: c.id, follow: true });
    await sub.until((b) => lines(b).length >= 5);
    sub.unsubscribe();
    await eventually('the log stream to be destroyed', () => openStreams() === 0, 5000);
    await eventually('no active subscription', () => t.core.rpc.activeSubscriptions() === 0, 5000);
    const n = lines(sub.items).length;
    expect(textOf(lines(sub.items)).slice(0, 5)).toEqual(['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5']);
    await new Promise((r) => setTimeout(r, 300));
    expect(lines(sub.items).length).toBe(n);
  });

  it('follows a container that stops: the stream ends (without error) when it exits, and the engine stream is closed', async () => {
    const c = await containers.run(['sh', '-c', 'echo first; sleep 1; echo second >&2; sleep 0.5; echo last']);
    const sub = collect(t.client, 'logs.stream', { id: c.id, follow: true });
    await sub.until((b) => textOf(lines(b)).includes('first'));
    expect(sub.ended).toBe(false);
    await sub.done;
    expect(sub.error).toBeNull();
    expect(textOf(lines(sub.items), 'stdout')).toEqual(['first', 'last']);
    expect(textOf(lines(sub.items), 'stderr')).toEqual(['second']);
    await eventually('the log stream to be destroyed', () => openStreams() === 0, 5000);
  });

  it('follows a TTY container with timestamps and a tail: raw text, one time per line, ends at its exit', async () => {
    // Every line ends with a newline and the last comes a while before the exit: dockerd 20.10 logs a TTY's unfinished
    // line only when the container exits, and its follow can end at that exit before reading it (the raw Engine API
    // stream misses a trailing `printf t4` about 1 run in 2 here, with or without a pause after it): the engine's, not
    // what this test is about.
    const c = await containers.run(['sh', '-c', 'echo t1; echo t2; sleep 1; echo t3 >&2; echo t4; sleep 1'], { tty: true });
    const sub = collect(t.client, 'logs.stream', { id: c.id, follow: true, timestamps: true, tail: 1 });
    await sub.done;
    expect(sub.error).toBeNull();
    const got = lines(sub.items);
    // tail=1 when the stream opened: t2 (or t1 when asked before t2 was written), then what came after.
    expect(textOf(got).slice(-2)).toEqual(['t3', 't4']);
    expect(got.every((l) => l.stream === 'stdout')).toBe(true);
    for (const l of got) expect(l.ts).toMatch(RFC3339);
    expect(openStreams()).toBe(0);
  });

  // nerdctl 2.3.5's log driver drops lines of a fast writer (20,000 lines from `seq` keep 12,000 to 20,000; the plain CLI shows the same).
  it.skipIf(testNerdctl())('streams many lines in order, in bounded batches, over the in-process client [not on nerdctl: its logger drops lines]', async () => {
    const N = 20_000;
    const c = await containers.run(['seq', '1', String(N)]);
    await c.wait();
    const sub = collect(t.client, 'logs.stream', { id: c.id });
    await sub.done;
    expect(sub.error).toBeNull();
    const got = textOf(lines(sub.items));
    expect(got.length).toBe(N);
    expect(got[0]).toBe('1');
    expect(got[N - 1]).toBe(String(N));
    expect(got.every((v, i) => v === String(i + 1))).toBe(true);
    expect(Math.max(...sub.items.map((b) => logLines(b).length))).toBeLessThanOrEqual(500);
    expect(sub.items.length).toBeGreaterThanOrEqual(N / 500);
  });

  it('saves both streams to a file, refuses to overwrite unless asked', async () => {
    const c = await containers.run(['sh', '-c', 'echo one; echo two >&2; sleep 0.3; echo three']);
    await c.wait();
    const file = path.join(tmp, 'saved.log');
    const r = await t.client.call('logs.save', { id: c.id, path: file });
    expect(r).toEqual({ path: file, bytes: fs.statSync(file).size, lines: 3 });
    const content = fs.readFileSync(file, 'utf8');
    expect(content.split('\n').slice(0, -1).sort()).toEqual(['one', 'three', 'two']);
    expect(content.indexOf('one')).toBeLessThan(content.indexOf('three'));

    await expect(t.client.call('logs.save', { id: c.id, path: file })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(fs.readFileSync(file, 'utf8')).toBe(content);

    const r2 = await t.client.call('logs.save', { id: c.id, path: file, overwrite: true, timestamps: true, tail: 1 });
    expect(r2.lines).toBe(1);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\d{4}-\d{2}-\d{2}T\S+Z three\n$/);
    // No temporary file is left behind.
    expect(fs.readdirSync(tmp)).toEqual(['saved.log']);
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const c = await containers.run(['true']);
    await expect(t.client.call('logs.save', { id: c.id, path: 'relative/file.log' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(t.client.call('logs.save', { id: c.id, path: path.join(tmp, 'missing-dir', 'x.log') })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('does not exist'),
    });
    await expect(t.client.call('logs.save', { id: 'berth-no-such-container', path: path.join(tmp, 'nope.log') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fs.existsSync(path.join(tmp, 'nope.log'))).toBe(false);

    const bad = collect(t.client, 'logs.stream', { id: c.id, since: 'yesterday' });
    await bad.done;
    expect(bad.error?.code).toBe('INVALID_INPUT');
    const missing = collect(t.client, 'logs.stream', { id: 'berth-no-such-container' });
    await missing.done;
    expect(missing.error?.code).toBe('NOT_FOUND');
    expect(openStreams()).toBe(0);
  });
});
