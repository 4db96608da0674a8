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

/** The channel name used over Electron IPC. */
export const IPC_CHANNEL = 'berth:rpc';
/** The WebSocket subprotocol; the token travels as a second subprotocol `berth-token.<token>`. */
export const WS_PROTOCOL = 'berth.v1';
export const WS_TOKEN_PREFIX = 'berth-token.';
