import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { subscription } from '../../../app/contract/rpc';
import { BerthError } from '../../../app/contract/errors';
import { createClient, type ClientTransport } from '../../../app/contract/client';
import { createRpcServer, type Handlers } from '../../../app/api/rpc-server';
import { peekServerHead } from '../../../app/contract/ws-protocol';
import type { ServerMsg } from '../../../app/contract/wire';

/** Bursts of items: `bursts[i]` items emitted together, each burst in its own turn of the event loop. */
const Bursts = z.object({ bursts: z.array(z.number().int().min(0).max(100)), fail: z.boolean().default(false) }).strict();
const testApi = {
  'c.burst': subscription('coalesced bursts', Bursts, z.number(), { coalesce: true }),
  'c.plain': subscription('the same, one message per item', Bursts, z.number()),
  'c.bad': subscription('emits a number, then an item its schema refuses', z.object({}), z.number(), { coalesce: true }),
};
type TestApi = typeof testApi;

function setup() {
  const bursts: Handlers<TestApi>['c.burst'] = async ({ bursts, fail }, emit) => {
    let n = 0;
    for (const [i, count] of bursts.entries()) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      for (let k = 0; k < count; k++) void emit(n++);
    }
    if (fail) throw new BerthError('NOT_FOUND', 'gone');
  };
  const handlers: Handlers<TestApi> = {
    'c.burst': bursts,
    'c.plain': bursts,
    'c.bad': async (_i, emit) => {
      void emit(1);
      void emit('two' as unknown as number);
    },
  };
  const server = createRpcServer(testApi, handlers);
  const toClient = new Set<(m: ServerMsg) => void>();
  let onServer: (raw: unknown) => void = () => undefined;
  const raw: ServerMsg[] = [];
  const fromClient: unknown[] = [];
  server.serve({
    send: (m) => {
      const json = JSON.stringify(m);
      raw.push(JSON.parse(json) as ServerMsg);
      queueMicrotask(() => toClient.forEach((cb) => cb(JSON.parse(json) as ServerMsg)));
      return json.length;
    },
    onMessage: (cb) => (onServer = cb),
    onClose: () => undefined,
  });
  const transport: ClientTransport = {
    send: (m) => {
      fromClient.push(m);
      queueMicrotask(() => onServer(JSON.parse(JSON.stringify(m))));
    },
    onMessage: (cb) => (toClient.add(cb), () => toClient.delete(cb)),
    onClose: () => () => undefined,
  };
  return { server, client: createClient<TestApi>(transport), raw, fromClient };
}

const run = (c: ReturnType<typeof setup>['client'], method: 'c.burst' | 'c.plain' | 'c.bad', input: object) =>
  new Promise<{ items: number[]; error: BerthError | null }>((resolve) => {
    const items: number[] = [];
    c.subscribe(method, input as never, { onData: (x) => items.push(x), onEnd: () => resolve({ items, error: null }), onError: (error) => resolve({ items, error }) });
  });

describe('coalescing subscriptions (ProcDef.coalesce)', () => {
  it('sends each burst as one message, and the client gets every item in order', async () => {
    const t = setup();
    const out = await run(t.client, 'c.burst', { bursts: [3, 1, 0, 5] });
    expect(out).toEqual({ items: [0, 1, 2, 3, 4, 5, 6, 7, 8], error: null });
    expect(t.raw.map((m) => m.t)).toEqual(['items', 'data', 'items', 'end']);
    expect(t.raw[0]).toEqual({ t: 'items', id: 1, items: [0, 1, 2] });
    expect(t.raw[1]).toEqual({ t: 'data', id: 1, data: 3 });
    // The same handler on a plain subscription: one message per item.
    const p = setup();
    expect(await run(p.client, 'c.plain', { bursts: [3, 1, 0, 5] })).toEqual(out);
    expect(p.raw.filter((m) => m.t === 'data')).toHaveLength(9);
  });

  it('acknowledges a message of several items once (the core counts messages)', async () => {
    const t = setup();
    await run(t.client, 'c.burst', { bursts: [3, 4] });
    await new Promise((r) => setTimeout(r, 40));
    const acks = t.fromClient.filter((m) => (m as { t: string }).t === 'ack') as Array<{ n: number }>;
    expect(acks.reduce((a, m) => a + m.n, 0)).toBe(2);
  });

  it('sends the items emitted before a failure, then the error', async () => {
    const t = setup();
    const out = await run(t.client, 'c.burst', { bursts: [2, 2], fail: true });
    expect(out.items).toEqual([0, 1, 2, 3]);
    expect(out.error?.code).toBe('NOT_FOUND');
    expect(t.raw.map((m) => m.t)).toEqual(['items', 'items', 'err']);
  });

  it('still checks every item: one its schema refuses fails the subscription, and nothing after the error is sent', async () => {
    const t = setup();
    const out = await run(t.client, 'c.bad', {});
    expect(out.error?.code).toBe('INTERNAL');
    expect(out.items).toEqual([1]);
    expect(t.raw.map((m) => m.t)).toEqual(['data', 'err']);
  });

  it('drops the pending items of a subscription cancelled in the same turn', async () => {
    const t = setup();
    const items: number[] = [];
    const stop = t.client.subscribe('c.burst', { bursts: [1, 50, 50] }, { onData: (x) => items.push(x) });
    await new Promise((r) => setImmediate(r));
    stop();
    await new Promise((r) => setTimeout(r, 30));
    // Nothing reaches the handler after the unsubscribe, and nothing is sent once the core saw it.
    const afterUnsub = t.raw.filter((m) => m.t === 'items' || m.t === 'data').length;
    await new Promise((r) => setTimeout(r, 30));
    expect(t.raw.filter((m) => m.t === 'items' || m.t === 'data')).toHaveLength(afterUnsub);
    expect(items.length).toBeLessThanOrEqual(1);
  });

  it('hands every item of a message on when one handler throws, and throws the first error after', () => {
    let listener: ((m: ServerMsg) => void) | null = null;
    const transport: ClientTransport = { send: () => undefined, onMessage: (cb) => ((listener = cb), () => undefined), onClose: () => () => undefined };
    const c = createClient<TestApi>(transport);
    const seen: number[] = [];
    c.subscribe('c.burst', { bursts: [] }, {
      onData: (x) => {
        seen.push(x);
        if (x === 1) throw new Error('handler failed');
      },
    });
    expect(() => listener?.({ t: 'items', id: 1, items: [0, 1, 2] })).toThrow('handler failed');
    expect(seen).toEqual([0, 1, 2]);
  });

  it("reads an items message's head like the others (the early link skips it without parsing)", () => {
    expect(peekServerHead('{"t":"items","id":7,"items":[1,2]}')).toEqual({ t: 'items', id: 7 });
  });
});
