import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLines } from '../../../app/contract/logs';
import { createDockerContext, type DockerContext } from '../../../app/adapters/engine/docker-api/context';
import { DockerLogs } from '../../../app/adapters/engine/docker-api/logs';
import { openEngineStreams } from '../../../app/adapters/engine/docker-api/streams';
import { ChunkedBody } from '../../../app/adapters/engine/docker-api/unix-body';
import type { LogQuery } from '../../../app/ports/engine/logs';

/*
 * Issue 11: on a local unix socket, the logs stream's HTTP framing is read by unix-body.ts, not node's http through
 * dockerode. Every reply a fake engine gives (chunked per frame as dockerd sends, one length, until the close, TTY,
 * error statuses, a reply cut in the head or in the body, a socket that refuses or is missing) must give the same lines
 * and the same error on both paths; cancelling must close the connection.
 */

const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
};
const FRAMES = [frame(1, 'o1\n'), frame(2, 'e1\n'), frame(1, 'héllo 世界 🚀\n'), frame(1, 'x'.repeat(70_000) + '\n'), frame(2, 'e2\n'), frame(1, 'no newline')];
const ALL = Buffer.concat(FRAMES);
const chunked = (parts: Buffer[], ext = '') => Buffer.concat([...parts.flatMap((p) => [Buffer.from(`${p.length.toString(16).toUpperCase()}${ext}\r\n`), p, Buffer.from('\r\n')]), Buffer.from('0\r\n\r\n')]);

let dir: string;
let socket: string;
let server: http.Server;
const closed: string[] = [];

/** Writes the reply as raw bytes on the connection (framing exactly as given), then ends or cuts it. */
function raw(req: http.IncomingMessage, header: string, body: Buffer, end: 'end' | 'cut' = 'end') {
  const s = req.socket;
  s.write(`HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n${header}\r\n`);
  s.write(body);
  if (end === 'cut') s.destroy();
  else s.end();
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-logs-unix-'));
  socket = path.join(dir, 'engine.sock');
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/containers\/([^/]+)\/(json|logs)$/.exec(url.pathname);
    const id = m?.[1] ?? '';
    if (m?.[2] === 'json') {
      if (id === 'gone') {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: 'No such container: gone' }));
      } else res.end(JSON.stringify({ Id: id, Config: { Tty: id === 'tty' } }));
      return;
    }
    switch (id) {
      case 'chunked': // as dockerd: one chunk per frame
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' });
        for (const f of FRAMES) res.write(f);
        res.end();
        return;
      case 'query': // echoes the query the engine got, as a line
        res.writeHead(200);
        res.end(frame(1, `${url.search}\n`));
        return;
      case 'tty':
        res.writeHead(200);
        res.write('t1\r\nt2\n');
        res.end('t3');
        return;
      case 'odd': // uppercase sizes, chunk extensions, a trailer, frames cut across chunks
        raw(req, 'Transfer-Encoding: chunked\r\n', Buffer.concat([chunked([ALL.subarray(0, 5), ALL.subarray(5, 100), ALL.subarray(100)], ';x=y').subarray(0, -2), Buffer.from('X-Trailer: 1\r\n\r\n')]));
        return;
      case 'length':
        raw(req, `Content-Length: ${ALL.length}\r\n`, ALL);
        return;
      case 'untilclose':
        raw(req, '', ALL);
        return;
      case 'logs404':
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: 'No such container: logs404' }));
        return;
      case 'logs500':
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('configured logging driver does not support reading');
        return;
      case 'logs409':
        res.writeHead(409);
        res.end();
        return;
      case 'cuthead':
        req.socket.destroy();
        return;
      case 'cuthalfhead':
        req.socket.end('HTTP/1.1 200 OK\r\nContent-Ty');
        return;
      case 'cutchunked': // the engine goes away in the middle of a chunk
        raw(req, 'Transfer-Encoding: chunked\r\n', chunked([ALL]).subarray(0, 60), 'cut');
        return;
      case 'cutbetween': // ... or between two chunks
        raw(req, 'Transfer-Encoding: chunked\r\n', chunked(FRAMES).subarray(0, -5), 'cut');
        return;
      case 'cutlength':
        raw(req, `Content-Length: ${ALL.length}\r\n`, ALL.subarray(0, 100), 'cut');
        return;
      case 'follow': // keeps logging until the client goes
        res.writeHead(200);
        res.write(frame(1, 'first\n'));
        {
          const t = setInterval(() => res.write(frame(1, 'tick\n')), 20);
          req.socket.on('close', () => {
            clearInterval(t);
            closed.push(id);
          });
        }
        return;
      default:
        res.writeHead(500);
        res.end('unexpected');
    }
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

const quiet = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet } as never;
const ctxAt = (p: string): DockerContext => createDockerContext('t', { kind: 'unix', path: p }, quiet, {} as never, {});
/** The same context with the engine taken as not local: the logs stream goes through dockerode, as on TCP. */
const viaDockerode = (ctx: DockerContext): DockerContext => Object.assign(Object.create(ctx) as DockerContext, { unixSocket: null });

