import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../app/composition';
import { checkSender, isTrustedSender, type WebContentsLike } from '../../../electron/main/ipc';
import { APP_INDEX_URL } from '../../../electron/main/paths';
import { connectIpc, StandInFrame, StandInWebContents } from '../../support/transports';
import { EventEmitter } from 'node:events';

describe('isTrustedSender', () => {
  it('accepts our page, with any fragment or query', () => {
    expect(isTrustedSender(APP_INDEX_URL, APP_INDEX_URL)).toBe(true);
    expect(isTrustedSender(`${APP_INDEX_URL}#/images`, APP_INDEX_URL)).toBe(true);
  });
  it('accepts our file:// index when that is what was loaded', () => {
    const ours = 'file:///opt/Berth/resources/app.asar/dist/renderer/index.html';
    expect(isTrustedSender(`${ours}#/`, ours)).toBe(true);
    expect(isTrustedSender('file:///tmp/evil/index.html', ours)).toBe(false);
    expect(isTrustedSender('file:///opt/Berth/resources/app.asar/dist/renderer/other.html', ours)).toBe(false);
  });
  it.each([
    'berth://app/other.html',
    'berth://other/index.html',
    'berth://app/index.html/..',
    'http://127.0.0.1:5173/index.html',
    'https://evil.example/index.html',
    'about:blank',
    '',
    'file:///index.html',
  ])('refuses %s', (url) => expect(isTrustedSender(url, APP_INDEX_URL)).toBe(false));
});

describe('checkSender', () => {
  const ipcMain = new EventEmitter();
  const wc = new StandInWebContents(ipcMain, APP_INDEX_URL);

  it('lets the main frame of a known window through', () => {
    expect(checkSender({ sender: wc, senderFrame: wc.mainFrame }, wc, APP_INDEX_URL)).toBeNull();
  });
  it('names why anything else is dropped', () => {
    expect(checkSender({ sender: wc, senderFrame: wc.mainFrame }, undefined, APP_INDEX_URL)).toBe('unknown-window');
    const twin = new StandInWebContents(ipcMain, APP_INDEX_URL);
    expect(checkSender({ sender: twin, senderFrame: twin.mainFrame }, wc as WebContentsLike, APP_INDEX_URL)).toBe('unknown-window');
    expect(checkSender({ sender: wc, senderFrame: null }, wc, APP_INDEX_URL)).toBe('no-frame');
    expect(checkSender({ sender: wc, senderFrame: wc.subframe(APP_INDEX_URL) }, wc, APP_INDEX_URL)).toBe('subframe');
    const m = wc.mainFrame;
    expect(checkSender({ sender: wc, senderFrame: new StandInFrame(APP_INDEX_URL, null, m.processId + 1, m.routingId) }, wc, APP_INDEX_URL)).toBe('subframe');
    expect(checkSender({ sender: wc, senderFrame: new StandInFrame('https://x.example/', null, m.processId, m.routingId) }, wc, APP_INDEX_URL)).toBe('untrusted-url');
    const gone = new StandInWebContents(ipcMain, APP_INDEX_URL);
    gone.destroy();
    expect(checkSender({ sender: gone, senderFrame: gone.mainFrame }, gone, APP_INDEX_URL)).toBe('destroyed');
  });
});

describe('the IPC binding lifecycle', () => {
  let core: Core | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await core?.dispose();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function setup() {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-ipc-'));
    core = await createCore({ dataDir, mode: 'electron', version: '0.0.0', env: { DOCKER_HOST: 'unix:///nonexistent/berth-test.sock' } });
    return connectIpc(core);
  }

  it('opens one connection per window on its first message', async () => {
    const conn = await setup();
    expect(conn.binding.connections()).toBe(0);
    await conn.client.call('app.info', {});
    await conn.client.call('settings.get', {});
    expect(conn.binding.connections()).toBe(1);
    await conn.close();
  });

  it('drops the connection when the page is replaced, and serves the new page afresh', async () => {
    const conn = await setup();
    await conn.client.call('app.info', {});
    conn.webContents.navigate(APP_INDEX_URL); // reload
    expect(conn.binding.connections()).toBe(0);
    const info = await conn.client.call('app.info', {});
    expect(info.mode).toBe('electron');
    expect(conn.binding.connections()).toBe(1);
    await conn.close();
  });

  it('closes the connection when the window is destroyed, and sends nothing to it afterwards', async () => {
    const conn = await setup();
    await conn.client.call('app.info', {});
    conn.webContents.destroy();
    expect(conn.binding.connections()).toBe(0);
    conn.binding.dispose();
    expect(conn.ipcMain.listenerCount('berth:rpc')).toBe(0);
  });
});
