import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient, type ClientTransport } from '../../../app/contract/client';
import type { ApiShape } from '../../../app/contract/rpc';
import type { ClientMsg, ServerMsg } from '../../../app/contract/wire';
import { manualVisibility } from '../../../renderer/lib/visibility';

/** A transport the test drives: what the client sent, and a way to push server messages. */
function pipe() {
  const sent: ClientMsg[] = [];
  let deliver: (m: ServerMsg) => void = () => undefined;
  const transport: ClientTransport = {
    send: (m) => void sent.push(m),
    onMessage: (cb) => {
      deliver = cb;
      return () => undefined;
    },
    onClose: () => () => undefined,
  };
  return { sent, transport, push: (m: ServerMsg) => deliver(m), acks: () => sent.filter((m) => m.t === 'ack') };
}

const tick = () => new Promise<void>((r) => queueMicrotask(r));

/** A client whose acks batch while `vis` is visible (as the renderer's), subscribed to one stream (id 1). */
function subscribed(hidden: boolean) {
  const p = pipe();
  const vis = manualVisibility(hidden);
  const client = createClient<ApiShape>(p.transport, { acks: { batch: () => !vis.hidden(), onStop: vis.onHidden } });
  client.subscribe('x' as never, {} as never, { onData: () => undefined });
  return { ...p, vis, client };
}

describe('RPC client acknowledgements (issue 11: no timer while the window is hidden)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('while visible, acks of a burst wait for one short timer and go in one message', async () => {
    const p = subscribed(false);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    for (let i = 0; i < 3; i++) p.push({ t: 'data', id: 1, data: i });
    await tick();
    expect(p.acks()).toEqual([]);
    expect(timers).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(p.acks()).toEqual([{ t: 'ack', n: 3 }]));
  });

  it('while hidden, each handled message is acknowledged in a microtask and no timer is set', async () => {
    const p = subscribed(true);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    p.push({ t: 'data', id: 1, data: 'a' });
    p.push({ t: 'data', id: 1, data: 'b' });
    await tick();
    expect(p.acks()).toEqual([{ t: 'ack', n: 2 }]);
    p.push({ t: 'data', id: 1, data: 'c' });
    await tick();
    expect(p.acks()).toEqual([{ t: 'ack', n: 2 }, { t: 'ack', n: 1 }]);
    expect(timers).not.toHaveBeenCalled();
  });

  it('acks waiting for their timer go at once when the window hides, and the timer is cleared', async () => {
    const p = subscribed(false);
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    p.push({ t: 'data', id: 1, data: 'a' });
    expect(p.acks()).toEqual([]);
    p.vis.set(true);
    expect(p.acks()).toEqual([{ t: 'ack', n: 1 }]);
    expect(cleared).toHaveBeenCalled();
  });

  it('a full window of 32 messages is acknowledged at once either way', () => {
    const p = pipe();
    const client = createClient<ApiShape>(p.transport);
    client.subscribe('x' as never, {} as never, { onData: () => undefined });
    for (let i = 0; i < 32; i++) p.push({ t: 'data', id: 1, data: i });
    expect(p.acks()).toEqual([{ t: 'ack', n: 32 }]);
    client.close();
  });
});
