import { EventEmitter } from 'node:events';
import WebSocket, { type ClientOptions } from 'ws';
import { createClient, type Client, type ClientTransport } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import { IPC_CHANNEL, WS_PROTOCOL, WS_TOKEN_PREFIX, type ServerMsg } from '../../app/contract/wire';
import { joinTextFrame } from '../../app/contract/ws-text-frames';
import type { RpcServer } from '../../app/api/rpc-server';
import type { Logger } from '../../app/ports/logger';
import { startWebServer, type WebServer } from '../../app/server/ws-server';
import { bindIpc, type FrameLike, type IpcBinding, type IpcEventLike, type WebContentsLike } from '../../electron/main/ipc';
import { APP_INDEX_URL } from '../../electron/main/paths';

/**
 * The two real transports of the API, for tests: the browser-mode WebSocket host and the
 * Electron IPC binding. Only Electron's own plumbing (ipcMain, webContents, frames) is
 * stood in; the binding code in electron/main/ipc.ts runs as in the app.
 */

export type TransportName = 'websocket' | 'ipc';
export const TRANSPORTS: readonly TransportName[] = ['websocket', 'ipc'];

export interface CoreLike {
  rpc: RpcServer;
  log: Logger;
}

export interface Connection {
  client: Client<Api>;
  close(): Promise<void>;
}

export function connect(name: TransportName, core: CoreLike): Promise<Connection> {
  return name === 'websocket' ? connectWebSocket(core) : Promise.resolve(connectIpc(core));
}

// ---------------------------------------------------------------- WebSocket

export type WsAttempt = { ok: true; ws: WebSocket } | { ok: false; status: number | null; error?: string };

/** Opens a WebSocket and reports how the server answered (the status of a refused upgrade). */
export function attemptWebSocket(url: string, protocols: string[], options: ClientOptions = {}): Promise<WsAttempt> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, options);
    ws.once('open', () => resolve({ ok: true, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ok: false, status: res.statusCode ?? null });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (err) => resolve({ ok: false, status: null, error: err.message }));
  });
}

