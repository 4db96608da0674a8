import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcServer } from '../../../app/api/rpc-server';
import { createCore, type Core } from '../../../app/composition';
import { createClient } from '../../../app/contract/client';
import type { Api } from '../../../app/contract/api';
import type { Logger } from '../../../app/ports/logger';
import { bindIpc, MAX_EARLY_MESSAGES } from '../../../electron/main/ipc';
import { APP_INDEX_URL } from '../../../electron/main/paths';
import { bridgeTransport, StandInWebContents } from '../../support/transports';

/*
 * Issue 11 (cold start): the Electron window opens while the core starts; bindIpc takes a promise of the core's RPC
 * server, and what a page sends before it exists waits for it (per window, in order, checked like every message).
 */

let dataDir: string;
let core: Core;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-ipc-early-'));
  core = await createCore({ dataDir, mode: 'electron', version: '0.0.0', env: { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' } });
});

afterAll(async () => {
  await core?.dispose();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (msg: string) => void lines.push(`${level} ${msg}`);
  const log: Logger & { lines: string[] } = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), command: () => undefined, child: () => log };
  return log;
}

/** A binding whose core is given later (`ready`), one attached window, and its page's client. */
function early() {
  let give: (rpc: RpcServer) => void = () => undefined;
  const rpc = new Promise<RpcServer>((resolve) => (give = resolve));
  const ipcMain = new EventEmitter();
  const log = recordingLog();
  const binding = bindIpc({ ipcMain, rpc, expectedUrl: APP_INDEX_URL, log });
  const wc = new StandInWebContents(ipcMain, APP_INDEX_URL);
  binding.attach(wc);
  const client = createClient<Api>(bridgeTransport(wc.bridge()));
  return { binding, ipcMain, wc, client, log, ready: () => give(core.rpc) };
}

const turns = (n = 5) => new Promise((r) => setTimeout(r, n));

describe('the IPC binding while the core starts', () => {
  it('calls sent before the core exists are answered once it does, in order', async () => {
    const e = early();
    const order: string[] = [];
    const a = e.client.call('app.info', {}).then((r) => (order.push('app.info'), r));
    const b = e.client.call('settings.get', {}).then((r) => (order.push('settings.get'), r));
    await turns(20);
    expect(order).toEqual([]);
    expect(e.binding.connections()).toBe(0);
    e.ready();
    expect((await a).mode).toBe('electron');
    expect(await b).toHaveProperty('ui');
    expect(order).toEqual(['app.info', 'settings.get']);
    expect(e.binding.connections()).toBe(1);
    // And later calls go straight through.
    expect((await e.client.call('app.info', {})).mode).toBe('electron');
    e.client.close();
    e.binding.dispose();
  });

  it('drops what an untrusted sender sent before the core (checked at once), and what a replaced page sent', async () => {
    const e = early();
    const other = new StandInWebContents(e.ipcMain, APP_INDEX_URL);
    other.bridge().send({ t: 'call', id: 1, method: 'app.info', input: {} });
    e.wc.bridge(e.wc.subframe('https://evil.example/')).send({ t: 'call', id: 2, method: 'app.info', input: {} });
    await turns();
    expect(e.log.lines.filter((l) => l.startsWith('warn Dropped an IPC message from an untrusted sender'))).toHaveLength(2);

    // A call of the old page, then a new document: the old call is not answered to the new page.
    const replies: unknown[] = [];
    e.wc.bridge().onMessage((m) => replies.push(m));
    e.wc.bridge().send({ t: 'call', id: 7, method: 'app.info', input: {} });
    await turns();
    e.wc.navigate(APP_INDEX_URL);
    e.ready();
    await turns(20);
    expect(replies).toEqual([]);
    expect(e.binding.connections()).toBe(0);
    e.binding.dispose();
  });

  it(`keeps at most ${MAX_EARLY_MESSAGES} messages per window; more are dropped and logged`, async () => {
    const e = early();
    for (let i = 0; i <= MAX_EARLY_MESSAGES; i++) e.wc.bridge().send({ t: 'ack', n: 1 });
    await turns(20);
    expect(e.log.lines.filter((l) => l.startsWith('warn Dropped an IPC message sent while the core was starting'))).toHaveLength(1);
    e.binding.dispose();
  });

  it('a binding disposed before the core exists serves nothing after', async () => {
    const e = early();
    const replies: unknown[] = [];
    e.wc.bridge().onMessage((m) => replies.push(m));
    e.wc.bridge().send({ t: 'call', id: 1, method: 'app.info', input: {} });
    await turns();
    e.binding.dispose();
    e.ready();
    await turns(20);
    expect(replies).toEqual([]);
    expect(e.binding.connections()).toBe(0);
  });
});
