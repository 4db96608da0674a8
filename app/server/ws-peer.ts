import type { RawData, WebSocket } from 'ws';
// ws-protocol.ts, not wire.ts: this module loads before the core (listenWeb), and wire.ts loads zod and builds schemas.
import { EARLY_ID_BASE, MAX_FRAME_BYTES } from '../contract/ws-protocol';
import type { ServerMsg } from '../contract/wire';
import { splitTextItem } from '../contract/ws-text-frames';
import type { RpcServer, ServerPeer } from '../api/rpc-server';
import type { Logger } from '../ports/logger';

/** Why ws closed a connection, in words for the log (the client sees the standard close code). */
const CLOSE_WHY: Record<number, string> = {
  1007: 'a text frame was not valid UTF-8',
  1009: `a message was larger than the limit (${MAX_FRAME_BYTES} bytes)`,
  1002: 'the client broke the WebSocket protocol',
};

/** Messages a connection may send before the core is attached (a page sends two); more close it with 1008. */
export const MAX_HELD_MESSAGES = 256;
/** Bytes of held messages at most (two of the largest frames). */
export const MAX_HELD_BYTES = 2 * MAX_FRAME_BYTES;

/**
 * Logs what ws reports on a connection. An invalid frame (too large, bad UTF-8, bad opcode) makes ws close the connection
 * with the matching code and emit 'error': without this handler that error would end the whole core.
 */
function watchConnection(ws: WebSocket, log: Logger): void {
  ws.on('error', (err: Error & { code?: string }) => {
    log.warn('Closed a WebSocket connection that sent an invalid frame', { error: err.message, code: err.code ?? '' });
  });
  ws.on('close', (code) => {
    const why = CLOSE_WHY[code];
    if (why) log.warn(`A WebSocket connection was closed: ${why}`, { code });
  });
}

/** A client message as the RPC server takes it: parsed JSON, or null (a binary frame, not JSON). */
function decode(data: RawData, isBinary: boolean): unknown {
  if (isBinary) return null;
  try {
    return JSON.parse(data.toString());
  } catch {
    return null;
  }
}

const byteSize = (data: RawData) => (Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength);

/**
 * A message as the frame it goes in: a JSON text frame, or a binary one for an output item (ws-text-frames.ts: a
 * terminal's or an exec's output, its text not escaped as JSON).
 */
export function frameOf(msg: ServerMsg): { bytes: Buffer; binary: boolean } {
  const split = splitTextItem(msg);
  if (split) {
    const headBytes = Buffer.byteLength(split.head);
    const bytes = Buffer.allocUnsafe(headBytes + 1 + Buffer.byteLength(split.text));
    bytes.write(split.head, 0);
    bytes[headBytes] = 10;
    bytes.write(split.text, headBytes + 1);
    return { bytes, binary: true };
  }
  // Encoded to UTF-8 once: ws would encode the string itself, and its size in bytes would cost another pass over it
  // (a logs batch is about 80 kB, a 2,000-container list 1 MB). Sent as a text frame, as the string was.
  return { bytes: Buffer.from(JSON.stringify(msg)), binary: false };
}

/** Sends one message; its size in bytes (0 when the connection is not open). */
function sendMsg(ws: WebSocket, msg: ServerMsg): number {
  if (ws.readyState !== ws.OPEN) return 0;
  const { bytes, binary } = frameOf(msg);
  ws.send(bytes, { binary });
  return bytes.length;
}

/** A connection as the RPC server serves it. */
export function wsPeer(ws: WebSocket, log: Logger): ServerPeer {
  watchConnection(ws, log);
  return {
    send: (msg) => sendMsg(ws, msg),
    onMessage(cb) {
      ws.on('message', (data, isBinary) => cb(decode(data, isBinary)));
    },
    onClose(cb) {
      ws.on('close', cb);
    },
    backlog: () => ws.bufferedAmount,
  };
}

/**
 * Answers a call a page makes before the core exists (issue 11, cold start: the web entry answers the Containers page's
 * first list from the engine's list asked for at process start).
 */
export interface EarlyResponder {
  /** The call's output, or null: the core gets the call, in its place among the connection's messages. Never rejects. */
  answer(method: string, input: unknown): Promise<unknown>;
  /** Each message held on a connection after its call was answered early (until the core serves it). */
  heldAfterAnswer?(msg: unknown): void;
  /**
   * A connection sent something else than the page's feed subscription before a call it could answer (the app's own
   * calls on a page whose first script asked for no list): nothing will be asked of it there.
   */
  passed?(): void;
}

/** A connection accepted before the core exists: its messages are held until attach() (or answered by the responder). */
export interface HeldPeer {
  /**
   * The core is ready: the connection is served by `rpc`, the held messages handed over first, in order, in one
   * synchronous stretch (no message, close or feed item comes between). If a call is being answered early, this waits
   * until it is decided. `answered` is called right after, if a call was answered early on this connection. A
   * connection closed meanwhile is not served.
   */
  attach(rpc: RpcServer, answered?: () => void): void;
  /** The core could not start: the connection is closed (1011). */
  fail(): void;
}

