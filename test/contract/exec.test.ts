import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExecEvent } from '../../app/contract/exec';
import { createTestCore, describeEngine, rawDocker, testNerdctl, type TestCore } from '../support/engine';
import { nerdctlRaw } from '../support/nerdctl-raw';
import { connectInProcess } from '../support/inproc';
import { collect, containerFactory, eventually, openStreams } from './streams-support';

type Sub = ReturnType<typeof collect<'exec.session'>>;

const outputOf = (items: ExecEvent[], stream?: 'stdout' | 'stderr') =>
  items
    .filter((e): e is Extract<ExecEvent, { type: 'output' }> => e.type === 'output' && (!stream || e.stream === stream))
    .map((e) => e.data)
    .join('');
const sessionOf = (items: ExecEvent[]) => (items.find((e) => e.type === 'started') as { sessionId: string } | undefined)?.sessionId;
const exitOf = (items: ExecEvent[]) => items.find((e): e is Extract<ExecEvent, { type: 'exit' }> => e.type === 'exit');

describeEngine('exec', () => {
  let t: TestCore;
  const docker = rawDocker();
  const containers = containerFactory(docker, 'exec');
  let id: string;

  beforeAll(async () => {
    t = await createTestCore();
    id = (await containers.run(['sleep', '1000'])).id;
  });
  afterAll(async () => {
    await containers.cleanup();
    await t?.dispose();
  });

  const start = async (input: Omit<Parameters<typeof collect<'exec.session'>>[2], 'container'>): Promise<[Sub, string]> => {
    const sub = collect(t.client, 'exec.session', { container: id, ...input });
    await sub.until((items) => sessionOf(items) !== undefined);
    return [sub, sessionOf(sub.items) as string];
  };

  /** The execs of the test container still running. */
  const runningExecs = async () => {
    const n = testNerdctl();
    if (n) {
      // containerd keeps no exec records nerdctl shows: count the container's processes besides its own (`sleep 1000`).
      const top = (await nerdctlRaw(n, 'top', id)).stdout.split('\n').filter((l) => l.trim() !== '');
      return top.length - 2;
    }
    const info = await docker.getContainer(id).inspect();
    const states = await Promise.all((info.ExecIDs ?? []).map((e) => docker.getExec(e).inspect()));
    return states.filter((s) => s.Running).length;
  };

  it('runs a TTY shell: input in, output out, resize, and the exit code', async () => {
    const [sub, sessionId] = await start({ cols: 100, rows: 30 });
    expect(sub.items[0]).toEqual({ type: 'started', sessionId });
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

    await t.client.call('exec.input', { sessionId, data: 'echo $((6*7))\n' });
    await sub.until((items) => /(^|\n)42\r?\n/.test(outputOf(items)));
    // A TTY has one stream: no stream tag.
    expect(sub.items.filter((e) => e.type === 'output').every((e) => !('stream' in e) || e.stream === undefined)).toBe(true);

    await t.client.call('exec.input', { sessionId, data: 'stty size\n' });
    await sub.until((items) => outputOf(items).includes('30 100'));
    await t.client.call('exec.resize', { sessionId, cols: 123, rows: 45 });
    await t.client.call('exec.input', { sessionId, data: 'stty size\n' });
    await sub.until((items) => outputOf(items).includes('45 123'));

    await t.client.call('exec.input', { sessionId, data: "echo 'héllo 世界 🚀'\n" });
    await sub.until((items) => outputOf(items).split('héllo 世界 🚀').length >= 3);

    await t.client.call('exec.input', { sessionId, data: 'exit 3\n' });
    await sub.done;
    expect(sub.error).toBeNull();
    expect(exitOf(sub.items)).toEqual({ type: 'exit', exitCode: 3 });
    expect(sub.items.at(-1)?.type).toBe('exit');

    // The session is gone with its subscription.
    await expect(t.client.call('exec.input', { sessionId, data: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await eventually('the exec connection to be closed', () => openStreams() === 0);
  });

  it('keeps stdout and stderr apart without a TTY, with the exit code', async () => {
    const sub = collect(t.client, 'exec.session', { container: id, tty: false, cmd: ['sh', '-c', 'echo out; echo err >&2; exit 5'] });
    await sub.done;
    expect(sub.error).toBeNull();
    expect(outputOf(sub.items, 'stdout')).toBe('out\n');
    expect(outputOf(sub.items, 'stderr')).toBe('err\n');
    expect(sub.items.filter((e) => e.type === 'output').every((e) => e.type === 'output' && e.stream !== undefined)).toBe(true);
    expect(exitOf(sub.items)?.exitCode).toBe(5);
  });

  it('passes env, user and working dir; closing the input ends a process that reads it', async () => {
    const [sub, sessionId] = await start({
      tty: false,
      cmd: ['sh', '-c', 'echo "$GREETING $(id -u) $(pwd)"; cat; echo done'],
      env: { GREETING: 'hi there' },
      user: '1234',
      workingDir: '/bin',
    });
    await sub.until((items) => outputOf(items).includes('hi there 1234 /bin\n'));
    await t.client.call('exec.input', { sessionId, data: 'piped ', eof: false });
    await t.client.call('exec.input', { sessionId, data: 'text\n', eof: true });
    await sub.done;
    expect(outputOf(sub.items, 'stdout')).toBe('hi there 1234 /bin\npiped text\ndone\n');
    expect(exitOf(sub.items)?.exitCode).toBe(0);
  });

  it('closes the session when the subscription is cancelled: the shell ends, the connection closes, nothing is left', async () => {
    const before = await runningExecs();
    const [sub, sessionId] = await start({});
    await t.client.call('exec.input', { sessionId, data: 'sleep 300\n' });
    await eventually('the exec to run', async () => (await runningExecs()) > before);
    sub.unsubscribe();
    await eventually('the exec connection to be closed', () => openStreams() === 0, 5000);
    await eventually('no active subscription', () => t.core.rpc.activeSubscriptions() === 0, 5000);
    expect(t.core.services.execSessions.count()).toBe(0);
    await eventually('the shell and its command to end', async () => (await runningExecs()) === before, 10_000);
    await expect(t.client.call('exec.resize', { sessionId, cols: 80, rows: 24 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('closes every session of a client that goes away', async () => {
    const before = await runningExecs();
    const conn = connectInProcess(t.core.rpc);
    const sub = collect(conn.client, 'exec.session', { container: id });
    await sub.until((items) => sessionOf(items) !== undefined);
    await eventually('the exec to run', async () => (await runningExecs()) > before);
    expect(t.core.services.execSessions.count()).toBe(1);
    conn.close();
    await eventually('the session to be closed', () => t.core.services.execSessions.count() === 0, 5000);
    await eventually('the exec connection to be closed', () => openStreams() === 0, 5000);
    await eventually('the shell to end', async () => (await runningExecs()) === before, 10_000);
  });

  it('refuses unknown sessions and explains a stopped container', async () => {
    await expect(t.client.call('exec.input', { sessionId: 'no-such-session', data: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.client.call('exec.resize', { sessionId: 'no-such-session', cols: 80, rows: 24 })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const stopped = await containers.run(['true'], { start: false });
    const sub = collect(t.client, 'exec.session', { container: stopped.id });
    await sub.done;
    expect(sub.error?.code).toBe('CONFLICT');
    expect(sub.error?.message).toMatch(/not running/i);

    const missing = collect(t.client, 'exec.session', { container: 'berth-no-such-container' });
    await missing.done;
    expect(missing.error?.code).toBe('NOT_FOUND');

    const bad = collect(t.client, 'exec.session', { container: id, cmd: [] });
    await bad.done;
    expect(bad.error?.code).toBe('INVALID_INPUT');
    expect(openStreams()).toBe(0);
  });
});
