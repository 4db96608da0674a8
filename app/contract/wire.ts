import { z } from 'zod';
import { type ErrorShape } from './errors';

/** Messages from a client to the core. */
export const ClientMsg = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), method: z.string().max(200), input: z.unknown() }),
  z.object({ t: z.literal('sub'), id: z.number().int().nonnegative(), method: z.string().max(200), input: z.unknown() }),
  z.object({ t: z.literal('unsub'), id: z.number().int().nonnegative() }),
]);
export type ClientMsg = z.infer<typeof ClientMsg>;

/** Messages from the core to a client. */
export type ServerMsg =
  | { t: 'ok'; id: number; output: unknown }
  | { t: 'err'; id: number; error: ErrorShape }
  | { t: 'data'; id: number; data: unknown }
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
/** The WebSocket subprotocol; the token travels as a second subprotocol `berth-token.<token>`. */
export const WS_PROTOCOL = 'berth.v1';
export const WS_TOKEN_PREFIX = 'berth-token.';
