import type { ClientMsg, ServerMsg } from './wire';
import { BerthError } from './errors';
import type { ApiShape, CallNames, InputOf, OutputOf, SubNames } from './rpc';

/** What a client needs from a transport: a way to send, a way to hear, and to know when the link dies. */
export interface ClientTransport {
  send(msg: ClientMsg): void;
  onMessage(cb: (msg: ServerMsg) => void): () => void;
  onClose(cb: (reason: string) => void): () => void;
}

export interface SubscriptionHandlers<T> {
  onData(item: T): void;
  onError?(err: BerthError): void;
  onEnd?(): void;
}

export interface CallOptions {
  /** Aborting it cancels the call in the core too (which stops its work); the call rejects with CANCELLED. */
  signal?: AbortSignal;
  /** The core cancels the call (and stops its work) when it runs longer than this. */
  timeoutMs?: number;
}

/** Data messages handled before the client tells the core (see `ack` in wire.ts). */
const ACK_EVERY = 32;
const ACK_DELAY_MS = 15;

export interface ClientOptions {
  /**
   * When acknowledgements may wait up to ACK_DELAY_MS to go out in one message (default: always).
   * While `batch()` answers false (the renderer: while its window is hidden), the acks of a message
   * go out right after it is handled (in a microtask), so no timer runs for them; `onStop` tells
   * the client that batching stops now, and acks waiting for their timer go at once.
   */
  acks?: { batch(): boolean; onStop(cb: () => void): () => void };
}

export interface Client<A extends ApiShape> {
  call<N extends CallNames<A>>(method: N, input: InputOf<A[N]>, opts?: CallOptions): Promise<OutputOf<A[N]>>;
  /** Returns a function that cancels the subscription (the core aborts its work). */
  subscribe<N extends SubNames<A>>(method: N, input: InputOf<A[N]>, handlers: SubscriptionHandlers<OutputOf<A[N]>>): () => void;
  close(): void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: BerthError): void;
}

/**
 * The typed client used by the renderer and by the tests, over any transport.
 * Outputs are trusted (the core validates them); inputs are validated by the core too,
 * so a client can never bypass the schema.
 */
export function createClient<A extends ApiShape>(transport: ClientTransport, opts: ClientOptions = {}): Client<A> {
  let nextId = 1;
  let closedReason: string | null = null;
  const calls = new Map<number, Pending>();
  const subs = new Map<number, SubscriptionHandlers<unknown>>();
  let toAck = 0;
  let ackTimer: ReturnType<typeof setTimeout> | null = null;
  let ackQueued = false;
  const flushAcks = () => {
    if (ackTimer) clearTimeout(ackTimer);
    ackTimer = null;
    ackQueued = false;
    if (toAck > 0 && closedReason === null) transport.send({ t: 'ack', n: toAck });
    toAck = 0;
  };
  /** Acknowledges handled data, so the core sends more (backpressure over any transport). */
  const handled = () => {
    toAck++;
    if (toAck >= ACK_EVERY) flushAcks();
    else if (ackTimer || ackQueued) return;
    else if (opts.acks?.batch() ?? true) ackTimer = setTimeout(flushAcks, ACK_DELAY_MS);
    else {
      ackQueued = true;
      queueMicrotask(flushAcks);
    }
  };

  const offAckPolicy = opts.acks?.onStop(() => {
    if (ackTimer) flushAcks();
  });

  const offMsg = transport.onMessage((msg) => {
    switch (msg.t) {
      case 'ok': {
        const p = calls.get(msg.id);
        calls.delete(msg.id);
        p?.resolve(msg.output);
        return;
      }
      case 'err': {
        const err = BerthError.fromShape(msg.error);
        const p = calls.get(msg.id);
        if (p) {
          calls.delete(msg.id);
          p.reject(err);
          return;
        }
        const s = subs.get(msg.id);
        subs.delete(msg.id);
        s?.onError?.(err);
        return;
      }
      case 'data':
        try {
          subs.get(msg.id)?.onData(msg.data);
        } finally {
          handled();
        }
        return;
      case 'items':
        try {
          // Each item as its own `data` would be: looked up each time (a handler may unsubscribe midway), and an item
          // whose handler throws does not keep the ones after it from their handler (the first error is thrown after).
          let failed: { err: unknown } | null = null;
          for (const item of msg.items) {
            try {
              subs.get(msg.id)?.onData(item);
            } catch (err) {
              failed ??= { err };
            }
          }
          if (failed) throw failed.err;
        } finally {
          handled();
        }
        return;
      case 'end': {
        const s = subs.get(msg.id);
        subs.delete(msg.id);
        s?.onEnd?.();
        return;
      }
    }
  });

  const failAll = (reason: string) => {
    closedReason = reason;
    offAckPolicy?.();
    if (ackTimer) clearTimeout(ackTimer);
    ackTimer = null;
    const err = new BerthError('ENGINE_UNREACHABLE', `Lost the connection to Berth's core: ${reason}`, {
      hint: 'Restart Berth if this does not recover.',
    });
    for (const p of calls.values()) p.reject(err);
    calls.clear();
    for (const s of subs.values()) s.onError?.(err);
    subs.clear();
  };
  const offClose = transport.onClose(failAll);

  const ensureOpen = () => {
    if (closedReason !== null) {
      throw new BerthError('ENGINE_UNREACHABLE', `Lost the connection to Berth's core: ${closedReason}`);
    }
  };

  return {
    call(method, input, opts = {}) {
      return new Promise((resolve, reject) => {
        try {
          ensureOpen();
        } catch (e) {
          reject(e);
          return;
        }
        const { signal, timeoutMs } = opts;
        if (signal?.aborted) {
          reject(new BerthError('CANCELLED', `${method} was cancelled.`));
          return;
        }
        const id = nextId++;
        const onAbort = () => {
          if (!calls.delete(id)) return;
          if (closedReason === null) transport.send({ t: 'cancel', id });
          reject(new BerthError('CANCELLED', `${method} was cancelled.`));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const done = () => signal?.removeEventListener('abort', onAbort);
        calls.set(id, {
          resolve: (v) => {
            done();
            (resolve as (v: unknown) => void)(v);
          },
          reject: (e) => {
            done();
            reject(e);
          },
        });
        transport.send(timeoutMs === undefined ? { t: 'call', id, method, input } : { t: 'call', id, method, input, timeoutMs });
      });
    },
    subscribe(method, input, handlers) {
      ensureOpen();
      const id = nextId++;
      subs.set(id, handlers as SubscriptionHandlers<unknown>);
      transport.send({ t: 'sub', id, method, input });
      return () => {
        if (subs.delete(id) && closedReason === null) transport.send({ t: 'unsub', id });
      };
    },
    close() {
      offMsg();
      offClose();
      failAll('client closed');
    },
  };
}
