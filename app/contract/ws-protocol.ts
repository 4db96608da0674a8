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

/**
 * The kind and id at the head of a server message as the core writes it (`{"t":"ok","id":12,…`),
 * read without parsing the whole message (a list reply is megabytes): lets the page's early link
 * and the app's client skip each other's replies. Null when the text does not start that way
 * (then parse it).
 */
export function peekServerHead(text: string): { t: 'ok' | 'err' | 'data' | 'items' | 'end'; id: number } | null {
  const m = /^\{"t":"(ok|err|data|items|end)","id":(\d+)[,}]/.exec(text.slice(0, 64));
  return m ? { t: m[1] as 'ok' | 'err' | 'data' | 'items' | 'end', id: Number(m[2]) } : null;
}
