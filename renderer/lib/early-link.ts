import type { ClientMsg, ServerMsg } from '../../app/contract/wire';
import { EARLY_ID_BASE, peekServerHead, WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../app/contract/ws-protocol';
import { takeToken } from './token';

/**
 * Cold start in browser mode: the page's socket to the core opens, and the first page's list is
 * asked for, while the app's bundle is still loading. `renderer/early.ts` (a small script of its
 * own, run as soon as the HTML is parsed) calls `startEarlyLink()`; the app's link then adopts the
 * socket (`claimEarlyLink`), and the first matching `call`/`subscribe` of lib/rpc take the early
 * reply and the early change feed (`takeEarlyCall`, `takeEarlyFeed`) instead of asking again.
 *
 * The early change feed starts before the early call, as the app's feed does before its first
 * list. An early reply is used only if the feed said nothing since it was read (other than an
 * engine's state); otherwise the app asks the core again, as it would have without this.
 * Electron (the preload bridge) and pages without a token open nothing here.
 */

/** Ids of the early calls: far above the app client's, which counts from 1 on the same socket. */
export { EARLY_ID_BASE };
/** An early reply nobody took is dropped this long after the app adopted the socket. */
export const EARLY_KEEP_MS = 10_000;

type Reply = Extract<ServerMsg, { t: 'ok' } | { t: 'err' }>;
/** What `takeEarlyCall` resolves to: the core's reply, or null (the socket closed first, or the reply is stale): ask again. */
export type EarlyReply = Reply | null;

/** The part of a WebSocket this uses (a fake in unit tests). */
export interface EarlySocket {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open' | 'close' | 'message', h: (e: { data?: unknown }) => void): void;
  removeEventListener(type: 'open' | 'close' | 'message', h: (e: { data?: unknown }) => void): void;
}

export interface EarlyRequest {
  method: string;
  input: unknown;
}

export interface EarlyOptions<S extends EarlySocket> {
  socket: S;
  token: string;
  /** Asked for when the socket opens, after the feed's subscription. */
  calls: readonly EarlyRequest[];
  /** The change feed to start first (its items tell whether an early reply is still current). */
  feed: EarlyRequest;
}

const OPEN = 1;
const CLOSED = 3;
const keyOf = (method: string, input: unknown) => `${method} ${JSON.stringify(input)}`;

/**
 * A feed item that says nothing about the lists: an engine's state (`connecting`, `up`, `down`: sent when a feed starts,
 * and as it changes). As the app's feed (lib/change-feed.ts), only `resync` and object changes touch lists. An early
 * reply can come before the core's feed says anything (the web entry answers the first list before the core loads): the
 * state items the core then sends when it takes the subscription do not make that reply stale.
 */
const isStateOnly = (item: unknown) => {
  const i = item as { kind?: unknown; action?: unknown } | null;
  return typeof i === 'object' && i !== null && i.kind === 'engine' && i.action !== 'resync';
};

interface Pending {
  id: number;
  request: EarlyRequest;
  reply?: Reply;
  /** Feed items (that concern lists) seen when the reply came. */
  itemsAtReply?: number;
  taken: boolean;
  waiters: Array<(r: EarlyReply) => void>;
}

/** The early feed, taken by the app's first subscription to it (which subscribes anew on the same socket first). */
export interface EarlyFeed {
  /** What the early feed heard so far (replayed to the app's handlers). */
  items: unknown[];
  /** Each item of the app's own feed: the early replies not taken yet are stale after one. */
  note(item: unknown): void;
  /** Ends the early feed (the app's own subscription runs now). */
  stop(): void;
}

export interface EarlyLink<S extends EarlySocket = EarlySocket> {
  readonly socket: S;
  readonly token: string;
  /** The app's link reads this socket from now on (its client acknowledges every data message). */
  claim(): void;
  takeCall(method: string, input: unknown): Promise<EarlyReply> | null;
  takeFeed(method: string, input: unknown): EarlyFeed | null;
}

/** Opens nothing itself: starts the feed and the calls on `socket` (when it opens) and keeps their replies. */
export function createEarlyLink<S extends EarlySocket>(o: EarlyOptions<S>): EarlyLink<S> {
  const { socket } = o;
  let nextId = EARLY_ID_BASE;
  let claimed = false;
  let lost = false;
  /** Feed items that concern lists, seen so far (early feed, then the app's feed through `note`). */
  let feedItems = 0;
  const calls = new Map<string, Pending>();
  const feedId = nextId++;
  const feedKey = keyOf(o.feed.method, o.feed.input);
  const feed = { items: [] as unknown[], ended: false, taken: false, stopped: false };
  for (const request of o.calls) calls.set(keyOf(request.method, request.input), { id: nextId++, request, taken: false, waiters: [] });
  let keepTimer: ReturnType<typeof setTimeout> | null = null;

  const send = (msg: ClientMsg) => {
    if (socket.readyState === OPEN) socket.send(JSON.stringify(msg));
  };
  const settle = (p: Pending, r: EarlyReply) => {
    const ws = p.waiters.splice(0);
    for (const w of ws) w(r);
  };
  const current = (p: Pending): EarlyReply => (p.reply && p.itemsAtReply === feedItems ? p.reply : null);
  /** Nothing early is left to hear: the app's client alone reads the socket. */
  const maybeDetach = () => {
    if (!claimed || !feed.stopped) return;
    for (const p of calls.values()) if (!p.taken || (p.waiters.length > 0 && !p.reply)) return;
    detach();
  };
  const detach = () => {
    socket.removeEventListener('open', onOpen);
    socket.removeEventListener('message', onMessage);
    socket.removeEventListener('close', onClose);
    if (keepTimer) clearTimeout(keepTimer);
    keepTimer = null;
    calls.clear();
    feed.items = [];
  };

  const onOpen = () => {
    send({ t: 'sub', id: feedId, method: o.feed.method, input: o.feed.input });
    for (const p of calls.values()) send({ t: 'call', id: p.id, method: p.request.method, input: p.request.input });
  };
  const onMessage = (e: { data?: unknown }) => {
    if (typeof e.data !== 'string') return;
    // The app's own replies (once its client reads the socket) are not parsed here a second time.
    const head = peekServerHead(e.data);
    if (head && head.id < EARLY_ID_BASE) return;
    let msg: ServerMsg;
    try {
      msg = JSON.parse(e.data) as ServerMsg;
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number' || msg.id < EARLY_ID_BASE) return;
    if (msg.id === feedId) {
      if (msg.t === 'data') {
        // Before the app's client reads the socket, the early feed acknowledges its own items.
        if (!claimed) send({ t: 'ack', n: 1 });
        if (!isStateOnly(msg.data)) feedItems++;
        if (!feed.stopped) feed.items.push(msg.data);
      } else if (msg.t === 'err' || msg.t === 'end') {
        feed.ended = true;
        // A feed that ended says nothing more: no early reply can be shown as current any more.
        feedItems++;
      }
      return;
    }
    if (msg.t !== 'ok' && msg.t !== 'err') return;
    for (const p of calls.values()) {
      if (p.id !== msg.id || p.reply) continue;
      p.reply = msg;
      p.itemsAtReply = feedItems;
      settle(p, current(p));
    }
    maybeDetach();
  };
  const onClose = () => {
    lost = true;
    for (const p of calls.values()) settle(p, null);
    detach();
  };
  socket.addEventListener('open', onOpen);
  socket.addEventListener('message', onMessage);
  socket.addEventListener('close', onClose);
  if (socket.readyState === OPEN) onOpen();

  return {
    socket,
    token: o.token,
    claim() {
      if (claimed) return;
      claimed = true;
      if (lost || socket.readyState === CLOSED) return;
      keepTimer = setTimeout(() => {
        keepTimer = null;
        for (const p of calls.values()) {
          p.taken = true;
          settle(p, null);
        }
        if (!feed.taken) feed.stopped = true;
        maybeDetach();
      }, EARLY_KEEP_MS);
    },
    takeCall(method, input) {
      if (lost || calls.size === 0) return null;
      const p = calls.get(keyOf(method, input));
      if (!p || p.taken || lost) return null;
      p.taken = true;
      const r = p.reply
        ? Promise.resolve(current(p))
        : new Promise<EarlyReply>((resolve) => {
            p.waiters.push(resolve);
          });
      void r.then(() => maybeDetach());
      return r;
    },
    takeFeed(method, input) {
      if (feed.taken || lost || keyOf(method, input) !== feedKey) return null;
      feed.taken = true;
      const items = feed.items;
      feed.items = [];
      return {
        items,
        note(item) {
          if (!isStateOnly(item)) feedItems++;
        },
        stop() {
          if (feed.stopped) return;
          feed.stopped = true;
          if (!feed.ended) send({ t: 'unsub', id: feedId });
          maybeDetach();
        },
      };
    },
  };
}

let started: EarlyLink<WebSocket> | null = null;
let claimedOnce = false;

/** The page's first script: open the socket now (browser mode, with a token; not in Electron). */
export function startEarlyLink(): void {
  if (started || claimedOnce || typeof window === 'undefined' || window.berth) return;
  const token = takeToken();
  if (!token) return;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  let socket: WebSocket;
  try {
    socket = new WebSocket(`${scheme}://${location.host}/rpc`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`]);
  } catch {
    return;
  }
  // The Containers page (the default) lists every container first; other pages only get the early socket.
  const route = location.hash.replace(/^#\/?/, '').split(/[/?&]/, 1)[0] ?? '';
  const calls = route === '' || route === 'containers' ? [{ method: 'containers.list', input: { all: true } }] : [];
  started = createEarlyLink({ socket, token, calls, feed: { method: 'changes.watch', input: {} } });
}

/** The app's link takes the early socket (once); null when there is none (Electron, no token, or the app came first). */
export function claimEarlyLink(): EarlyLink<WebSocket> | null {
  claimedOnce = true;
  const link = started;
  if (link) link.claim();
  return link;
}

/** The early link the app claimed, for lib/rpc's first calls. */
export const claimedEarlyLink = (): EarlyLink | null => (claimedOnce ? started : null);
