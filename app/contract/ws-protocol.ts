/**
 * The WebSocket subprotocol; the token travels as a second subprotocol `berth-token.<token>`.
 * In a module of their own (no schemas), so the page's first script can open the socket without
 * loading zod (renderer/lib/early-link.ts); wire.ts re-exports them.
 */
export const WS_PROTOCOL = 'berth.v1';
export const WS_TOKEN_PREFIX = 'berth-token.';
/**
 * Request ids from here up are those of the page's first script (renderer/lib/early-link.ts),
 * which calls before the app's client (counting from 1) takes over the same socket.
 */
export const EARLY_ID_BASE = 2 ** 30;
