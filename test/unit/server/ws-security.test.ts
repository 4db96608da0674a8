import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../app/composition';
import { createClient } from '../../../app/contract/client';
import type { Api } from '../../../app/contract/api';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../app/contract/wire';
import { startWebServer, type WebServer } from '../../../app/server/ws-server';
import { attemptWebSocket, openApiSocket, wsTransport } from '../../support/transports';

/*
 * The browser-mode host refuses anything that is not Berth's own page on this machine.
 * No engine needed: only the handshake, the static files and the app.* calls.
 */

const SECRET = 'SECRET-MARKER-outside-the-static-folder';
let tmp: string;
let core: Core;
let server: WebServer;
let url: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-ws-security-'));
  const site = path.join(tmp, 'site');
  await fs.mkdir(path.join(site, 'assets'), { recursive: true });
  await fs.writeFile(path.join(site, 'index.html'), '<!doctype html><title>Berth</title><script type="module" src="./assets/app.js"></script>');
  await fs.writeFile(path.join(site, 'assets', 'app.js'), 'console.log("berth")');
  await fs.writeFile(path.join(tmp, 'package.json'), JSON.stringify({ secret: SECRET }));
  core = await createCore({ dataDir: path.join(tmp, 'data'), mode: 'web', version: '0.0.0-test', env: { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' } });
  server = await startWebServer({ rpc: core.rpc, log: core.log, staticDir: site });
  url = `ws://127.0.0.1:${server.port}/rpc`;
});

afterAll(async () => {
  await server?.close();
  await core?.dispose();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

const token = () => `${WS_TOKEN_PREFIX}${server.token}`;

function get(pathname: string, host = `127.0.0.1:${server.port}`): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse((d as Buffer).toString()))));
}

describe('the WebSocket handshake', () => {
  it('accepts our page: right token, our Origin, our Host (the control case)', async () => {
    const ws = await openApiSocket(server);
    const client = createClient<Api>(wsTransport(ws));
    expect((await client.call('app.info', {})).mode).toBe('web');
    client.close();
    ws.close();
  });

  it('refuses a connection without the token with 401', async () => {
    expect(await attemptWebSocket(url, [WS_PROTOCOL], { origin: server.origin })).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a wrong token with 401', async () => {
    // Change the last character (to one it is not: a fixed 'x' would be the real token 1 time in 64).
    const wrong = `${server.token.slice(0, -1)}${server.token.endsWith('x') ? 'y' : 'x'}`;
    expect(wrong).not.toBe(server.token);
    const r = await attemptWebSocket(url, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${wrong}`], { origin: server.origin });
    expect(r).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses the token without the berth.v1 protocol with 401', async () => {
    expect(await attemptWebSocket(url, [token()], { origin: server.origin })).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a foreign Origin with 403, even with the token', async () => {
    expect(await attemptWebSocket(url, [WS_PROTOCOL, token()], { origin: 'http://evil.example' })).toMatchObject({ ok: false, status: 403 });
    expect(await attemptWebSocket(url, [WS_PROTOCOL, token()], { origin: `http://127.0.0.1:${server.port + 1}` })).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses a missing Origin with 403', async () => {
    expect(await attemptWebSocket(url, [WS_PROTOCOL, token()])).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses a wrong Host header (DNS rebinding) with 421', async () => {
    const r = await attemptWebSocket(url, [WS_PROTOCOL, token()], { origin: server.origin, headers: { Host: `evil.example:${server.port}` } });
    expect(r).toMatchObject({ ok: false, status: 421 });
  });

  it('refuses other paths with 404', async () => {
    expect(await attemptWebSocket(`ws://127.0.0.1:${server.port}/other`, [WS_PROTOCOL, token()], { origin: server.origin })).toMatchObject({ ok: false, status: 404 });
  });
});

describe('messages on an open socket', () => {
  it('answers a non-JSON message with an error and keeps serving', async () => {
    const ws = await openApiSocket(server);
    const reply = nextMessage(ws);
    ws.send('this is {not json');
    expect(await reply).toMatchObject({ t: 'err', id: -1, error: { code: 'INVALID_INPUT' } });
    const binary = nextMessage(ws);
    ws.send(Buffer.from([1, 2, 3]));
    expect(await binary).toMatchObject({ t: 'err', id: -1, error: { code: 'INVALID_INPUT' } });
    const ok = nextMessage(ws);
    ws.send(JSON.stringify({ t: 'call', id: 7, method: 'app.info', input: {} }));
    expect(await ok).toMatchObject({ t: 'ok', id: 7, output: { name: 'Berth' } });
    ws.close();
  });
});

describe('static files', () => {
  it('serves index.html with a CSP header that allows only our own scripts and socket', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Berth</title>');
    const csp = String(r.headers['content-security-policy'] ?? '');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("object-src 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['/../package.json', '/%2e%2e/package.json', '/assets/../../package.json', '/..%2fpackage.json', '/%2e%2e%2fpackage.json', '/assets/..%2f..%2fpackage.json'])(
    'does not serve files outside the folder: %s',
    async (p) => {
      const r = await get(p);
      expect(r.body).not.toContain(SECRET);
      expect([200, 403, 404]).toContain(r.status);
    },
  );

  it('an encoded ../ that survives URL parsing is refused with 403', async () => {
    expect((await get('/..%2fpackage.json')).status).toBe(403);
    expect((await get('/%2e%2e%2fpackage.json')).status).toBe(403);
  });

  it('refuses a request for another Host with 421', async () => {
    const r = await get('/', `evil.example:${server.port}`);
    expect(r.status).toBe(421);
    expect(r.body).not.toContain('<title>Berth</title>');
  });
});
