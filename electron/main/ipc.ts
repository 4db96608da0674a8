import { IPC_CHANNEL, type ServerMsg } from '../../app/contract/wire';
import type { RpcServer, ServerPeer } from '../../app/api/rpc-server';
import type { Core } from '../../app/composition';
import { isSamePage } from './security';

type Logger = Core['log'];

/*
 * The Electron IPC transport of the RPC server. The logic works on the small shapes
 * below rather than on Electron's classes, so the very same code runs in the tests
 * against an in-process stand-in for ipcMain and webContents.
 */

/** The parts of Electron's WebFrameMain we use. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of Electron's WebContents we use. */
export interface WebContentsLike {
  readonly id: number;
  readonly mainFrame: FrameLike;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
  /** Emitted when the main frame committed a new document (not for in-page navigations). */
  on(event: 'did-navigate' | 'render-process-gone', listener: () => void): unknown;
}

export interface IpcEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: FrameLike | null;
}

/** The parts of Electron's ipcMain we use. */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

/**
 * Whether a message comes from Berth's own page: the URL of the sending frame must be
 * our index (any fragment or query), on the exact scheme, host and path we loaded.
 */
export function isTrustedSender(url: string, expected: string): boolean {
  return isSamePage(url, expected);
}

export type DropReason = 'unknown-window' | 'destroyed' | 'no-frame' | 'subframe' | 'untrusted-url';

/** Why a message must be dropped, or null when it may reach the core. */
export function checkSender(event: IpcEventLike, known: WebContentsLike | undefined, expectedUrl: string): DropReason | null {
  const wc = event.sender;
  if (!known || known !== wc) return 'unknown-window';
  if (wc.isDestroyed()) return 'destroyed';
  const frame = event.senderFrame;
  if (!frame) return 'no-frame';
  const main = wc.mainFrame;
  if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) return 'subframe';
  if (!isTrustedSender(frame.url, expectedUrl)) return 'untrusted-url';
  return null;
}

export interface IpcBindingOptions {
  ipcMain: IpcMainLike;
  rpc: RpcServer;
  /** The page allowed to talk to the core (APP_INDEX_URL). */
  expectedUrl: string;
  log: Logger;
}

export interface IpcBinding {
  /** Lets this window talk to the core (call it for every window we create, before it loads). */
  attach(wc: WebContentsLike): void;
  /** Live connections (one per attached window with a loaded page). */
  connections(): number;
  dispose(): void;
}

interface Connection {
  deliver(msg: unknown): void;
  close(): void;
}

function connect(rpc: RpcServer, wc: WebContentsLike, log: Logger): Connection {
  let onMessage: ((raw: unknown) => void) | null = null;
  const onClose: Array<() => void> = [];
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    for (const cb of onClose) cb();
  };
  const peer: ServerPeer = {
    send(msg: ServerMsg) {
      if (!open || wc.isDestroyed()) return;
      try {
        wc.send(IPC_CHANNEL, msg);
      } catch (err) {
        // A window that went away mid-send: end this connection (its subscriptions stop), nothing else.
        log.warn('Could not send to a window; closing its connection', { error: err instanceof Error ? err.message : String(err) });
        close();
      }
    },
    onMessage(cb) {
      onMessage = cb;
    },
    onClose(cb) {
      onClose.push(cb);
    },
  };
  rpc.serve(peer);
  return {
    deliver: (msg) => {
      if (open) onMessage?.(msg);
    },
    close,
  };
}

/**
 * Binds ipcMain on IPC_CHANNEL to the core: one RPC connection per window, checked
 * sender on every message, closed when the page goes away (new document, crash, close)
 * so a reloaded page starts clean and no subscription outlives its page.
 */
export function bindIpc(opts: IpcBindingOptions): IpcBinding {
  const windows = new Map<number, WebContentsLike>();
  const conns = new Map<number, Connection>();
  let drops = 0;

  const reset = (id: number) => {
    conns.get(id)?.close();
    conns.delete(id);
  };

  const logDrop = (reason: DropReason, event: IpcEventLike) => {
    drops++;
    if (drops <= 20 || drops % 100 === 0) {
      opts.log.warn('Dropped an IPC message from an untrusted sender', {
        reason,
        url: event.senderFrame?.url ?? '(no frame)',
        webContentsId: event.sender.id,
        dropped: drops,
      });
    }
  };

  const listener = (event: IpcEventLike, ...args: unknown[]) => {
    const wc = event.sender;
    const reason = checkSender(event, windows.get(wc.id), opts.expectedUrl);
    if (reason) {
      logDrop(reason, event);
      return;
    }
    try {
      let conn = conns.get(wc.id);
      if (!conn) {
        conn = connect(opts.rpc, wc, opts.log);
        conns.set(wc.id, conn);
      }
      conn.deliver(args[0]);
    } catch (err) {
      // The last resort of the IPC path: log, drop this message, keep serving.
      opts.log.error('An IPC message could not be handled', { error: err instanceof Error ? err.message : String(err) });
    }
  };
  opts.ipcMain.on(IPC_CHANNEL, listener);

  return {
    attach(wc) {
      if (windows.has(wc.id)) return;
      windows.set(wc.id, wc);
      // A new document (reload, crash recovery) starts a new client: its ids restart at 1,
      // so the old connection and its subscriptions must not survive it. A navigation
      // that security.ts blocks never commits, so it does not cut the page off.
      wc.on('did-navigate', () => reset(wc.id));
      wc.on('render-process-gone', () => reset(wc.id));
      wc.once('destroyed', () => {
        reset(wc.id);
        windows.delete(wc.id);
      });
    },
    connections: () => conns.size,
    dispose() {
      opts.ipcMain.removeListener(IPC_CHANNEL, listener);
      for (const id of [...conns.keys()]) reset(id);
      windows.clear();
    },
  };
}
