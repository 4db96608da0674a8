import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import type { WebSocketServer } from 'ws';
// ws-protocol.ts, not wire.ts: this module loads before the core (listenWeb), and wire.ts loads zod and builds schemas.
import { MAX_FRAME_BYTES, WS_PROTOCOL, WS_TOKEN_PREFIX } from '../contract/ws-protocol';
import type { RpcServer } from '../api/rpc-server';
import type { Logger } from '../ports/logger';
import { createEarlyLog, type EarlyLog } from './early-log';
import { holdPeer, wsPeer, type EarlyResponder, type HeldPeer } from './ws-peer';

const nodeRequire = createRequire(import.meta.url);

export interface WebListenOptions {
  /** The built renderer (index.html and assets). Omit to serve only the WebSocket. */
  staticDir?: string;
  /** 0 picks a free port. */
  port?: number;
  /** A fixed token (tests); by default a new random one per launch. */
  token?: string;
  /** Extra allowed Origins (e.g. the Vite dev server). */
  extraOrigins?: string[];
}

export interface EarlyListenOptions extends WebListenOptions {
  /** What is logged before attach (by default a log of its own); it goes to the core's log at attach. */
  earlyLog?: EarlyLog;
  /**
   * Answers a page's first call before the core exists (issue 11, cold start: app/server/web.ts). With it, the WebSocket
   * upgrades that pass every check are accepted at once and their messages held (ws-peer.ts's holdPeer) until attach;
   * without it, the upgrades themselves wait.
   */
  early?: EarlyResponder;
}

export interface WebServerOptions extends WebListenOptions {
  rpc: RpcServer;
  log: Logger;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open: the token travels in the fragment, which browsers never send to a server. */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * A web server listening before the core exists (issue 11, cold start): it serves the page, and holds the WebSocket
 * upgrades that pass every check until the core is attached (then they are served) or has failed (then they are
 * refused with 503).
 */
export interface ListeningWebServer extends WebServer {
  /**
   * The core is ready: the held upgrades and connections, and every later one, are served by `rpc`; what was logged
   * before goes to `log`. `earlyAnswered` is called each time a connection that had a call answered early is served
   * (its feed subscription is registered then): the core tells it what it may have missed (app/server/early-handover.ts).
   */
  attach(rpc: RpcServer, log: Logger, earlyAnswered?: () => void): void;
  /**
   * The core could not start: the held upgrades and every later one are refused with 503, the connections held are
   * closed (1011); what was logged before goes to stderr.
   */
  fail(err: unknown): void;
}

/** Upgrades (or connections) held at most while the core starts (a page opens one; more are refused with 503). */
export const MAX_HELD_UPGRADES = 16;


const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

const HOST = '127.0.0.1';

export function contentSecurityPolicy(wsOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${wsOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const safeEqual = (a: string, b: string) => {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
};

function refuse(socket: Duplex, status: number, reason: string) {
  if (socket.destroyed) return;
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
  socket.destroy();
}

/**
 * Browser mode: serves the renderer and the API over a WebSocket on 127.0.0.1 only.
 * A connection must present the per-launch token (as a subprotocol), come from our own
 * Origin and name our own Host (against DNS rebinding); anything else is refused.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const web = await listenWeb(opts);
  web.attach(opts.rpc, opts.log);
  return web;
}

/**
 * The web server of startWebServer, listening before the core exists (issue 11, cold start: the page loads while the
 * core's modules load and createCore runs). Static files and every check (Host, Origin, token) work at once; the
 * upgrades that pass them wait for attach() (or fail()). Loads node's own modules only (ws once it listens).
 */
export async function listenWeb(opts: EarlyListenOptions): Promise<ListeningWebServer> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  // What the server logs before attach goes to the core's log then (or to stderr if the core fails).
  const early = opts.earlyLog ?? createEarlyLog();
  const log = early.log;
  /** The core once attached; 'failed' after fail() or close(). */
  let core: { rpc: RpcServer } | 'waiting' | 'failed' = 'waiting';
  const held = new Set<{ req: http.IncomingMessage; socket: Duplex; head: Buffer }>();
  /** Connections accepted while the core starts (with opts.early). */
  const heldPeers = new Set<HeldPeer>();
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('The web server has no TCP address');
  const port = addr.port;
  const hosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const origins = new Set([`http://${HOST}:${port}`, `http://localhost:${port}`, ...(opts.extraOrigins ?? [])]);
  const origin = `http://${HOST}:${port}`;
  const csp = contentSecurityPolicy(`ws://${HOST}:${port} ws://localhost:${port}`);

  // Issue 11 (cold start): the WebSocket library loads once the server listens, not before the core
  // prints its URL (its first use, the page's socket, comes after the page has loaded). It is required,
  // not imported: ws is CommonJS, and node's ES-module loader would pre-parse each of its files for
  // their exports (cjs-module-lexer) on top of loading them (~60 ms of CPU against ~18 ms, fresh process).
  const wssReady: Promise<WebSocketServer> = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    const { WebSocketServer: Server } = nodeRequire('ws') as { WebSocketServer: typeof WebSocketServer };
    const wss = new Server({
      noServer: true,
      maxPayload: MAX_FRAME_BYTES,
      handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
    });
    wss.on('error', (err) => log.error('The WebSocket host reported an error', { error: err.message }));
    return wss;
  });
  wssReady.catch((err: unknown) => log.error('The WebSocket host could not start', { error: err instanceof Error ? err.message : String(err) }));

