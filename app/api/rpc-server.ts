import { ClientMsg, type ServerMsg } from '../contract/wire';
import { BerthError, describeIssues, type ErrorShape } from '../contract/errors';
import type { ApiShape, OutputOf, ParsedInputOf, ProcDef } from '../contract/rpc';
import { describeUnknownKey, findUnknownKeys } from '../contract/strict';
import { checkedAgainst } from '../contract/checked';

export interface CallContext {
  /** Aborted when this call is cancelled, times out, or the client goes away. */
  signal: AbortSignal;
  /** Aborted only when the client's connection closes (outlives any one call). */
  connection: AbortSignal;
  /**
   * Runs `cb` once when the client's connection closes (at once if it already has): a session
   * started by this call (exec, a terminal) ends with its client unless kept on purpose.
   * Returns a function that unregisters it (for a session that ends first, or is detached).
   */
  onClose(cb: () => void): () => void;
}

type HandlerFor<P extends ProcDef> = P['kind'] extends 'subscription'
  ? (input: ParsedInputOf<P>, emit: (item: OutputOf<P>) => Promise<void>, signal: AbortSignal, ctx: CallContext) => Promise<void>
  : (input: ParsedInputOf<P>, ctx: CallContext) => Promise<OutputOf<P>>;

export type Handlers<A extends ApiShape> = { [K in keyof A]: HandlerFor<A[K]> };

/** One end of any transport, seen from the core. */
export interface ServerPeer {
  /** Sends a message; may return its size in bytes (else the core measures it). */
  send(msg: ServerMsg): number | void;
  onMessage(cb: (raw: unknown) => void): void;
  onClose(cb: () => void): void;
  /** Bytes sent but not yet written out (for backpressure); transports that cannot tell omit it. */
  backlog?(): number;
}

/** Above this backlog an emit waits until the transport has drained below LOW_WATER. */
export const HIGH_WATER = 4 * 1024 * 1024;
export const LOW_WATER = 1024 * 1024;
/**
 * A subscription whose handler emits without awaiting (so it cannot be slowed down) is ended
 * once its connection's backlog passes this: the buffer stays bounded whatever a service does.
 */
export const HARD_LIMIT = 4 * HIGH_WATER;

export interface RpcServerOptions {
  /** Validate every output against its schema (on by default: the contract is the truth). */
  validateOutputs?: boolean;
  onInternalError?(method: string, err: unknown): void;
}

export interface RpcStats {
  /** The most data bytes any one connection had sent and not yet had read (since start). */
  peakBacklog: number;
  /** Subscriptions ended because their client fell more than HARD_LIMIT behind. */
  overflows: number;
}

export interface RpcServer {
  serve(peer: ServerPeer): void;
  /** Active subscriptions across all peers (for tests and diagnostics). */
  activeSubscriptions(): number;
  /** Figures since start, or since the last `stats(true)` (which starts a new measurement). */
  stats(reset?: boolean): RpcStats;
}

