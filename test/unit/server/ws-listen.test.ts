import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../app/composition';
import { createClient } from '../../../app/contract/client';
import type { Api } from '../../../app/contract/api';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../app/contract/ws-protocol';
import { listenWeb, MAX_HELD_UPGRADES, type ListeningWebServer } from '../../../app/server/ws-server';
import { recordingLog } from '../../support/recording-log';
import { attemptWebSocket, openApiSocket, wsTransport, type WsAttempt } from '../../support/transports';

/*
 * Issue 11 (cold start): the browser-mode server listens before the core exists (listenWeb), serves the page, and
 * holds the WebSocket upgrades that pass every check until attach() (served) or fail() (503). No engine needed.
 */

const ROOT = path.resolve(__dirname, '../../..');
let tmp: string;
let site: string;
let core: Core;
const servers: ListeningWebServer[] = [];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-ws-listen-'));
  site = path.join(tmp, 'site');
  await fs.mkdir(site, { recursive: true });
  await fs.writeFile(path.join(site, 'index.html'), '<!doctype html><title>Berth</title>');
  core = await createCore({ dataDir: path.join(tmp, 'data'), mode: 'web', version: '0.0.0-test', env: { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' } });
});

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

afterAll(async () => {
  await core?.dispose();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

async function listen(): Promise<ListeningWebServer> {
  const s = await listenWeb({ staticDir: site });
  servers.push(s);
  return s;
}

const rpcUrl = (s: ListeningWebServer) => `ws://127.0.0.1:${s.port}/rpc`;
const rightProtocols = (s: ListeningWebServer) => [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${s.token}`];

/** Whether `p` settles within `ms`. */
const settlesWithin = (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

function get(s: ListeningWebServer, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: s.port, path: pathname, headers: { Host: `127.0.0.1:${s.port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('listenWeb: before the core is attached', () => {
  it('serves the page at once', async () => {
    const s = await listen();
    const r = await get(s, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Berth</title>');
  });

  it('holds a right upgrade until attach, then serves it', async () => {
    const s = await listen();
    const attempt = attemptWebSocket(rpcUrl(s), rightProtocols(s), { origin: s.origin });
    expect(await settlesWithin(attempt, 300)).toBe(false);
    s.attach(core.rpc, core.log);
    const r = await attempt;
    if (!r.ok) throw new Error(`refused: ${r.status ?? r.error}`);
    const client = createClient<Api>(wsTransport(r.ws));
    expect((await client.call('app.info', {})).mode).toBe('web');
    client.close();
    r.ws.close();
    // And a later one is served at once.
    const later = await openApiSocket(s);
    later.close();
  });

  it('refuses a wrong token, a foreign Origin or a wrong Host at once, without the core', async () => {
    const s = await listen();
    const at = (p: Promise<WsAttempt>) => settlesWithin(p, 2000).then(async (settled) => (settled ? await p : 'held'));
    expect(await at(attemptWebSocket(rpcUrl(s), [WS_PROTOCOL, `${WS_TOKEN_PREFIX}not-the-token`], { origin: s.origin }))).toMatchObject({ ok: false, status: 401 });
    expect(await at(attemptWebSocket(rpcUrl(s), [WS_PROTOCOL], { origin: s.origin }))).toMatchObject({ ok: false, status: 401 });
    expect(await at(attemptWebSocket(rpcUrl(s), rightProtocols(s), { origin: 'http://evil.example' }))).toMatchObject({ ok: false, status: 403 });
    expect(await at(attemptWebSocket(rpcUrl(s), rightProtocols(s)))).toMatchObject({ ok: false, status: 403 });
    expect(await at(attemptWebSocket(rpcUrl(s), rightProtocols(s), { origin: s.origin, headers: { Host: `evil.example:${s.port}` } }))).toMatchObject({ ok: false, status: 421 });
    expect(await at(attemptWebSocket(`ws://127.0.0.1:${s.port}/other`, rightProtocols(s), { origin: s.origin }))).toMatchObject({ ok: false, status: 404 });
  });

  it('logs what it refused before attach into the core log once attached', async () => {
    const s = await listen();
    await attemptWebSocket(rpcUrl(s), rightProtocols(s), { origin: 'http://evil.example' });
    const log = recordingLog();
    s.attach(core.rpc, log);
    expect(log.lines).toContain('warn Refused a WebSocket from a foreign origin');
  });

  it(`holds at most ${MAX_HELD_UPGRADES} upgrades; one more is refused with 503 at once`, async () => {
    const s = await listen();
    const held = Array.from({ length: MAX_HELD_UPGRADES }, () => attemptWebSocket(rpcUrl(s), rightProtocols(s), { origin: s.origin }));
    // Let the server receive them all before the extra one.
    await new Promise((r) => setTimeout(r, 300));
    expect(await attemptWebSocket(rpcUrl(s), rightProtocols(s), { origin: s.origin })).toMatchObject({ ok: false, status: 503 });
    s.attach(core.rpc, core.log);
    for (const r of await Promise.all(held)) {
      expect(r.ok).toBe(true);
      if (r.ok) r.ws.close();
    }
  });
});

describe('listenWeb: when the core cannot start, or the server closes first', () => {
  it('fail() refuses the held upgrades and later ones with 503', async () => {
    const s = await listen();
    const attempt = attemptWebSocket(rpcUrl(s), rightProtocols(s), { origin: s.origin });
    expect(await settlesWithin(attempt, 300)).toBe(false);
    s.fail(new Error('no core (test)'));
    expect(await attempt).toMatchObject({ ok: false, status: 503 });
    expect(await attemptWebSocket(rpcUrl(s), rightProtocols(s), { origin: s.origin })).toMatchObject({ ok: false, status: 503 });
    expect(() => s.attach(core.rpc, core.log)).toThrow(/failed or closed/);
  });

  it('close() before attach refuses the held upgrades with 503 and stops listening', async () => {
    const s = await listenWeb({ staticDir: site });
    const attempt = attemptWebSocket(rpcUrl(s), rightProtocols(s), { origin: s.origin });
    expect(await settlesWithin(attempt, 300)).toBe(false);
    await s.close();
    expect(await attempt).toMatchObject({ ok: false, status: 503 });
    expect(() => s.attach(core.rpc, core.log)).toThrow(/failed or closed/);
    await expect(get(s, '/')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('attach() twice is refused', async () => {
    const s = await listen();
    s.attach(core.rpc, core.log);
    expect(() => s.attach(core.rpc, core.log)).toThrow(/has a core already/);
  });
});

it('ws-server.ts loads node modules only (it listens before the core: no zod, no schemas; ws is required on use)', async () => {
  const r = await build({ absWorkingDir: ROOT, entryPoints: ['app/server/ws-server.ts'], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  expect(Object.keys(r.metafile.inputs).sort()).toEqual(['app/contract/ws-protocol.ts', 'app/contract/ws-text-frames.ts', 'app/server/early-log.ts', 'app/server/ws-peer.ts', 'app/server/ws-server.ts']);
}, 30_000);
