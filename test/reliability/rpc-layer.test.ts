import { afterEach, describe, expect, it } from 'vitest';
import { type BerthError } from '../../app/contract/errors';
import type { ServerMsg } from '../../app/contract/wire';
import { TRANSPORTS } from '../support/transports';
import { sleep } from '../support/proc';
import { connectTest, createTestCore, type TestConnection } from './support/custom-core';

const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as BerthError);

describe.each(TRANSPORTS)('the RPC layer over %s', (transport) => {
  let conn: TestConnection | null = null;
  afterEach(async () => {
    await conn?.close();
    conn = null;
  });

  it('rejects an unknown key, naming it, even where the schema would strip it', async () => {
    const core = createTestCore();
    conn = await connectTest(transport, core.rpc);
    const e1 = await rejection(conn.client.call('test.echo', { a: 'x', forse: true } as never));
    expect(e1?.code).toBe('INVALID_INPUT');
    expect(e1?.message).toContain('forse');
    const e2 = await rejection(conn.client.call('test.echo', { nested: { b: 1, c: 2 } } as never));
    expect(e2?.code).toBe('INVALID_INPUT');
    expect(e2?.message).toContain('nested.c');
    expect(await conn.client.call('test.echo', { a: 'ok', nested: { b: 1 } })).toEqual({ a: 'ok' });
  });

  it('a duplicate request id is refused and never run twice; the first call is answered once', async () => {
    const core = createTestCore();
    conn = await connectTest(transport, core.rpc);
    const answers: ServerMsg[] = [];
    conn.raw.onMessage((m) => answers.push(m));
    conn.raw.send({ t: 'call', id: 900, method: 'test.slow', input: { ms: 200 } });
    conn.raw.send({ t: 'call', id: 900, method: 'test.slow', input: { ms: 200 } });
    await sleep(600);
    expect(core.slowCalls.started).toBe(1);
    expect(answers.filter((a) => a.id === 900)).toEqual([{ t: 'ok', id: 900, output: { done: true } }]);
    const refusal = answers.find((a) => a.t === 'err' && a.id === -1);
    expect(refusal && refusal.t === 'err' && refusal.error.message).toMatch(/900.*already in use/);
  });

  it('cancels one call without touching the others or the connection', async () => {
    const core = createTestCore();
    conn = await connectTest(transport, core.rpc);
    const ctrl = new AbortController();
    const cancelled = rejection(conn.client.call('test.slow', { ms: 5000 }, { signal: ctrl.signal }));
    const other = conn.client.call('test.slow', { ms: 300 });
    await sleep(50);
    ctrl.abort();
    expect((await cancelled)?.code).toBe('CANCELLED');
    expect(await other).toEqual({ done: true });
    await sleep(50);
    expect(core.slowCalls.aborted).toBe(1);
  });

  it('times a call out in the core, which stops its work', async () => {
    const core = createTestCore();
    conn = await connectTest(transport, core.rpc);
    const err = await rejection(conn.client.call('test.slow', { ms: 5000 }, { timeoutMs: 100 }));
    expect(err?.code).toBe('CANCELLED');
    expect(err?.message).toMatch(/timed out after 100 ms/);
    await sleep(50);
    expect(core.slowCalls.aborted).toBe(1);
    expect(await conn.client.call('test.slow', { ms: 10 }, { timeoutMs: 1000 })).toEqual({ done: true });
  });

  it('answers any malformed message with a typed error and keeps the connection', async () => {
    const core = createTestCore();
    conn = await connectTest(transport, core.rpc);
    const answers: ServerMsg[] = [];
    conn.raw.onMessage((m) => answers.push(m));
    const junk: unknown[] = [null, 42, 'call', [], {}, { t: 'call' }, { t: 'call', id: -1, method: 'test.echo' }, { t: 'call', id: 1.5, method: 'x' }, { t: 'nope', id: 3 }, { t: 'ack', n: 0 }, { t: 'call', id: 4, method: 'x'.repeat(10_000) }, { t: 'sub', id: 5, method: 'test.echo', input: {}, extra: 1 }];
    for (const j of junk) conn.raw.send(j as never);
    await sleep(200);
    expect(answers.filter((a) => a.t === 'err' && a.error.code === 'INVALID_INPUT').length).toBe(junk.length);
    expect(await conn.client.call('test.echo', { a: 'still here' })).toEqual({ a: 'still here' });
  });

  it('runs connection-closed hooks when the client goes away', async () => {
    const core = createTestCore();
    conn = await connectTest(transport, core.rpc);
    await conn.client.call('test.hold', {});
    expect(core.closedHooks.n).toBe(0);
    await conn.close();
    conn = null;
    await sleep(100);
    expect(core.closedHooks.n).toBe(1);
  });
});
