import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { mutation, query, subscription } from '../../../app/contract/rpc';
import { BerthError } from '../../../app/contract/errors';
import { createClient, type ClientTransport } from '../../../app/contract/client';
import { createRpcServer, type Handlers } from '../../../app/api/rpc-server';
import type { ServerMsg } from '../../../app/contract/wire';

const testApi = {
  'math.add': query('adds', z.object({ a: z.number(), b: z.number() }).strict(), z.number()),
  'math.bad': query('returns an invalid result', z.object({}), z.number()),
  'math.fail': mutation('throws', z.object({}), z.null()),
  'math.crash': mutation('throws a non-Berth error', z.object({}), z.null()),
  'math.count': subscription('counts', z.object({ to: z.number().int().max(1000) }), z.number()),
  'math.forever': subscription('ticks until cancelled', z.object({}), z.number()),
};
type TestApi = typeof testApi;

function setup() {
  let aborted = 0;
  const handlers: Handlers<TestApi> = {
    'math.add': async ({ a, b }) => a + b,
    'math.bad': async () => 'not a number' as unknown as number,
    'math.fail': async () => {
      throw new BerthError('NOT_FOUND', 'No such thing', { hint: 'Refresh' });
    },
    'math.crash': async () => {
      throw new Error('boom');
    },
    'math.count': async ({ to }, emit) => {
      for (let i = 1; i <= to; i++) emit(i);
    },
    'math.forever': (_i, emit, signal) =>
      new Promise<void>((resolve) => {
        let n = 0;
        const t = setInterval(() => emit(n++), 5);
        signal.addEventListener('abort', () => {
          clearInterval(t);
          aborted++;
          resolve();
        });
      }),
  };
  const internal: string[] = [];
  const server = createRpcServer(testApi, handlers, { onInternalError: (m) => internal.push(m) });
  const toClient = new Set<(m: ServerMsg) => void>();
  let onServer: (raw: unknown) => void = () => undefined;
  const closers: Array<() => void> = [];
  server.serve({ send: (m) => toClient.forEach((cb) => cb(JSON.parse(JSON.stringify(m)))), onMessage: (cb) => (onServer = cb), onClose: (cb) => closers.push(cb) });
  const raw: ServerMsg[] = [];
  toClient.add((m) => raw.push(m));
  const transport: ClientTransport = {
    send: (m) => queueMicrotask(() => onServer(JSON.parse(JSON.stringify(m)))),
    onMessage: (cb) => (toClient.add(cb), () => toClient.delete(cb)),
    onClose: () => () => undefined,
  };
  return { server, client: createClient<TestApi>(transport), sendRaw: (m: unknown) => onServer(m), raw, internal, aborted: () => aborted, close: () => closers.forEach((c) => c()) };
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('rpc server', () => {
  it('validates input and answers', async () => {
    const t = setup();
    await expect(t.client.call('math.add', { a: 2, b: 3 })).resolves.toBe(5);
    await expect(t.client.call('math.add', { a: 2, b: 'x' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('b:') });
    await expect(t.client.call('math.add', { a: 1, b: 2, c: 3 } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('keeps typed errors and hides internal ones behind INTERNAL', async () => {
    const t = setup();
    await expect(t.client.call('math.fail', {})).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such thing', hint: 'Refresh' });
    await expect(t.client.call('math.crash', {})).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('boom') });
    expect(t.internal).toEqual(['math.crash']);
  });

  it('refuses an output that breaks the contract', async () => {
    const t = setup();
    await expect(t.client.call('math.bad', {})).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('invalid result') });
  });

  it('refuses unknown methods, wrong kinds and malformed messages', async () => {
    const t = setup();
    await expect(t.client.call('math.nope' as never, {} as never)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Unknown method') });
    await expect(t.client.call('math.count' as never, { to: 1 } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    t.sendRaw({ t: 'call', id: 'x' });
    t.sendRaw('garbage');
    await tick();
    expect(t.raw.filter((m) => m.t === 'err' && m.id === -1)).toHaveLength(2);
  });

  it('streams a subscription to its end', async () => {
    const t = setup();
    const got: number[] = [];
    await new Promise<void>((resolve, reject) => t.client.subscribe('math.count', { to: 5 }, { onData: (n) => got.push(n), onEnd: resolve, onError: reject }));
    expect(got).toEqual([1, 2, 3, 4, 5]);
    expect(t.server.activeSubscriptions()).toBe(0);
  });

  it('cancels a subscription: the handler is aborted and nothing more arrives', async () => {
    const t = setup();
    const got: number[] = [];
    const stop = t.client.subscribe('math.forever', {}, { onData: (n) => got.push(n) });
    await tick(40);
    expect(t.server.activeSubscriptions()).toBe(1);
    stop();
    await tick(20);
    const n = got.length;
    await tick(40);
    expect(got.length).toBe(n);
    expect(t.aborted()).toBe(1);
    expect(t.server.activeSubscriptions()).toBe(0);
  });

  it('aborts every subscription when the connection closes', async () => {
    const t = setup();
    t.client.subscribe('math.forever', {}, { onData: () => undefined });
    t.client.subscribe('math.forever', {}, { onData: () => undefined });
    await tick();
    expect(t.server.activeSubscriptions()).toBe(2);
    t.close();
    await tick();
    expect(t.aborted()).toBe(2);
    expect(t.server.activeSubscriptions()).toBe(0);
  });
});

describe('rpc server backpressure', () => {
  it('an emit waits while the transport backlog is above the high-water mark', async () => {
    const { createRpcServer: create, HIGH_WATER, LOW_WATER } = await import('../../../app/api/rpc-server');
    let backlog = 0;
    const sent: unknown[] = [];
    const progress: number[] = [];
    const api = { 'flood.go': subscription('emits', z.object({}), z.number()) };
    const server = create(api, {
      'flood.go': async (_i, emit) => {
        for (let i = 0; i < 3; i++) {
          await emit(i);
          progress.push(i);
        }
      },
    });
    let onMsg: (raw: unknown) => void = () => undefined;
    server.serve({ send: (m) => sent.push(m), onMessage: (cb) => (onMsg = cb), onClose: () => undefined, backlog: () => backlog });
    backlog = HIGH_WATER + 1;
    onMsg({ t: 'sub', id: 1, method: 'flood.go', input: {} });
    await tick(50);
    expect(progress).toEqual([]);
    expect(sent).toHaveLength(1);
    backlog = LOW_WATER - 1;
    await tick(50);
    expect(progress).toEqual([0, 1, 2]);
    expect(sent.at(-1)).toEqual({ t: 'end', id: 1 });
  });
});
