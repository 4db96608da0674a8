import { ClientMsg, type ServerMsg } from '../contract/wire';
import { BerthError, describeIssues, type ErrorShape } from '../contract/errors';
import type { ApiShape, OutputOf, ParsedInputOf, ProcDef } from '../contract/rpc';

export interface CallContext {
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

type HandlerFor<P extends ProcDef> = P['kind'] extends 'subscription'
  ? (input: ParsedInputOf<P>, emit: (item: OutputOf<P>) => Promise<void>, signal: AbortSignal) => Promise<void>
  : (input: ParsedInputOf<P>, ctx: CallContext) => Promise<OutputOf<P>>;

export type Handlers<A extends ApiShape> = { [K in keyof A]: HandlerFor<A[K]> };

/** One end of any transport, seen from the core. */
export interface ServerPeer {
  send(msg: ServerMsg): void;
  onMessage(cb: (raw: unknown) => void): void;
  onClose(cb: () => void): void;
  /** Bytes sent but not yet written out (for backpressure); transports that cannot tell omit it. */
  backlog?(): number;
}

/** Above this backlog an emit waits until the transport has drained below LOW_WATER. */
export const HIGH_WATER = 4 * 1024 * 1024;
export const LOW_WATER = 1024 * 1024;

export interface RpcServerOptions {
  /** Validate every output against its schema (on by default: the contract is the truth). */
  validateOutputs?: boolean;
  onInternalError?(method: string, err: unknown): void;
}

export interface RpcServer {
  serve(peer: ServerPeer): void;
  /** Active subscriptions across all peers (for tests and diagnostics). */
  activeSubscriptions(): number;
}

export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof BerthError) return err.toShape();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}`, hint: 'This is a bug in Berth; the log file has details.' };
}

export function createRpcServer<A extends ApiShape>(api: A, handlers: Handlers<A>, opts: RpcServerOptions = {}): RpcServer {
  const validateOutputs = opts.validateOutputs ?? true;
  let active = 0;

  const checkOutput = (method: string, def: ProcDef, value: unknown): unknown => {
    if (!validateOutputs) return value;
    const r = def.output.safeParse(value);
    if (r.success) return r.data;
    throw new BerthError('INTERNAL', `The core produced an invalid result for ${method}: ${describeIssues(r.error.issues)}`);
  };

  const parseInput = (method: string, def: ProcDef, input: unknown): unknown => {
    const r = def.input.safeParse(input);
    if (r.success) return r.data;
    throw new BerthError('INVALID_INPUT', `Invalid input for ${method}: ${describeIssues(r.error.issues)}`, {
      details: { issues: r.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
    });
  };

  const lookup = (method: string): ProcDef => {
    if (!Object.prototype.hasOwnProperty.call(api, method)) {
      throw new BerthError('INVALID_INPUT', `Unknown method "${method}".`);
    }
    return api[method] as ProcDef;
  };

  return {
    activeSubscriptions: () => active,
    serve(peer) {
      const subs = new Map<number, AbortController>();
      const connection = new AbortController();
      let open = true;
      const send = (msg: ServerMsg) => {
        if (open) peer.send(msg);
      };

      /**
       * Resolves when the client can take more. A subscription that awaits its emits (logs,
       * for one) is thus slowed to the client's pace instead of growing the send buffer.
       */
      const drained = (signal: AbortSignal): Promise<void> => {
        if (!peer.backlog || peer.backlog() <= HIGH_WATER) return Promise.resolve();
        return new Promise((resolve) => {
          const check = () => {
            if (!open || signal.aborted || (peer.backlog?.() ?? 0) <= LOW_WATER) {
              clearInterval(timer);
              resolve();
            }
          };
          const timer = setInterval(check, 10);
        });
      };

      const reportInternal = (method: string, err: unknown) => {
        if (!(err instanceof BerthError)) opts.onInternalError?.(method, err);
      };

      const handleCall = async (id: number, method: string, input: unknown) => {
        try {
          const def = lookup(method);
          if (def.kind === 'subscription') throw new BerthError('INVALID_INPUT', `${method} is a subscription; subscribe to it instead.`);
          const parsed = parseInput(method, def, input);
          const handler = handlers[method] as (i: unknown, c: CallContext) => Promise<unknown>;
          const out = await handler(parsed, { signal: connection.signal });
          send({ t: 'ok', id, output: checkOutput(method, def, out) });
        } catch (err) {
          reportInternal(method, err);
          send({ t: 'err', id, error: toErrorShape(err) });
        }
      };

      const handleSub = async (id: number, method: string, input: unknown) => {
        if (subs.has(id)) {
          send({ t: 'err', id, error: { code: 'INVALID_INPUT', message: `Subscription id ${id} is already in use.` } });
          return;
        }
        const ctrl = new AbortController();
        subs.set(id, ctrl);
        active++;
        try {
          const def = lookup(method);
          if (def.kind !== 'subscription') throw new BerthError('INVALID_INPUT', `${method} is not a subscription; call it instead.`);
          const parsed = parseInput(method, def, input);
          const handler = handlers[method] as (i: unknown, emit: (x: unknown) => Promise<void>, s: AbortSignal) => Promise<void>;
          await handler(
            parsed,
            (item) => {
              if (ctrl.signal.aborted) return Promise.resolve();
              send({ t: 'data', id, data: checkOutput(method, def, item) });
              return drained(ctrl.signal);
            },
            ctrl.signal,
          );
          if (!ctrl.signal.aborted) send({ t: 'end', id });
        } catch (err) {
          if (!ctrl.signal.aborted) {
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
        if (msg.t === 'call') void handleCall(msg.id, msg.method, msg.input);
        else if (msg.t === 'sub') void handleSub(msg.id, msg.method, msg.input);
        else subs.get(msg.id)?.abort();
      });

      peer.onClose(() => {
        open = false;
        connection.abort();
        for (const c of subs.values()) c.abort();
      });
    },
  };
}