type Held = { call: unknown; id: number } | { msg: unknown };

/**
 * The one call answered early: the page's first script's list (renderer/lib/early-link.ts), `containers.list {all:true}`
 * with an early id and no timeout, after its `changes.watch` subscription of every engine on the same connection (the feed
 * that will tell the page what changed since: the core's resync once it serves the connection).
 */
function earlyCall(m: unknown): { id: number; method: string; input: unknown } | null {
  if (typeof m !== 'object' || m === null) return null;
  const c = m as Record<string, unknown>;
  const keys = Object.keys(c);
  if (keys.length !== 4 || c.t !== 'call' || c.method !== 'containers.list' || typeof c.id !== 'number' || !Number.isSafeInteger(c.id) || c.id < EARLY_ID_BASE) return null;
  const input = c.input as Record<string, unknown> | null;
  if (typeof input !== 'object' || input === null || Array.isArray(input) || Object.keys(input).length !== 1 || input.all !== true) return null;
  return { id: c.id, method: c.method, input };
}

const isFeedSub = (m: unknown) => {
  const s = m as Record<string, unknown> | null;
  return typeof s === 'object' && s !== null && s.t === 'sub' && s.method === 'changes.watch' && typeof s.input === 'object' && s.input !== null && Object.keys(s.input).length === 0;
};

/** Holds a connection accepted before the core exists (see HeldPeer). */
export function holdPeer(ws: WebSocket, log: Logger, responder: EarlyResponder | null): HeldPeer {
  watchConnection(ws, log);
  let held: Held[] = [];
  let heldBytes = 0;
  let closed = false;
  let subSeen = false;
  let decided = false;
  let answeredEarly = false;
  let deciding = false;
  let attachTo: { rpc: RpcServer; answered?: () => void } | null = null;
  /** The RPC server's message handler once served. */
  let sink: ((m: unknown) => void) | null = null;

  ws.on('close', () => {
    closed = true;
    held = [];
  });
  ws.on('message', (data, isBinary) => {
    const m = decode(data, isBinary);
    if (sink) return sink(m);
    if (closed) return;
    heldBytes += byteSize(data);
    if (held.length >= MAX_HELD_MESSAGES || heldBytes > MAX_HELD_BYTES) {
      log.warn('Closed a WebSocket connection that sent too much before the core started', { messages: held.length, bytes: heldBytes });
      closed = true;
      held = [];
      ws.close(1008, 'Too many messages before the core started');
      return;
    }
    const call = responder && subSeen && !decided && !attachTo ? earlyCall(m) : null;
    if (call && responder) {
      decided = true;
      deciding = true;
      const slot: Held = { call: m, id: call.id };
      held.push(slot);
      void responder.answer(call.method, call.input).then((output) => {
        deciding = false;
        const i = held.indexOf(slot);
        if (output !== null && !closed && sendMsg(ws, { t: 'ok', id: call.id, output }) > 0) {
          answeredEarly = true;
          if (i >= 0) held.splice(i, 1);
        } else if (i >= 0) {
          held[i] = { msg: m };
        }
        if (attachTo) serve(attachTo.rpc, attachTo.answered);
      });
      return;
    }
    if (answeredEarly) responder?.heldAfterAnswer?.(m);
    if (isFeedSub(m)) subSeen = true;
    else if (!decided && !attachTo) {
      // Anything else before the early call (the app's own calls, on a page that asked for no list early): none will come.
      decided = true;
      responder?.passed?.();
    }
    held.push({ msg: m });
  });

  const serve = (rpc: RpcServer, answered?: () => void) => {
    // Closed, or closing (its close event is still to come): never served.
    if (closed || ws.readyState !== ws.OPEN) return;
    let handler: ((m: unknown) => void) | null = null;
    rpc.serve({
      send: (msg) => sendMsg(ws, msg),
      onMessage(cb) {
        handler = cb;
      },
      onClose(cb) {
        ws.on('close', cb);
      },
      backlog: () => ws.bufferedAmount,
    });
    const replay = held;
    held = [];
    const to = handler as ((m: unknown) => void) | null;
    if (!to) return;
    for (const h of replay) to('msg' in h ? h.msg : h.call);
    sink = to;
    if (answeredEarly) answered?.();
  };

  return {
    attach(rpc, answered) {
      if (attachTo) throw new Error('This connection is served already');
      attachTo = answered ? { rpc, answered } : { rpc };
      if (!deciding) serve(rpc, answered);
    },
    fail() {
      if (closed) return;
      closed = true;
      held = [];
      ws.close(1011, 'The core could not start');
    },
  };
}
