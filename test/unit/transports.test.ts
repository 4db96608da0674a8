import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../app/composition';
import { api } from '../../app/contract/api';
import { BerthError } from '../../app/contract/errors';
import type { Logger } from '../../app/ports/logger';
import { connect, connectIpc, StandInFrame, TRANSPORTS, type Connection, type IpcConnection, type TransportName } from '../support/transports';

/*
 * One contract suite over both real transports: the browser-mode WebSocket host and the
 * Electron IPC binding. Only app and settings calls, so no engine is needed.
 */

const ENV = { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' };

async function newCore(mode: 'web' | 'electron'): Promise<{ core: Core; dataDir: string }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-transport-'));
  const core = await createCore({ dataDir, mode, version: '9.8.7-test', env: ENV });
  return { core, dataDir };
}

const errorOf = async (p: Promise<unknown>): Promise<BerthError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof BerthError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
};

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Subscriptions that need no input, so the suite can use one once the API has it. */
const inputFreeSubscriptions = Object.entries(api)
  .filter(([, def]) => def.kind === 'subscription' && def.input.safeParse({}).success)
  .map(([name]) => name);

describe.each(TRANSPORTS)('the API over %s', (name: TransportName) => {
  const mode = name === 'ipc' ? 'electron' : 'web';
  let core: Core;
  let dataDir: string;
  let conn: Connection;

  beforeAll(async () => {
    ({ core, dataDir } = await newCore(mode));
    conn = await connect(name, core);
  });
  afterAll(async () => {
    await conn?.close();
    await core?.dispose();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('app.info returns the mode and version the core was started with', async () => {
    const info = await conn.client.call('app.info', {});
    expect(info.name).toBe('Berth');
    expect(info.mode).toBe(mode);
    expect(info.version).toBe('9.8.7-test');
    expect(info.dataDir).toBe(dataDir);
  });

  it('settings.update changes only what it names, and settings.get and the file agree', async () => {
    const before = await conn.client.call('settings.get', {});
    const after = await conn.client.call('settings.update', { ui: { theme: 'dark', zoom: 1.25 } });
    expect(after.ui).toEqual({ theme: 'dark', zoom: 1.25 });
    expect(after.vm).toEqual(before.vm);
    expect(after.engine).toEqual(before.engine);
    expect(await conn.client.call('settings.get', {})).toEqual(after);
    const onDisk = JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { ui: unknown };
    expect(onDisk.ui).toEqual({ theme: 'dark', zoom: 1.25 });
  });

  it('refuses malformed input with INVALID_INPUT naming the field, and changes nothing', async () => {
    const before = await conn.client.call('settings.get', {});
    // Deliberately wrong type, as a buggy or hostile page could send.
    const err = await errorOf(conn.client.call('settings.update', { ui: { zoom: 'big' } } as never));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('ui.zoom');
    expect(await conn.client.call('settings.get', {})).toEqual(before);
  });

  it('refuses an unknown method', async () => {
    const err = await errorOf(conn.client.call('nothing.here' as never, {} as never));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('Unknown method "nothing.here"');
  });

  it('cancels a subscription: the core stops its work', async (ctx) => {
    if (inputFreeSubscriptions.length === 0) return ctx.skip('the API has no subscription without input yet');
    // Without an engine some subscriptions end at once; use the first one that stays open.
    const finishedAtOnce: string[] = [];
    for (const sub of inputFreeSubscriptions) {
      let done: string | null = null;
      const cancel = conn.client.subscribe(sub as never, {} as never, {
        onData: () => undefined,
        onError: (e) => (done = e.code),
        onEnd: () => (done = 'end'),
      });
      await until(() => core.rpc.activeSubscriptions() === 1 || done !== null, `${sub} to start`);
      // Give a subscription that fails asynchronously (engine unreachable) the time to do so.
      await new Promise((r) => setTimeout(r, 100));
      if (done !== null || core.rpc.activeSubscriptions() !== 1) {
        cancel();
        await until(() => core.rpc.activeSubscriptions() === 0, `${sub} to finish`);
        finishedAtOnce.push(`${sub} (${done ?? 'gone'})`);
        continue;
      }
      cancel();
      await until(() => core.rpc.activeSubscriptions() === 0, `${sub} to stop after cancel`);
      expect(core.rpc.activeSubscriptions()).toBe(0);
      expect(done).toBeNull();
      return;
    }
    ctx.skip(`every subscription without input finished at once without an engine: ${finishedAtOnce.join(', ')}`);
  });
});

describe('the IPC binding ignores messages from anything but our page', () => {
  let core: Core;
  let dataDir: string;
  let conn: IpcConnection;
  const warnings: Array<{ msg: string; fields?: Record<string, unknown> }> = [];

  beforeAll(async () => {
    ({ core, dataDir } = await newCore('electron'));
    const log: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (msg, fields) => warnings.push({ msg, fields }),
      error: () => undefined,
      command: () => undefined,
      child: () => log,
    };
    conn = connectIpc(core, { log });
  });
  afterAll(async () => {
    await conn?.close();
    await core?.dispose();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** Sends a call from `bridge` and proves it got no reply: a trusted call sent after it is answered first and alone. */
  async function expectNoReply(bridge: ReturnType<IpcConnection['webContents']['bridge']>, reason: string) {
    const heard: unknown[] = [];
    const off = bridge.onMessage((m) => heard.push(m));
    warnings.length = 0;
    bridge.send({ t: 'call', id: 4242, method: 'app.info', input: {} });
    const info = await conn.client.call('app.info', {});
    expect(info.name).toBe('Berth');
    await new Promise((r) => setTimeout(r, 50));
    off();
    expect(heard.filter((m) => (m as { id?: number }).id === 4242)).toEqual([]);
    expect(warnings.map((w) => w.fields?.reason)).toContain(reason);
  }

  it('a frame of our window showing another URL gets no reply', async () => {
    // Same window, main-frame identity, foreign URL: as if the main frame had navigated away.
    const main = conn.webContents.mainFrame;
    const hijacked = new StandInFrame('https://evil.example/', null, main.processId, main.routingId);
    await expectNoReply(conn.webContents.bridge(hijacked), 'untrusted-url');
  });

  it('another file:// page gets no reply', async () => {
    const main = conn.webContents.mainFrame;
    const other = new StandInFrame('file:///tmp/evil/index.html', null, main.processId, main.routingId);
    await expectNoReply(conn.webContents.bridge(other), 'untrusted-url');
  });

  it('a sub-frame of our page gets no reply, even at our own URL', async () => {
    await expectNoReply(conn.webContents.bridge(conn.webContents.subframe(conn.webContents.mainFrame.url)), 'subframe');
  });

  it('a window the binding was never given gets no reply', async () => {
    const stranger = conn.newUnattachedWindow();
    await expectNoReply(stranger.bridge(), 'unknown-window');
    stranger.destroy();
  });
});