  // Last resort for the listening socket: log, keep serving.
  server.on('error', (err) => log.error('The web server reported an error', { error: err.message }));
  // A client that sends garbage instead of HTTP gets 400 on its own socket; nothing else notices.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code !== 'ECONNRESET') log.debug('Refused a malformed HTTP request', { error: err.message });
    refuse(socket, 400, 'Bad Request');
  });

  server.on('request', (req, res) => {
    try {
      serveStatic(req, res);
    } catch (err) {
      log.error('A static request failed', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal error');
    }
  });

  const serveStatic = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!hosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (!opts.staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const urlPath = decodePath(req.url);
    if (urlPath === null) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad Request: malformed path');
      return;
    }
    const root = path.resolve(opts.staticDir);
    let file = path.resolve(root, `.${urlPath}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden');
      return;
    }
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: run `npm run build:renderer` first');
        return;
      }
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
      });
      res.end(req.method === 'HEAD' ? undefined : data);
    });
  };

  server.on('upgrade', (req, socket: Duplex, head) => {
    // Errors on a socket mid-upgrade (a reset, garbage) end that socket, never the core.
    socket.on('error', (err) => log.debug('An upgrading socket failed', { error: err.message }));
    try {
      upgrade(req, socket, head);
    } catch (err) {
      log.error('A WebSocket upgrade failed', { error: err instanceof Error ? err.message : String(err) });
      refuse(socket, 400, 'Bad Request');
    }
  });

  const upgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (decodePath(req.url) !== '/rpc') return refuse(socket, 404, 'Not Found');
    if (!hosts.has(req.headers.host ?? '')) return refuse(socket, 421, 'Misdirected Request');
    const reqOrigin = req.headers.origin;
    if (!reqOrigin || !origins.has(reqOrigin)) {
      log.warn('Refused a WebSocket from a foreign origin', { origin: reqOrigin ?? '(none)' });
      return refuse(socket, 403, 'Forbidden');
    }
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const presented = protocols.find((p) => p.startsWith(WS_TOKEN_PREFIX))?.slice(WS_TOKEN_PREFIX.length) ?? '';
    if (!protocols.includes(WS_PROTOCOL) || !safeEqual(presented, token)) {
      log.warn('Refused a WebSocket without the right token');
      return refuse(socket, 401, 'Unauthorized');
    }
    if (core === 'failed') return refuse(socket, 503, 'Service Unavailable');
    if (core !== 'waiting') return serve(core.rpc, req, socket, head);
    // The core is still starting: this upgrade waits for it (the page's first script opens its socket at once).
    if (held.size + heldPeers.size >= MAX_HELD_UPGRADES) return refuse(socket, 503, 'Service Unavailable');
    if (opts.early) return accept(opts.early, req, socket, head);
    const entry = { req, socket, head };
    held.add(entry);
    socket.once('close', () => held.delete(entry));
  };

  const serve = (rpc: RpcServer, req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    wssReady.then(
      (wss) => wss.handleUpgrade(req, socket, head, (ws) => rpc.serve(wsPeer(ws, log))),
      () => refuse(socket, 500, 'Internal Server Error'),
    );
  };

  /** Accepts a connection at once and holds its messages (or answers its first call) until the core is attached. */
  const accept = (responder: EarlyResponder, req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    wssReady.then(
      (wss) =>
        wss.handleUpgrade(req, socket, head, (ws) => {
          if (core === 'failed') return void ws.close(1011, 'The core could not start');
          if (core !== 'waiting') return core.rpc.serve(wsPeer(ws, log));
          const peer = holdPeer(ws, log, responder);
          heldPeers.add(peer);
          ws.once('close', () => heldPeers.delete(peer));
        }),
      () => refuse(socket, 500, 'Internal Server Error'),
    );
  };

  /** Ends the wait of the held upgrades and connections: served by `rpc`, or refused with 503 (closed with 1011). */
  const release = (rpc: RpcServer | null, earlyAnswered?: () => void) => {
    const peers = [...heldPeers];
    heldPeers.clear();
    for (const p of peers) {
      if (rpc) p.attach(rpc, earlyAnswered);
      else p.fail();
    }
    const entries = [...held];
    held.clear();
    for (const { req, socket, head } of entries) {
      if (socket.destroyed) continue;
      if (rpc) serve(rpc, req, socket, head);
      else refuse(socket, 503, 'Service Unavailable');
    }
  };

  return {
    port,
    token,
    origin,
    url: `${origin}/#token=${token}`,
    attach(rpc, coreLog, earlyAnswered) {
      if (core !== 'waiting') throw new Error(core === 'failed' ? 'The web server has failed or closed: it cannot take a core' : 'The web server has a core already');
      early.forwardTo(coreLog.child('web'));
      core = { rpc };
      release(rpc, earlyAnswered);
    },
    fail(err) {
      if (core !== 'waiting') return;
      core = 'failed';
      release(null);
      process.stderr.write(`The web server refuses connections: the core could not start (${err instanceof Error ? err.message : String(err)})\n`);
      early.toStderr();
    },
    async close() {
      if (core === 'waiting') {
        core = 'failed';
        release(null);
      }
      const wss = await wssReady.catch(() => null);
      for (const c of wss?.clients ?? []) c.terminate();
      if (wss) await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The decoded path of a request URL, or null when it is malformed (a bad percent-escape, say). */
export function decodePath(url: string | undefined): string | null {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    return null;
  }
}
