/**
 * The WebSocket subprotocol; the token travels as a second subprotocol `berth-token.<token>`.
 * In a module of their own (no schemas), so the page's first script can open the socket without
 * loading zod (renderer/lib/early-link.ts); wire.ts re-exports them.
 */
export const WS_PROTOCOL = 'berth.v1';
export const WS_TOKEN_PREFIX = 'berth-token.';
