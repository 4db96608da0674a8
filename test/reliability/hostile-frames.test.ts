import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { MAX_FRAME_BYTES, MAX_TEXT_INPUT } from '../../app/contract/wire';
import { startCoreProcess, type CoreProcess } from './support/core-process';
import { record } from './support/figures';

/** The next message the socket receives, parsed. */
const nextMessage = (ws: WebSocket) =>
  new Promise<{ t: string; id: number; error?: { code: string; message: string } }>((resolve) =>
    ws.once('message', (d) => resolve(JSON.parse(d.toString()) as { t: string; id: number })),
  );
const closed = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

/** The core still answers a real call on a fresh connection. */
async function assertServing(core: CoreProcess) {
  expect(core.alive()).toBe(true);
  const { client, ws } = await core.client();
  const info = await client.call('app.info', {});
  expect(info).toBeTruthy();
  ws.close();
}

describe('hostile frames and requests never stop the core', () => {
  let core: CoreProcess;
  beforeAll(async () => {
    core = await startCoreProcess();
  });
  afterAll(async () => {
    await core?.stop();
  });

  it('a frame over the size limit closes that connection only (1009), its standard code', async () => {
    const ws = await core.socket();
    const bystander = await core.socket();
    const done = closed(ws);
    ws.send('x'.repeat(MAX_FRAME_BYTES + 1));
    const c = await done;
    expect(c.code).toBe(1009);
    
    expect(bystander.readyState).toBe(bystander.OPEN);
    bystander.close();
    await assertServing(core);
  });

  it('a text frame of invalid UTF-8 closes that connection only (1007)', async () => {
    const ws = await core.socket();
    const done = closed(ws);
    // A masked text frame (FIN, opcode 1) carrying 0xff 0xfe: never valid UTF-8.
    const payload = Buffer.from([0xff, 0xfe, 0xfd]);
    const mask = Buffer.from([1, 2, 3, 4]);
    const frame = Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]);
    (ws as unknown as { _socket: net.Socket })._socket.write(frame);
    const c = await done;
    expect(c.code).toBe(1007);
    await assertServing(core);
  });

  it('a binary frame and malformed JSON get a typed error and the connection stays', async () => {
    const ws = await core.socket();
    let reply = nextMessage(ws);
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await reply).error?.code).toBe('INVALID_INPUT');
    reply = nextMessage(ws);
    ws.send('{"t":"call","id":1,');
    expect((await reply).error?.code).toBe('INVALID_INPUT');
    reply = nextMessage(ws);
    ws.send(JSON.stringify({ t: 'call', id: 2, method: 'app.info', input: {} }));
    expect((await reply).t).toBe('ok');
    ws.close();
  });

  it('a malformed percent-escape in an HTTP path gets 400, before and without any token', async () => {
    for (const p of ['/%E0%A4%A', '/%', '/%zz', '/assets/%c0%af..%c0%af']) {
      const status = await new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: core.port, path: p, headers: { Host: `127.0.0.1:${core.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
      expect([400, 404]).toContain(status);
    }
    await assertServing(core);
  });

  it('garbage on the raw TCP port and a half-open upgrade do not stop it', async () => {
    await new Promise<void>((resolve) => {
      const s = net.connect(core.port, '127.0.0.1', () => {
        s.write('GET /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x00\xff');
        s.destroy();
        resolve();
      });
      s.on('error', () => resolve());
    });
    await new Promise<void>((resolve) => {
      const s = net.connect(core.port, '127.0.0.1', () => {
        s.end(Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0, 0, 0]));
      });
      s.on('data', () => s.destroy()); // the 400 answer
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    await assertServing(core);
  });

  it('the largest input a schema allows always fits in a frame (a paste of MAX_TEXT_INPUT worst-case characters)', async () => {
    const ws = await core.socket();
    const reply = nextMessage(ws);
    // Every character JSON-escaped to six bytes: the worst case for the frame size.
    const data = '\u0001'.repeat(MAX_TEXT_INPUT);
    ws.send(JSON.stringify({ t: 'call', id: 7, method: 'exec.input', input: { sessionId: 'nope', data } }));
    const r = await reply;
    expect(r.t).toBe('err');
    expect(r.error?.code).toBe('NOT_FOUND'); // it reached the service: neither the frame limit nor the schema refused it
    ws.close();
  });

  it('10,000 rapid calls are each answered once', async () => {
    const ws = await core.socket();
    const N = 10_000;
    const seen = new Map<number, number>();
    const all = new Promise<void>((resolve) => {
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { id: number };
        seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
        if (seen.size === N) resolve();
      });
    });
    for (let i = 1; i <= N; i++) ws.send(JSON.stringify({ t: 'call', id: i, method: i % 2 ? 'app.info' : 'no.such.method', input: {} }));
    await all;
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    record('rapid calls answered', N);
    ws.close();
    await assertServing(core);
  });
});