async function read(ctx: DockerContext, id: string, query: LogQuery = {}) {
  const out: Array<[string, string]> = [];
  try {
    for await (const b of new DockerLogs(ctx).stream(id, query, new AbortController().signal)) for (const l of logLines(b)) out.push([l.stream, l.text.length > 100 ? `${l.text.slice(0, 5)}…${l.text.length}` : l.text]);
    return { lines: out };
  } catch (err) {
    const e = err as { code?: string; message?: string; details?: unknown };
    return { lines: out, code: e.code, message: e.message };
  }
}

describe('logs on a local unix socket: the same as through dockerode', () => {
  const good = [
    ['stdout', 'o1'],
    ['stderr', 'e1'],
    ['stdout', 'héllo 世界 🚀'],
    ['stdout', 'xxxxx…65536'],
    ['stdout', 'xxxxx…4464'],
    ['stderr', 'e2'],
    ['stdout', 'no newline'],
  ];

  it.each(['chunked', 'odd', 'length', 'untilclose'])('a whole reply (%s) gives every line', async (id) => {
    const ctx = ctxAt(socket);
    const ours = await read(ctx, id);
    expect(ours).toEqual({ lines: good });
    expect(await read(viaDockerode(ctx), id)).toEqual(ours);
  });

  it('a TTY container: one raw stream', async () => {
    const ctx = ctxAt(socket);
    const ours = await read(ctx, 'tty');
    expect(ours).toEqual({ lines: [['stdout', 't1'], ['stdout', 't2'], ['stdout', 't3']] });
    expect(await read(viaDockerode(ctx), 'tty')).toEqual(ours);
  });

  it('the same query string reaches the engine', async () => {
    const ctx = ctxAt(socket);
    const query: LogQuery = { follow: false, timestamps: false, tail: 10, since: '2024-01-02T03:04:05.5Z', until: 1700000000 };
    const ours = await read(ctx, 'query', query);
    expect(ours.lines[0]?.[1]).toContain('tail=10');
    expect(ours.lines[0]?.[1]).toContain('since=1704164645.5');
    expect(await read(viaDockerode(ctx), 'query', query)).toEqual(ours);
  });

  it.each(['gone', 'logs404', 'logs500', 'logs409', 'cuthead', 'cuthalfhead', 'cutchunked', 'cutbetween', 'cutlength'])('a failure (%s) gives the same error', async (id) => {
    const ctx = ctxAt(socket);
    const ours = await read(ctx, id);
    expect(ours.code).toBeDefined();
    expect(await read(viaDockerode(ctx), id)).toEqual(ours);
    await expect.poll(() => openEngineStreams()).toBe(0);
  });

  it('a cut reply is an error, never a quiet end of the logs', async () => {
    for (const id of ['cutchunked', 'cutbetween', 'cutlength']) expect((await read(ctxAt(socket), id)).code, id).toBe('ENGINE_UNREACHABLE');
    expect((await read(ctxAt(socket), 'logs500')).message).toContain('does not support reading');
  });

  it('a socket that refuses or is missing: the same error', async () => {
    const refusing = path.join(dir, 'not-a-socket');
    fs.writeFileSync(refusing, '');
    for (const p of [refusing, path.join(dir, 'missing.sock')]) {
      const ctx = ctxAt(p);
      const ours = await read(ctx, 'chunked');
      expect(ours.code, p).toBe('ENGINE_UNREACHABLE');
      expect(await read(viaDockerode(ctx), 'chunked')).toEqual(ours);
    }
  });

  it('cancelling a followed stream closes the engine connection', async () => {
    const ac = new AbortController();
    const got: string[] = [];
    const it = new DockerLogs(ctxAt(socket)).stream('follow', { follow: true }, ac.signal)[Symbol.asyncIterator]();
    while (got.length < 3) {
      const r = await it.next();
      if (r.done) throw new Error('ended early');
      for (const l of logLines(r.value)) got.push(l.text);
    }
    expect(openEngineStreams()).toBe(1);
    ac.abort();
    while (!(await it.next()).done);
    await expect.poll(() => closed.includes('follow')).toBe(true);
    expect(openEngineStreams()).toBe(0);
  });
});

describe('ChunkedBody', () => {
  it('gives the body bytes whatever the reads, with extensions and trailers', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let round = 0; round < 300; round++) {
      const parts = Array.from({ length: 1 + rnd(6) }, () => Buffer.from(Array.from({ length: 1 + rnd(300) }, () => rnd(256))));
      const body = Buffer.concat(parts);
      let wire = chunked(parts, round % 3 === 0 ? ';a=b' : '');
      if (round % 4 === 0) wire = Buffer.concat([wire.subarray(0, -2), Buffer.from('X-T: 1\r\nX-U: 2\r\n\r\n')]);
      const d = new ChunkedBody();
      const out: Buffer[] = [];
      for (let i = 0; i < wire.length; ) {
        const n = 1 + rnd(round % 2 ? 7 : 400);
        out.push(Buffer.from(d.take(Buffer.from(wire.subarray(i, i + n)))));
        i += n;
      }
      expect(d.done).toBe(true);
      expect(Buffer.concat(out).equals(body)).toBe(true);
    }
  });

  it('refuses framing that is no chunked body', () => {
    for (const bad of ['zz\r\n', '5\r\nabcdeXX', '1\nA', '123456789\r\n']) expect(() => new ChunkedBody().take(Buffer.from(bad)), bad).toThrow(/Parse Error/);
  });
});
