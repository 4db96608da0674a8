import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNerdctlContext } from '../../../app/adapters/engine/nerdctl/context';
import { NerdctlSecurity } from '../../../app/adapters/engine/nerdctl/security';
import { NerdctlSystem } from '../../../app/adapters/engine/nerdctl/system';
import { INFO_ARGS, readShared, VERSION_ARGS } from '../../../app/adapters/engine/nerdctl/shared-read';
import type { EngineCommandRunner, RunResult } from '../../../app/ports/engine/command-runner';
import { silentLog } from '../../support/recording-log';

/* nerdctl's `version` and `info`, asked for by several parts at once on `up`, run once and are shared for a short while. */

const log = silentLog();

/** A runner whose commands answer when the test says (`answer`), counting what was started. */
function runner() {
  const started: string[][] = [];
  const signals: AbortSignal[] = [];
  const pending: Array<(r: RunResult) => void> = [];
  const r: EngineCommandRunner = {
    endpoint: 'nerdctl:///usr/bin/nerdctl',
    run: (args: readonly string[], opts?: { signal?: AbortSignal }) => {
      started.push([...args]);
      if (opts?.signal) signals.push(opts.signal);
      return new Promise<RunResult>((resolve) => pending.push(resolve));
    },
    spawn: () => Promise.reject(new Error('not here')),
  } as unknown as EngineCommandRunner;
  const answer = (result: Partial<RunResult> = {}) => {
    for (const done of pending.splice(0)) done({ exitCode: 0, stdout: '{"SecurityOptions":["name=seccomp,profile=default"]}\n', stderr: '', ...result } as RunResult);
  };
  return { r, started, signals, answer };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('readShared', () => {
  it('runs one command for callers that ask while it runs and shortly after, and a new one once the answer is old', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { r, started, answer } = runner();
    const ctx = createNerdctlContext('n', r, log, {}, 'default');
    const a = readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000 });
    const b = readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000 });
    expect(started).toHaveLength(1);
    answer();
    expect(await a).toBe(await b);
    vi.setSystemTime(Date.now() + 1500);
    const c = readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000 });
    expect(started).toHaveLength(1);
    await c;
    vi.setSystemTime(Date.now() + 600);
    const d = readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000 });
    expect(started).toHaveLength(2);
    answer();
    await d;
    // Another question, or another namespace, is not the same answer.
    void readShared(ctx, 'read the engine version', VERSION_ARGS, { maxAgeMs: 2000 });
    ctx.namespace = 'other';
    void readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000 });
    expect(started.map((s) => s.slice(0, 3))).toEqual([
      ['--namespace', 'default', 'info'],
      ['--namespace', 'default', 'info'],
      ['--namespace', 'default', 'version'],
      ['--namespace', 'other', 'info'],
    ]);
    answer();
  });

  it('starts a new call when asked to (fresh) and shares its answer with the callers after it', async () => {
    const { r, started, answer } = runner();
    const ctx = createNerdctlContext('n', r, log, {}, 'default');
    const first = readShared(ctx, 'read the engine version', VERSION_ARGS, { maxAgeMs: 2000 });
    const fresh = readShared(ctx, 'read the engine version', VERSION_ARGS, { maxAgeMs: 2000, fresh: true });
    const after = readShared(ctx, 'read the engine version', VERSION_ARGS, { maxAgeMs: 2000 });
    expect(started).toHaveLength(2);
    answer();
    await Promise.all([first, fresh, after]);
    await readShared(ctx, 'read the engine version', VERSION_ARGS, { maxAgeMs: 2000 });
    expect(started).toHaveLength(2);
  });

  it('gives a failure to the callers that waited for it only: the next caller runs the command again', async () => {
    const { r, started, answer } = runner();
    const ctx = createNerdctlContext('n', r, log, {}, 'default');
    const a = readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000 });
    const b = readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000 });
    answer({ exitCode: 1, stdout: '', stderr: 'time="x" level=fatal msg="cannot access containerd socket"' });
    await expect(a).rejects.toThrow(/containerd socket/);
    await expect(b).rejects.toThrow(/containerd socket/);
    const c = readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000 });
    expect(started).toHaveLength(2);
    answer();
    await expect(c).resolves.toContain('SecurityOptions');
  });

  it("stops one caller's wait on its signal, not the command the others wait for", async () => {
    const { r, started, answer } = runner();
    const ctx = createNerdctlContext('n', r, log, {}, 'default');
    const stop = new AbortController();
    const a = readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000, signal: stop.signal });
    const b = readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000 });
    stop.abort();
    await expect(a).rejects.toMatchObject({ code: 'CANCELLED' });
    answer();
    await expect(b).resolves.toContain('SecurityOptions');
    expect(started).toHaveLength(1);
    await expect(readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000, signal: stop.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('stops the command once every caller that waited for it gave up, and the next caller starts another', async () => {
    const { r, started, signals, answer } = runner();
    const ctx = createNerdctlContext('n', r, log, {}, 'default');
    const one = new AbortController();
    const two = new AbortController();
    const a = readShared(ctx, 'read the engine version', VERSION_ARGS, { maxAgeMs: 2000, fresh: true, signal: one.signal });
    const b = readShared(ctx, 'read the engine version', VERSION_ARGS, { maxAgeMs: 2000, signal: two.signal });
    one.abort();
    await expect(a).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(signals[0]?.aborted).toBe(false);
    two.abort();
    await expect(b).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(signals[0]?.aborted).toBe(true);
    answer({ exitCode: 1, stdout: '', stderr: 'killed' });
    await new Promise((resolve) => setImmediate(resolve));
    void readShared(ctx, 'read the engine version', VERSION_ARGS, { maxAgeMs: 2000 });
    expect(started).toHaveLength(2);
    answer();
  });

  it('a ping asks the engine now, even right after an answer, and its answer serves the version read after it', async () => {
    const { r, started, answer } = runner();
    const ctx = createNerdctlContext('n', r, log, {}, 'default');
    const system = new NerdctlSystem(ctx, {} as ConstructorParameters<typeof NerdctlSystem>[1]);
    const version = '{"Client":{"Version":"v2.3.5","Os":"linux","Arch":"amd64"},"Server":{"Components":[{"Name":"containerd","Version":"v2.1.0"}]}}\n';
    const first = readShared(ctx, 'read the engine version', VERSION_ARGS, { maxAgeMs: 2000 });
    answer({ stdout: version });
    await first;
    const ping = system.ping();
    expect(started).toHaveLength(2);
    answer({ stdout: version });
    await ping;
    ctx.rootless = false;
    await expect(system.version()).resolves.toMatchObject({ version: '2.1.0' });
    expect(started).toHaveLength(2);
  });

  it("serves the security context from the same `nerdctl info` as the engine's information", async () => {
    const { r, started, answer } = runner();
    const ctx = createNerdctlContext('n', r, log, {}, 'default');
    const info = readShared(ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: 2000 });
    const security = new NerdctlSecurity(ctx).context();
    answer();
    await info;
    expect((await security).seccompAvailable).toBe(true);
    expect(started).toHaveLength(1);
  });
});
