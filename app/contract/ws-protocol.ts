/**
 * The WebSocket subprotocol; the token travels as a second subprotocol `berth-token.<token>`.
 * In a module of their own (no schemas), so the page's first script can open the socket without
 * loading zod (renderer/lib/early-link.ts); wire.ts re-exports them.
 */
export const WS_PROTOCOL = 'berth.v1';
export const WS_TOKEN_PREFIX = 'berth-token.';
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