export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof BerthError) return err.toShape();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}`, hint: 'This is a bug in Berth; the log file has details.' };
}

const protocolError = (message: string, details?: Record<string, unknown>): ServerMsg => ({
  t: 'err',
  id: -1,
  error: { code: 'INVALID_INPUT', message, ...(details ? { details } : {}) },
});

export function createRpcServer<A extends ApiShape>(api: A, handlers: Handlers<A>, opts: RpcServerOptions = {}): RpcServer {
  const validateOutputs = opts.validateOutputs ?? true;
  let active = 0;
  const stats: RpcStats = { peakBacklog: 0, overflows: 0 };

  const checkOutput = (method: string, def: ProcDef, value: unknown): unknown => {
    if (!validateOutputs || checkedAgainst(def.output, value)) return value;
    const r = def.output.safeParse(value);
    if (r.success) return r.data;
    throw new BerthError('INTERNAL', `The core produced an invalid result for ${method}: ${describeIssues(r.error.issues)}`);
  };

  const parseInput = (method: string, def: ProcDef, input: unknown): unknown => {
    const r = def.input.safeParse(input);
    if (!r.success) {
      throw new BerthError('INVALID_INPUT', `Invalid input for ${method}: ${describeIssues(r.error.issues)}`, {
        details: { issues: r.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
      });
    }
    // zod strips unknown keys by default: a misspelt option must fail, not be ignored.
    const unknown = findUnknownKeys(def.input, input);
    if (unknown.length) {
      const names = unknown.slice(0, 5).map(describeUnknownKey);
      throw new BerthError('INVALID_INPUT', `Invalid input for ${method}: unknown key${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')}`, {
        hint: 'Remove the key, or check its spelling against the API.',
        details: { issues: unknown.map((u) => ({ path: [...u.path, u.key], message: 'unknown key' })) },
      });
    }
    return r.data;
  };

  const lookup = (method: string): ProcDef => {
    if (!Object.prototype.hasOwnProperty.call(api, method)) {
      throw new BerthError('INVALID_INPUT', `Unknown method "${method}".`);
    }
    return api[method] as ProcDef;
  };

  return {
    activeSubscriptions: () => active,
    stats(reset = false) {
      const out = { ...stats };
      if (reset) Object.assign(stats, { peakBacklog: 0, overflows: 0 });
      return out;
    },
    serve(peer) {
      const subs = new Map<number, AbortController>();
      const calls = new Map<number, AbortController>();
      const connection = new AbortController();
      const closeHooks = new Set<() => void>();
      let open = true;

      // Data messages the client has not acknowledged yet (sizes, oldest first).
      const unacked: number[] = [];
      let unackedBytes = 0;
      const backlog = () => Math.max(unackedBytes, peer.backlog?.() ?? 0);
      const waiters = new Set<() => void>();
      const wake = () => {
        for (const w of [...waiters]) w();
      };

      const send = (msg: ServerMsg): number => {
        if (!open) return 0;
        const size = peer.send(msg);
        return typeof size === 'number' ? size : 0;
      };
      /** One data message (`data`, or a coalesced subscription's `items`): counted against the backlog until acknowledged. */
      const sendData = (msg: ServerMsg & { t: 'data' | 'items' }) => {
        if (!open) return;
        const sent = send(msg);
        const size = sent || JSON.stringify(msg).length;
        unacked.push(size);
        unackedBytes += size;
        const b = backlog();
        if (b > stats.peakBacklog) stats.peakBacklog = b;
      };

      const ctxFor = (signal: AbortSignal): CallContext => ({
        signal,
        connection: connection.signal,
        onClose(cb) {
          if (!open) {
            queueMicrotask(cb);
            return () => undefined;
          }
          closeHooks.add(cb);
          return () => closeHooks.delete(cb);
        },
      });

      /**
       * Resolves when the client can take more. A subscription that awaits its emits (logs,
       * for one) is thus slowed to the client's pace instead of growing the send buffer.
       */
      const drained = (signal: AbortSignal): Promise<void> => {
        if (backlog() <= HIGH_WATER) return Promise.resolve();
        return new Promise((resolve) => {
          const check = () => {
            if (!open || signal.aborted || backlog() <= LOW_WATER) {
              clearInterval(timer);
              waiters.delete(check);
              resolve();
            }
          };
          waiters.add(check);
          // The socket's own buffer drains without an event we can hear: look now and then.
          const timer = setInterval(check, 10);
        });
      };

      const reportInternal = (method: string, err: unknown) => {
        if (!(err instanceof BerthError)) opts.onInternalError?.(method, err);
      };

      const inUse = (id: number) => calls.has(id) || subs.has(id);
      const refuseDuplicate = (id: number) =>
        send(protocolError(`Request id ${id} is already in use by a request in flight; the duplicate was not run.`, { id }));

      const handleCall = async (id: number, method: string, input: unknown, timeoutMs: number | undefined) => {
        if (inUse(id)) {
          refuseDuplicate(id);
          return;
        }
        const ctrl = new AbortController();
        calls.set(id, ctrl);
        const cut = connection.signal.aborted ? null : () => ctrl.abort(new BerthError('CANCELLED', 'The client went away.'));
        if (cut) connection.signal.addEventListener('abort', cut, { once: true });
        const timer = timeoutMs
          ? setTimeout(() => ctrl.abort(new BerthError('CANCELLED', `${method} timed out after ${timeoutMs} ms and was stopped.`, { details: { timeoutMs } })), timeoutMs)
          : null;
        // A cancelled or timed-out call is answered at once; its late result is dropped.
        const answered = new Promise<ServerMsg>((resolve) =>
          ctrl.signal.addEventListener('abort', () => {
            const reason: unknown = ctrl.signal.reason;
            resolve({ t: 'err', id, error: toErrorShape(reason instanceof BerthError ? reason : new BerthError('CANCELLED', `${method} was cancelled.`)) });
          }),
        );
        const run = (async (): Promise<ServerMsg> => {
          try {
            const def = lookup(method);
            if (def.kind === 'subscription') throw new BerthError('INVALID_INPUT', `${method} is a subscription; subscribe to it instead.`);
            const parsed = parseInput(method, def, input);
            const handler = handlers[method] as (i: unknown, c: CallContext) => Promise<unknown>;
            const out = await handler(parsed, ctxFor(ctrl.signal));
            return { t: 'ok', id, output: checkOutput(method, def, out) };
          } catch (err) {
            if (!ctrl.signal.aborted) reportInternal(method, err);
            return { t: 'err', id, error: toErrorShape(err) };
          }
        })();
        try {
          send(await Promise.race([run, answered]));
        } finally {
          if (timer) clearTimeout(timer);
          if (cut) connection.signal.removeEventListener('abort', cut);
          calls.delete(id);
        }
      };

      const handleSub = async (id: number, method: string, input: unknown) => {
        if (inUse(id)) {
          refuseDuplicate(id);
          return;
        }
        const ctrl = new AbortController();
        subs.set(id, ctrl);
        active++;
        // A coalescing subscription's items waiting for the end of the current synchronous stretch (see ProcDef.coalesce).
        let pending: unknown[] = [];
        let flushQueued = false;
        const flush = () => {
          flushQueued = false;
          if (!pending.length) return;
          const items = pending;
          pending = [];
          // Cancelled meanwhile: the client has let the subscription go (or was told why it ended).
          if (ctrl.signal.aborted) return;
          sendData(items.length === 1 ? { t: 'data', id, data: items[0] } : { t: 'items', id, items });
        };
        try {
          const def = lookup(method);
          if (def.kind !== 'subscription') throw new BerthError('INVALID_INPUT', `${method} is not a subscription; call it instead.`);
          const parsed = parseInput(method, def, input);
          const handler = handlers[method] as (i: unknown, emit: (x: unknown) => Promise<void>, s: AbortSignal, c: CallContext) => Promise<void>;
          await handler(
            parsed,
            (item) => {
              if (ctrl.signal.aborted) return Promise.resolve();
              if (backlog() > HARD_LIMIT) {
                stats.overflows++;
                const err = new BerthError('CANCELLED', `${method} produced data faster than the client read it and was stopped.`, {
                  hint: 'Open it again; if it happens often, narrow it (fewer lines, a filter).',
                  details: { backlogBytes: backlog() },
                });
                send({ t: 'err', id, error: err.toShape() });
                ctrl.abort(err);
                return Promise.resolve();
              }
              const checked = checkOutput(method, def, item);
              if (!def.coalesce) sendData({ t: 'data', id, data: checked });
              else {
                pending.push(checked);
                if (!flushQueued) {
                  flushQueued = true;
                  queueMicrotask(flush);
                }
              }
              return drained(ctrl.signal);
            },
            ctrl.signal,
            ctxFor(ctrl.signal),
          );
          // Items emitted just before the handler returned go before its end.
          flush();
          if (!ctrl.signal.aborted) send({ t: 'end', id });
        } catch (err) {
          if (!ctrl.signal.aborted) {
            flush();
            reportInternal(method, err);
            send({ t: 'err', id, error: toErrorShape(err) });
          }
        } finally {
          active--;
          subs.delete(id);
        }
      };

      peer.onMessage((raw) => {
        const parsed = ClientMsg.safeParse(raw);
        if (!parsed.success) {
          const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : -1;
          send({ t: 'err', id, error: { code: 'INVALID_INPUT', message: `Malformed message: ${describeIssues(parsed.error.issues)}` } });
          return;
        }
        const msg = parsed.data;
        switch (msg.t) {
          case 'call':
            void handleCall(msg.id, msg.method, msg.input, msg.timeoutMs);
            return;
          case 'sub':
            void handleSub(msg.id, msg.method, msg.input);
            return;
          case 'unsub':
            subs.get(msg.id)?.abort();
            return;
          case 'cancel':
            calls.get(msg.id)?.abort(new BerthError('CANCELLED', 'The call was cancelled.'));
            subs.get(msg.id)?.abort();
            return;
          case 'ack': {
            for (let i = 0; i < msg.n && unacked.length; i++) unackedBytes -= unacked.shift() ?? 0;
            wake();
            return;
          }
        }
      });

      peer.onClose(() => {
        if (!open) return;
        open = false;
        connection.abort();
        for (const c of subs.values()) c.abort();
        wake();
        for (const cb of [...closeHooks]) {
          try {
            cb();
          } catch (err) {
            opts.onInternalError?.('connection closed hook', err);
          }
        }
        closeHooks.clear();
      });
    },
  };
}
