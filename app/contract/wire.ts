import * as z from 'zod';
import { type ErrorShape } from './errors';

const Id = z.number().int().nonnegative();
const Method = z.string().max(200);
/** The longest a client may ask a call to run before the core gives up on it (a day). */
export const MAX_CALL_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Messages from a client to the core. */
export const ClientMsg = z.discriminatedUnion('t', [
  /** A query or mutation; `timeoutMs` makes the core cancel it (and stop its work) when it runs longer. */
  z.object({ t: z.literal('call'), id: Id, method: Method, input: z.unknown(), timeoutMs: z.number().int().positive().max(MAX_CALL_TIMEOUT_MS).optional() }).strict(),
  z.object({ t: z.literal('sub'), id: Id, method: Method, input: z.unknown() }).strict(),
  z.object({ t: z.literal('unsub'), id: Id }).strict(),
  /** Cancels one call in flight: it is answered with CANCELLED and its work is aborted. */
  z.object({ t: z.literal('cancel'), id: Id }).strict(),
  /**
   * The client has handled `n` more `data` messages. The core keeps at most HIGH_WATER bytes of
   * data unacknowledged per connection, over any transport (Electron IPC reports no send buffer).
   */
  z.object({ t: z.literal('ack'), n: z.number().int().positive().max(1_000_000) }).strict(),
]);
export type ClientMsg = z.infer<typeof ClientMsg>;

/** Messages from the core to a client. */
export type ServerMsg =
  | { t: 'ok'; id: number; output: unknown }
  | { t: 'err'; id: number; error: ErrorShape }
  | { t: 'data'; id: number; data: unknown }
  /** Several items of a `coalesce` subscription, emitted together: each is one `data`, in order (one acknowledgement for the message). */
  | { t: 'items'; id: number; items: unknown[] }
  | { t: 'end'; id: number };

/** The channel name used over Electron IPC. */
export const IPC_CHANNEL = 'berth:rpc';
/**
 * The WebSocket subprotocol and token prefix, and the limits on text inputs and frames (defined in ws-protocol.ts, a
 * module without schemas: the page's first script and the web server load them without zod).
 */
export { MAX_FRAME_BYTES, MAX_TEXT_INPUT, WS_PROTOCOL, WS_TOKEN_PREFIX } from './ws-protocol';
