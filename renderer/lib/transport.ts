import { createClient, type Client, type ClientTransport } from '../../app/contract/client';
import type { ClientMsg, ServerMsg } from '../../app/contract/wire';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../app/contract/wire';
import { EARLY_ID_BASE, peekServerHead } from '../../app/contract/ws-protocol';
import { joinTextFrame } from '../../app/contract/ws-text-frames';
import type { Api } from '../../app/contract/api';
import { documentVisibility } from './visibility';

/** While the window is hidden, acks go out with the message they acknowledge: no timer batches them. */
const clientOptions = () => {
  const visibility = documentVisibility();
  return { acks: { batch: () => !visibility.hidden(), onStop: (cb: () => void) => visibility.onHidden(cb) } };
};

/** What Electron's preload exposes: a dumb pipe for the same wire messages. */
export interface BerthBridge {
  send(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): () => void;
  platform: string;
}

declare global {
  interface Window {
    berth?: BerthBridge;
  }
}

export type LinkStatus = 'connecting' | 'open' | 'closed';

export interface LinkState {
  status: LinkStatus;
  kind: 'electron' | 'websocket';
  /** Why the link is not open (last close reason). */
  reason: string | null;
  /** Failed attempts since the link was last open. */
  attempt: number;
  /** When the next reconnect attempt starts (ms since epoch), while waiting. */
  retryAt: number | null;
  /** Whether this link was ever open (a link that never opened suggests a stale token). */
  everOpened: boolean;
}

export interface Link {
  state(): LinkState;
  onState(cb: (s: LinkState) => void): () => void;
  /** Called with a fresh client each time the link (re)opens. */
  onClient(cb: (client: Client<Api>) => void): () => void;
  /** Try now instead of waiting for the backoff timer. */
  retryNow(): void;
  close(): void;
}

const isServerMsg = (m: unknown): m is ServerMsg =>
  typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string' && typeof (m as { id?: unknown }).id === 'number';

/** Electron: the preload bridge never "closes"; the window lives as long as the core. */
export function bridgeLink(bridge: BerthBridge): Link {
  const transport: ClientTransport = {
    send: (msg: ClientMsg) => bridge.send(msg),
    onMessage: (cb) => bridge.onMessage((m) => isServerMsg(m) && cb(m)),
    onClose: () => () => undefined,
  };
  const client = createClient<Api>(transport, clientOptions());
  const state: LinkState = { status: 'open', kind: 'electron', reason: null, attempt: 0, retryAt: null, everOpened: true };
  return {
    state: () => state,
    onState: () => () => undefined,
    onClient(cb) {
      cb(client);
      return () => undefined;
    },
    retryNow: () => undefined,
    close: () => client.close(),
  };
}

function describeClose(e: CloseEvent): string {
  if (e.reason) return e.reason;
  if (e.code === 1000) return 'closed';
  if (e.code === 1001) return 'the core is shutting down';
  if (e.code === 1006) return 'the connection was refused or dropped';
  if (e.code === 1009) return 'a message was larger than the core accepts';
  if (e.code === 1007) return 'a message was not valid UTF-8';
  return `connection closed (code ${e.code})`;
}

function socketTransport(ws: WebSocket): ClientTransport {
  // Output items come as binary frames (app/contract/ws-text-frames.ts), read at once as bytes (not as a Blob).
  ws.binaryType = 'arraybuffer';
  return {
    send(msg) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    },
    onMessage(cb) {
      const h = (e: MessageEvent) => {
        if (e.data instanceof ArrayBuffer) {
          const msg = joinTextFrame(new Uint8Array(e.data));
          if (msg) cb(msg);
          return;
        }
        if (typeof e.data !== 'string') return;
        // A reply to the page's early script (lib/early-link.ts) on an adopted socket is its own: not parsed again here.
        const head = peekServerHead(e.data);
        if (head && head.id >= EARLY_ID_BASE && (head.t === 'ok' || head.t === 'err')) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(e.data);
        } catch {
          return;
        }
        if (isServerMsg(parsed)) cb(parsed);
      };
      ws.addEventListener('message', h);
      return () => ws.removeEventListener('message', h);
    },
    onClose(cb) {
      const h = (e: CloseEvent) => cb(describeClose(e));
      ws.addEventListener('close', h);
      return () => ws.removeEventListener('close', h);
    },
  };
}

/** Backoff: 0.5 s doubling up to 15 s, with a little jitter so tabs do not reconnect in lockstep. */
export function backoffMs(attempt: number): number {
  const base = Math.min(15_000, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.85 + Math.random() * 0.3));
}

/**
 * Browser mode: a WebSocket to the core that reconnects with backoff when it drops. `early`: a
 * socket to `url` the page's first script opened already (lib/early-link.ts), used for the first
 * connection while it is still connecting or open.
 */
export function socketLink(url: string, token: string, early?: WebSocket): Link {
  const listeners = new Set<(s: LinkState) => void>();
  const clientListeners = new Set<(c: Client<Api>) => void>();
  let state: LinkState = { status: 'connecting', kind: 'websocket', reason: null, attempt: 0, retryAt: null, everOpened: false };
  let ws: WebSocket | null = null;
  let client: Client<Api> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let adopt = early ?? null;

  const set = (patch: Partial<LinkState>) => {
    state = { ...state, ...patch };
    listeners.forEach((cb) => cb(state));
  };

  const open = () => {
    if (stopped) return;
    timer = null;
    set({ status: 'connecting', retryAt: null });
    let socket: WebSocket;
    const adopted = adopt !== null && adopt.readyState <= WebSocket.OPEN ? adopt : null;
    adopt = null;
    try {
      socket = adopted ?? new WebSocket(url, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`]);
    } catch (e) {
      scheduleRetry(e instanceof Error ? e.message : String(e));
      return;
    }
    ws = socket;
    const onOpen = () => {
      if (ws !== socket) return;
      client = createClient<Api>(socketTransport(socket), clientOptions());
      set({ status: 'open', reason: null, attempt: 0, everOpened: true });
      clientListeners.forEach((cb) => cb(client as Client<Api>));
    };
    if (socket.readyState === WebSocket.OPEN) onOpen();
    else socket.addEventListener('open', onOpen);
    socket.addEventListener('close', (e) => {
      if (ws !== socket) return;
      ws = null;
      client = null;
      if (!stopped) scheduleRetry(describeClose(e));
    });
  };

  const scheduleRetry = (reason: string) => {
    const attempt = state.attempt + 1;
    const delay = backoffMs(attempt);
    set({ status: 'closed', reason, attempt, retryAt: Date.now() + delay });
    timer = setTimeout(open, delay);
  };

  open();
  return {
    state: () => state,
    onState(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    onClient(cb) {
      clientListeners.add(cb);
      if (client) cb(client);
      return () => clientListeners.delete(cb);
    },
    retryNow() {
      if (stopped || state.status !== 'closed') return;
      if (timer) clearTimeout(timer);
      open();
    },
    close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      ws?.close(1000, 'closed by the app');
      set({ status: 'closed', reason: 'closed by the app', retryAt: null });
    },
  };
}