/** The `ws` client with everything a legitimate browser tab sends: Origin and both subprotocols. */
export async function openApiSocket(server: WebServer): Promise<WebSocket> {
  const r = await attemptWebSocket(`ws://127.0.0.1:${server.port}/rpc`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${server.token}`], { origin: server.origin });
  if (!r.ok) throw new Error(`The WebSocket was refused: ${r.status ?? r.error}`);
  return r.ws;
}

export function wsTransport(ws: WebSocket): ClientTransport {
  return {
    send: (msg) => ws.send(JSON.stringify(msg)),
    onMessage: (cb) => {
      // A binary frame is an item with its text as UTF-8 (app/contract/ws-text-frames.ts), as the page reads it.
      const l = (data: WebSocket.RawData, isBinary: boolean) => {
        if (!isBinary) return cb(JSON.parse(data.toString()) as ServerMsg);
        // A Buffer is read in place (as the page reads its ArrayBuffer), not copied.
        const msg = joinTextFrame(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : new Uint8Array(data));
        if (!msg) throw new Error('the core sent a binary frame that is no text item');
        cb(msg);
      };
      ws.on('message', l);
      return () => ws.off('message', l);
    },
    onClose: (cb) => {
      const l = (code: number) => cb(`WebSocket closed (${code})`);
      ws.on('close', l);
      return () => ws.off('close', l);
    },
  };
}

export async function connectWebSocket(core: CoreLike, opts: { staticDir?: string } = {}): Promise<Connection & { server: WebServer }> {
  const server = await startWebServer({ rpc: core.rpc, log: core.log, ...(opts.staticDir ? { staticDir: opts.staticDir } : {}) });
  const ws = await openApiSocket(server);
  const client = createClient<Api>(wsTransport(ws));
  return {
    client,
    server,
    async close() {
      client.close();
      ws.close();
      await server.close();
    },
  };
}

// ---------------------------------------------------------------- Electron IPC stand-in

let nextProcessId = 1000;
let nextWebContentsId = 1;

/** Stands in for Electron's WebFrameMain. */
export class StandInFrame implements FrameLike {
  constructor(
    public url: string,
    public readonly parent: StandInFrame | null,
    public readonly processId: number,
    public readonly routingId: number,
  ) {}
}

/** What the preload exposes as `window.berth` (electron/preload/index.ts), seen from one frame. */
export interface BridgeLike {
  send(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): () => void;
  platform: string;
}

/**
 * Stands in for a BrowserWindow's webContents and its renderer: messages cross in both
 * directions through structuredClone on a later turn of the event loop, as over IPC.
 */
export class StandInWebContents extends EventEmitter implements WebContentsLike {
  readonly id = nextWebContentsId++;
  mainFrame: StandInFrame;
  private destroyed = false;
  private readonly toRenderer = new Set<(msg: unknown) => void>();

  constructor(
    private readonly ipcMain: EventEmitter,
    url: string,
  ) {
    super();
    this.mainFrame = new StandInFrame(url, null, nextProcessId++, 1);
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    if (channel !== IPC_CHANNEL) return;
    const copy = structuredClone(args[0]);
    setImmediate(() => this.toRenderer.forEach((cb) => cb(copy)));
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** A child frame (e.g. an iframe) of the current page. */
  subframe(url: string): StandInFrame {
    return new StandInFrame(url, this.mainFrame, this.mainFrame.processId, this.mainFrame.routingId + 1);
  }

  /** The preload bridge as seen by the page in `frame` (the main frame by default). */
  bridge(frame: StandInFrame = this.mainFrame): BridgeLike {
    return {
      send: (msg) => {
        const copy = structuredClone(msg);
        const event: IpcEventLike = { sender: this, senderFrame: frame };
        setImmediate(() => this.ipcMain.emit(IPC_CHANNEL, event, copy));
      },
      onMessage: (cb) => {
        this.toRenderer.add(cb);
        return () => this.toRenderer.delete(cb);
      },
      platform: process.platform,
    };
  }

  /** A new document in the main frame (reload, or a navigation that committed). */
  navigate(url: string): void {
    this.mainFrame = new StandInFrame(url, null, this.mainFrame.processId, this.mainFrame.routingId);
    this.emit('did-navigate');
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
}

/** The renderer's side of the IPC transport: a client over the preload bridge. */
export function bridgeTransport(bridge: BridgeLike): ClientTransport {
  return {
    send: (msg) => bridge.send(msg),
    onMessage: (cb) => bridge.onMessage((m) => cb(m as ServerMsg)),
    onClose: () => () => undefined,
  };
}

export interface IpcConnection extends Connection {
  ipcMain: EventEmitter;
  binding: IpcBinding;
  /** The window whose page holds `client`. */
  webContents: StandInWebContents;
  /** Another window, created but never attached to the binding. */
  newUnattachedWindow(url?: string): StandInWebContents;
}

/** A window showing Berth's page, attached to the real IPC binding, with a client in its page. */
export function connectIpc(core: CoreLike, opts: { log?: Logger } = {}): IpcConnection {
  const ipcMain = new EventEmitter();
  const binding = bindIpc({ ipcMain, rpc: core.rpc, expectedUrl: APP_INDEX_URL, log: opts.log ?? core.log });
  const webContents = new StandInWebContents(ipcMain, APP_INDEX_URL);
  binding.attach(webContents);
  const client = createClient<Api>(bridgeTransport(webContents.bridge()));
  return {
    client,
    ipcMain,
    binding,
    webContents,
    newUnattachedWindow: (url = APP_INDEX_URL) => new StandInWebContents(ipcMain, url),
    async close() {
      client.close();
      webContents.destroy();
      binding.dispose();
    },
  };
}
