import type { CallOptions, Client, SubscriptionHandlers } from '../../app/contract/client';
import { BerthError } from '../../app/contract/errors';
import type { Api } from '../../app/contract/api';
import type { CallNames, InputOf, OutputOf, SubNames } from '../../app/contract/rpc';
import { bridgeLink, socketLink, type Link, type LinkState } from './transport';
import { takeToken } from './token';
import { claimEarlyLink, claimedEarlyLink } from './early-link';

/**
 * The one place the renderer talks to the core. Stores call `call()` and `subscribe()`;
 * components never do. The link is chosen once at start-up (Electron bridge or WebSocket);
 * after a reconnect a fresh client is used and live subscriptions are re-established.
 */
let link: Link | null = null;
let client: Client<Api> | null = null;
const waiters = new Set<(c: Client<Api>) => void>();
const reconnectListeners = new Set<() => void>();

export type StartResult = { ok: true; link: Link } | { ok: false; reason: 'no-token' };

/** Pick the transport and connect. Call once, before rendering. */
export function startLink(): StartResult {
  if (link) return { ok: true, link };
  if (window.berth) {
    link = bridgeLink(window.berth);
  } else {
    // The page's first script may have opened the socket already (lib/early-link.ts).
    const early = claimEarlyLink();
    const token = early?.token ?? takeToken();
    if (!token) return { ok: false, reason: 'no-token' };
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    link = socketLink(`${scheme}://${location.host}/rpc`, token, early?.socket);
  }
  let opened = false;
  link.onClient((c) => {
    client = c;
    waiters.forEach((w) => w(c));
    waiters.clear();
    if (opened) reconnectListeners.forEach((cb) => cb());
    opened = true;
  });
  link.onState((s) => {
    if (s.status !== 'open') client = null;
  });
  return { ok: true, link };
}

export function linkState(): LinkState | null {
  return link?.state() ?? null;
}

export function onLinkState(cb: (s: LinkState) => void): () => void {
  return link ? link.onState(cb) : () => undefined;
}

export function retryLink(): void {
  link?.retryNow();
}

/** Run `cb` every time the link comes back after a drop (stores resync here). */
export function onReconnect(cb: () => void): () => void {
  reconnectListeners.add(cb);
  return () => reconnectListeners.delete(cb);
}

const notConnected = () => {
  const s = link?.state();
  return new BerthError('ENGINE_UNREACHABLE', `Not connected to Berth's core${s?.reason ? `: ${s.reason}` : ''}.`, {
    hint: s && !s.everOpened
      ? 'Open Berth with the URL printed by “npm run web”; a URL from an earlier launch carries an old token.'
      : 'Berth keeps retrying; check that the core (“npm run web” or the app) is still running.',
  });
};

/** The current client, waiting for the link to open (up to `timeoutMs`). */
function ready(timeoutMs = 15_000): Promise<Client<Api>> {
  if (client) return Promise.resolve(client);
  if (!link) return Promise.reject(notConnected());
  return new Promise((resolve, reject) => {
    const w = (c: Client<Api>) => {
      clearTimeout(t);
      resolve(c);
    };
    const t = setTimeout(() => {
      waiters.delete(w);
      reject(notConnected());
    }, timeoutMs);
    waiters.add(w);
  });
}

/** Call a query or mutation of the core. Rejects with a BerthError. */
export async function call<N extends CallNames<Api>>(method: N, input: InputOf<Api[N]>, opts?: CallOptions): Promise<OutputOf<Api[N]>> {
  // The same call asked for early (at cold start, before the bundle loaded): its reply, if still current.
  const early = opts?.signal || opts?.timeoutMs !== undefined ? null : claimedEarlyLink()?.takeCall(method, input);
  const reply = early ? await early : null;
  if (reply?.t === 'ok') return reply.output as OutputOf<Api[N]>;
  if (reply?.t === 'err') throw BerthError.fromShape(reply.error);
  // Sent now when the link is open (not a microtask later): a call made in an event handler goes out before the
  // render that the same event scheduled (stores/security.ts badgesAhead), so the core works while the page renders.
  const c = client ?? (await ready());
  return c.call(method, input, opts);
}

export interface LiveHandlers<T> extends SubscriptionHandlers<T> {
  /** Called after a reconnect re-established the subscription (refetch what may have been missed). */
  onResubscribe?(): void;
}

/**
 * Subscribe and stay subscribed across reconnects. Returns the function that cancels it.
 * An error from the core ends the subscription (onError); a dropped link does not.
 */
export function subscribe<N extends SubNames<Api>>(method: N, input: InputOf<Api[N]>, handlers: LiveHandlers<OutputOf<Api[N]>>): () => void {
  let cancel: (() => void) | null = null;
  let stopped = false;
  let first = true;
  let off: () => void = () => undefined;
  const finish = () => {
    stopped = true;
    cancel = null;
    off();
  };
  const start = (c: Client<Api>) => {
    if (stopped) return;
    if (!first) handlers.onResubscribe?.();
    // The first time: the early feed of the same subscription hands over what it heard (after this one has started, so nothing falls between).
    const early = first ? (claimedEarlyLink()?.takeFeed(method, input) ?? null) : null;
    first = false;
    cancel = c.subscribe(method, input, {
      onData: (d) => {
        early?.note(d);
        handlers.onData(d);
      },
      onEnd: () => {
        finish();
        handlers.onEnd?.();
      },
      onError: (err) => {
        cancel = null;
        // A dropped link is handled by re-subscribing on reconnect; anything else ends it.
        if (client !== c && link?.state().status !== 'open') return;
        finish();
        handlers.onError?.(err);
      },
    });
    if (early) {
      for (const item of early.items) if (!stopped) handlers.onData(item as OutputOf<Api[N]>);
      early.stop();
    }
  };
  if (!link) {
    handlers.onError?.(notConnected());
    return () => undefined;
  }
  off = link.onClient(start);
  if (stopped) off();
  return () => {
    const c = cancel;
    finish();
    c?.();
  };
}
