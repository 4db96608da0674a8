import { z } from 'zod';
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

/**
 * The largest text input a schema may accept, in UTF-16 units (`z.string().max(MAX_TEXT_INPUT)`).
 * A client sends more (a large paste) in pieces of at most this size.
 */
export const MAX_TEXT_INPUT = 1024 * 1024;
/**
 * The largest message a transport accepts. JSON escapes one UTF-16 unit into at most 6 bytes
 * (`\u0001`), so the largest valid input of MAX_TEXT_INPUT fits with room for the envelope:
 * the frame limit and the schemas agree, and a valid call is never cut off by the transport.
 */
export const MAX_FRAME_BYTES = 6 * MAX_TEXT_INPUT + 2 * 1024 * 1024;

/** The channel name used over Electron IPC. */
export const IPC_CHANNEL = 'berth:rpc';
/** The WebSocket subprotocol and token prefix (defined in ws-protocol.ts, a module without schemas). */
export { WS_PROTOCOL, WS_TOKEN_PREFIX } from './ws-protocol';
