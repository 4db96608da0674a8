import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../app/composition';
import { createClient } from '../../../app/contract/client';
import type { Api } from '../../../app/contract/api';
import type { ServerMsg } from '../../../app/contract/wire';
import { joinTextFrame, splitTextItem } from '../../../app/contract/ws-text-frames';
import { frameOf } from '../../../app/server/ws-peer';
import { startWebServer, type WebServer } from '../../../app/server/ws-server';
import { openApiSocket, wsTransport } from '../../support/transports';

const output = (data: string, extra: Record<string, unknown> = {}): ServerMsg => ({ t: 'data', id: 7, data: { type: 'output', data, end: 12, ...extra } });
/** What a client reads from the frame the core sends for `msg`. */
const readBack = (msg: ServerMsg): { binary: boolean; msg: unknown } => {
  const { bytes, binary } = frameOf(msg);
  return { binary, msg: binary ? joinTextFrame(bytes) : JSON.parse(bytes.toString()) };
};

describe('output items as binary frames (app/contract/ws-text-frames.ts)', () => {
  it('sends an output item as a binary frame and reads back the same message, whatever its text holds', () => {
    const texts = ['', 'plain', 'a"b\\c\td\r\n', '\u001b[31mred\u001b[0m\u0000\u0007', 'é€ 漢字 😀 \u2028\u2029', 'x'.repeat(70_000), '\n\n{"t":"ok"}\n'];
    for (const text of texts) {
      expect(readBack(output(text))).toEqual({ binary: true, msg: output(text) });
      // An exec's output item (a stream named, no end) too.
      const exec: ServerMsg = { t: 'data', id: 3, data: { type: 'output', data: text, stream: 'stderr' } };
      expect(readBack(exec)).toEqual({ binary: true, msg: exec });
    }
  });

  it('keeps JSON for a text cut inside a surrogate pair (no UTF-8 form), and for every other message', () => {
    const pair = '😀';
    for (const cut of [`ab${pair[0]}`, `${pair[1]}cd`]) expect(readBack(output(cut))).toEqual({ binary: false, msg: output(cut) });
    const others: ServerMsg[] = [
      { t: 'ok', id: 1, output: { data: 'x', type: 'output' } },
      { t: 'err', id: 1, error: { code: 'NOT_FOUND', message: 'gone' } },
      { t: 'end', id: 1 },
      { t: 'items', id: 1, items: [{ type: 'output', data: 'x', end: 1 }] },
      { t: 'data', id: 1, data: { type: 'exit', exitCode: 0 } },
      { t: 'data', id: 1, data: { type: 'attached', data: 'not an output item' } },
      { t: 'data', id: 1, data: { type: 'output', data: 5 } },
      { t: 'data', id: 1, data: ['output'] },
      { t: 'data', id: 1, data: 'text' },
    ];
    for (const m of others) {
      expect(splitTextItem(m)).toBeNull();
      expect(readBack(m)).toEqual({ binary: false, msg: m });
    }
  });

  it('reads no message from a binary frame that is not one', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    for (const bad of ['no newline', 'not json\nx', '{"t":"ok","id":1,"data":{"type":"output"}}\nx', '{"t":"data","data":{"type":"output"}}\nx', '{"t":"data","id":1,"data":{"type":"exit"}}\nx', '{"t":"data","id":1,"data":{"type":"output","data":"twice"}}\nx', '{"t":"data","id":1,"data":null}\nx', '[1]\nx']) {
      expect(joinTextFrame(enc(bad)), bad).toBeNull();
    }
  });
});

describe('a terminal over the WebSocket (a real core, its web server and a pty)', () => {
  let tmp: string;
  let core: Core;
  let server: WebServer;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-ws-frames-'));
    core = await createCore({ dataDir: path.join(tmp, 'data'), mode: 'web', version: '0.0.0-test', env: { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' } });
    server = await startWebServer({ rpc: core.rpc, log: core.log });
  });
  afterAll(async () => {
    await server?.close();
    await core?.dispose();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('sends its output as binary frames, and the client reads the exact text the program wrote', async () => {
    const ws: WebSocket = await openApiSocket(server);
    const frames = { binary: 0, text: 0 };
    ws.on('message', (_d, isBinary) => void (isBinary ? frames.binary++ : frames.text++));
    const client = createClient<Api>(wsTransport(ws));
    try {
      await client.call('settings.update', { terminal: { shell: '/bin/sh' } });
      const t = await client.call('terminals.open', { target: { kind: 'host' }, cols: 120, rows: 40 });
      let got = '';
      const off = client.subscribe('terminals.attach', { id: t.id }, { onData: (e) => void (e.type === 'output' && (got += e.data)) });
      // printf's octal escapes: the typed line itself (echoed) does not hold the characters looked for.
      await client.call('terminals.input', { id: t.id, data: "printf 'A\\042q\\134\\011\\303\\251\\342\\202\\254\\360\\237\\230\\200\\033[31mR\\033[0mZ\\n'\r" });
      const want = 'A"q\\\té€😀\u001b[31mR\u001b[0mZ\r\n';
      const deadline = Date.now() + 10_000;
      while (!got.includes(want) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      off();
      await client.call('terminals.close', { id: t.id });
      expect(got).toContain(want);
      expect(frames.binary).toBeGreaterThan(0);
    } finally {
      client.close();
      ws.close();
    }
  });
});
