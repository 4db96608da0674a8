import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createCore, type Core } from '../../../app/composition';
import type { RpcServer } from '../../../app/api/rpc-server';
import { EARLY_ID_BASE } from '../../../app/contract/ws-protocol';
import { createEarlyLog } from '../../../app/server/early-log';
import { MAX_HELD_MESSAGES, type EarlyResponder } from '../../../app/server/ws-peer';
import { listenWeb, MAX_HELD_UPGRADES, type ListeningWebServer } from '../../../app/server/ws-server';
import { recordingLog } from '../../support/recording-log';
import { openApiSocket } from '../../support/transports';

/*
 * Issue 11 (cold start): with an early responder, the browser-mode server accepts the page's WebSocket before the core
 * exists, answers the page's first list (ws-peer.ts's holdPeer), holds every other message and hands them to the core,
 * in order, once attached. No engine needed: the core's Docker engine is unreachable; what reaches the core is recorded.
 */

let tmp: string;
let core: Core;
const servers: ListeningWebServer[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-ws-early-'));
  core = await createCore({ dataDir: path.join(tmp, 'data'), mode: 'web', version: '0.0.0-test', env: { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' } });
});

afterEach(async () => {
  for (const w of sockets.splice(0)) w.terminate();
  for (const s of servers.splice(0)) await s.close();
});

afterAll(async () => {
  await core?.dispose();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

const ROWS = [{ id: 'a'.repeat(64), names: ['web'] }];
const FEED = { t: 'sub', id: EARLY_ID_BASE, method: 'changes.watch', input: {} };
const LIST = { t: 'call', id: EARLY_ID_BASE + 1, method: 'containers.list', input: { all: true } };

/** A responder that answers with `output` (null: declines) once `release` is called (at once by default). */
function responder(output: unknown, opts: { manual?: boolean } = {}) {
  const asked: Array<{ method: string; input: unknown }> = [];
  let release: () => void = () => undefined;
  const gate = opts.manual ? new Promise<void>((r) => (release = r)) : Promise.resolve();
  let passed = 0;
  const r: EarlyResponder & { asked: typeof asked; release: () => void; passes: () => number } = {
    asked,
    release: () => release(),
    passes: () => passed,
    answer(method, input) {
      asked.push({ method, input });
      return gate.then(() => output);
    },
    passed() {
      passed++;
    },
  };
  return r;
}

/** The core's RPC server, recording each message that reaches it and each connection it serves. */
function recordingRpc() {
  const seen: unknown[] = [];
  let served = 0;
  const rpc: RpcServer = {
    ...core.rpc,
    serve(peer) {
      served++;
      core.rpc.serve({ ...peer, onMessage: (cb) => peer.onMessage((m) => (seen.push(m), cb(m))) });
    },
  };
  return { rpc, seen, served: () => served };
}

async function listen(early: EarlyResponder): Promise<ListeningWebServer> {
  const s = await listenWeb({ early });
  servers.push(s);
  return s;
}

/** A socket whose received messages are parsed and kept. */
async function open(s: ListeningWebServer): Promise<{ ws: WebSocket; got: Array<Record<string, unknown>>; closed: Promise<number> }> {
  const ws = await openApiSocket(s);
  sockets.push(ws);
  const got: Array<Record<string, unknown>> = [];
  ws.on('message', (d) => got.push(JSON.parse(String(d)) as Record<string, unknown>));
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  return { ws, got, closed };
}

const send = (ws: WebSocket, ...msgs: unknown[]) => {
  for (const m of msgs) ws.send(JSON.stringify(m));
};

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('listenWeb with an early responder', () => {
  it('accepts the socket before the core, answers the first list there, and hands the rest to the core in order', async () => {
    const r = responder(ROWS);
    const s = await listen(r);
    const { ws, got } = await open(s);
    send(ws, FEED, LIST, { t: 'call', id: 1, method: 'app.info', input: {} });
    await until(() => got.length === 1, 'the early answer');
    expect(got[0]).toEqual({ t: 'ok', id: LIST.id, output: ROWS });
    expect(r.asked).toEqual([{ method: 'containers.list', input: { all: true } }]);

    const rec = recordingRpc();
    let answered = 0;
    s.attach(rec.rpc, recordingLog(), () => answered++);
    // Replayed in one synchronous stretch at attach: the answered call never reaches the core.
    expect(rec.seen).toEqual([FEED, { t: 'call', id: 1, method: 'app.info', input: {} }]);
    expect(answered).toBe(1);
    expect(core.rpc.activeSubscriptions()).toBeGreaterThan(0);
    await until(() => got.some((m) => m.id === 1 && m.t === 'ok'), 'app.info from the core');
    // The core's feed begins with the engines' state.
    expect(got.some((m) => m.id === FEED.id && (m.t === 'data' || m.t === 'items'))).toBe(true);
    // Later messages go straight to the core.
    send(ws, { t: 'call', id: 2, method: 'app.info', input: {} });
    await until(() => got.some((m) => m.id === 2), 'a call after attach');
    expect(rec.seen).toHaveLength(3);
  });

  it('a declined call keeps its place among the held messages; no earlyAnswered call', async () => {
    const r = responder(null, { manual: true });
    const s = await listen(r);
    const { ws, got } = await open(s);
    const after = { t: 'call', id: 3, method: 'app.info', input: {} };
    send(ws, FEED, LIST, after);
    await until(() => r.asked.length === 1, 'the responder asked');
    const rec = recordingRpc();
    let answered = 0;
    // Attached while the call is being decided: the core gets the connection once it is decided.
    s.attach(rec.rpc, recordingLog(), () => answered++);
    expect(rec.served()).toBe(0);
    r.release();
    await until(() => rec.served() === 1, 'the connection served');
    expect(rec.seen).toEqual([FEED, LIST, after]);
    expect(answered).toBe(0);
    await until(() => got.some((m) => m.id === LIST.id), "the core's reply to the list");
    expect(got.find((m) => m.id === LIST.id)?.t).toBe('err');
  });

  it('answers only the early list after the feed subscription: other calls, inputs, ids or orders go to the core', async () => {
    const r = responder(ROWS);
    const s = await listen(r);
    const cases = [
      [LIST, FEED],
      [FEED, { ...LIST, id: 7 }],
      [FEED, { ...LIST, input: { all: false } }],
      [FEED, { ...LIST, input: { all: true, engineId: 'x' } }],
      [FEED, { ...LIST, timeoutMs: 5000 }],
      [FEED, { ...LIST, method: 'images.list' }],
      [{ ...FEED, input: { engineId: 'local' } }, LIST],
    ];
    const conns = [];
    for (const msgs of cases) {
      const c = await open(s);
      send(c.ws, ...msgs);
      conns.push({ c, msgs });
    }
    await new Promise((res) => setTimeout(res, 100));
    expect(r.asked).toEqual([]);
    for (const { c } of conns) expect(c.got).toEqual([]);
    const rec = recordingRpc();
    s.attach(rec.rpc, recordingLog());
    expect(rec.seen).toEqual(cases.flat());
  });

  it('a socket closed before attach is never served; nothing of it stays subscribed', async () => {
    const s = await listen(responder(ROWS));
    const { ws, got, closed } = await open(s);
    send(ws, FEED, LIST);
    await until(() => got.length === 1, 'the early answer');
    const subs = core.rpc.activeSubscriptions();
    ws.close();
    await closed;
    await new Promise((res) => setTimeout(res, 50));
    const rec = recordingRpc();
    let answered = 0;
    s.attach(rec.rpc, recordingLog(), () => answered++);
    expect(rec.served()).toBe(0);
    expect(answered).toBe(0);
    expect(core.rpc.activeSubscriptions()).toBe(subs);
  });

  it('an invalid frame before attach closes only that socket and is logged; a binary one reaches the core as malformed', async () => {
    const earlyLog = createEarlyLog();
    const s = await listenWeb({ early: responder(ROWS), earlyLog });
    servers.push(s);
    const bad = await open(s);
    // A text frame that is not UTF-8: ws closes the connection (1007) and reports an error, which must not end the process.
    bad.ws.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false });
    expect(await bad.closed).toBe(1007);
    const bin = await open(s);
    bin.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await new Promise((res) => setTimeout(res, 50));
    const log = recordingLog();
    const rec = recordingRpc();
    s.attach(rec.rpc, log);
    expect(log.lines.some((l) => l.includes('invalid frame'))).toBe(true);
    expect(rec.served()).toBe(1);
    expect(rec.seen).toEqual([null]);
    await until(() => bin.got.length === 1, "the core's reply");
    expect(bin.got[0]).toMatchObject({ t: 'err', error: { code: 'INVALID_INPUT' } });
  });

  it(`more than ${MAX_HELD_MESSAGES} messages before attach close the socket (1008)`, async () => {
    const s = await listen(responder(ROWS));
    const { ws, closed } = await open(s);
    for (let i = 0; i <= MAX_HELD_MESSAGES; i++) send(ws, { t: 'call', id: i + 1, method: 'app.info', input: {} });
    expect(await closed).toBe(1008);
    const rec = recordingRpc();
    s.attach(rec.rpc, recordingLog());
    expect(rec.served()).toBe(0);
  });

  it('fail() closes the held sockets with 1011 and refuses later ones', async () => {
    const s = await listen(responder(ROWS));
    const a = await open(s);
    send(a.ws, FEED);
    await new Promise((res) => setTimeout(res, 20));
    s.fail(new Error('no core'));
    expect(await a.closed).toBe(1011);
    await expect(openApiSocket(s)).rejects.toThrow(/503/);
  });

  it(`holds at most ${MAX_HELD_UPGRADES} sockets`, async () => {
    const s = await listen(responder(ROWS));
    for (let i = 0; i < MAX_HELD_UPGRADES; i++) await open(s);
    await expect(openApiSocket(s)).rejects.toThrow(/503/);
  });

  it('tells the responder when a socket sends something else before a call it can answer (not on the feed alone)', async () => {
    const r = responder(ROWS);
    const s = await listen(r);
    const { ws, got } = await open(s);
    send(ws, FEED);
    await new Promise((res) => setTimeout(res, 50));
    expect(r.passes()).toBe(0);
    send(ws, { t: 'call', id: 1, method: 'app.info', input: {} }, LIST);
    await until(() => r.passes() === 1, 'passed()');
    await new Promise((res) => setTimeout(res, 50));
    // Decided: the list after it goes to the core.
    expect(r.asked).toEqual([]);
    expect(got).toEqual([]);
  });
});
