import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../app/composition';
import type { BerthError } from '../../app/contract/errors';
import { createDialogChooser, type DialogLike } from '../../electron/main/file-dialog';
import { connectIpc, type IpcConnection } from '../support/transports';

const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as BerthError);

/**
 * Electron mode: the core reads or writes a file for the page only at a path the user picked in
 * the main process's dialog (here the real chooser of electron/main/file-dialog.ts over a
 * stand-in `dialog`), once, for that purpose. Over the real IPC binding. There is no engine,
 * so a call that passes the check meets ENGINE_UNREACHABLE instead of PERMISSION_DENIED.
 */
describe('Electron mode accepts only paths picked in the native dialog', () => {
  let core: Core;
  let conn: IpcConnection;
  let dataDir: string;
  let next: string | null = null;
  const shown: string[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rel-grants-'));
    core = await createCore({ dataDir, mode: 'electron', version: '0.0.0-test', env: { DOCKER_HOST: `unix://${path.join(dataDir, 'no-engine.sock')}` } });
    const dialog: DialogLike<string> = {
      showSaveDialog: async (_w, o) => (shown.push(`save:${o.title}`), { canceled: next === null, ...(next ? { filePath: next } : {}) }),
      showOpenDialog: async (_w, o) => (shown.push(`open:${o.title}`), { canceled: next === null, filePaths: next ? [next] : [] }),
    };
    core.setFileChooser(createDialogChooser({ dialog, window: () => 'win', baseDir: () => dataDir }));
    conn = connectIpc(core);
  });
  afterAll(async () => {
    await conn?.close();
    await core?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('paths.root says paths come from the dialog', async () => {
    expect(await conn.client.call('paths.root', {})).toEqual({ policy: 'dialog', folder: null });
  });

  it.each([
    ['images.save', 'image-save', (p: string) => ({ refs: ['busybox'], path: p })],
    ['images.load', 'image-load', (p: string) => ({ path: p })],
    ['logs.save', 'log-save', (p: string) => ({ id: 'c1', path: p })],
    ['containers.export', 'container-export', (p: string) => ({ id: 'c1', path: p })],
  ] as const)('%s: refused without a grant, goes on once with one, refused again after', async (method, purpose, input) => {
    const target = path.join(dataDir, `${purpose}.tar`);
    const call = () => rejection(conn.client.call(method as 'images.load', input(target) as never));
    const before = await call();
    expect(before?.code).toBe('PERMISSION_DENIED');
    expect(before?.hint).toMatch(/Pick the file again/);
    next = target;
    expect(await conn.client.call('paths.choose', { purpose, suggested: `${purpose}.tar` })).toEqual({ path: target });
    const granted = await call();
    // Past the check: it meets the missing engine (or, loading, the missing archive).
    expect(['ENGINE_UNREACHABLE', 'INVALID_INPUT']).toContain(granted?.code);
    expect(granted?.code).not.toBe('PERMISSION_DENIED');
    expect((await call())?.code).toBe('PERMISSION_DENIED');
    expect(fs.existsSync(target)).toBe(false);
  });

  it('a grant is for its purpose only, and a cancelled dialog grants nothing', async () => {
    const target = path.join(dataDir, 'x.tar');
    next = target;
    await conn.client.call('paths.choose', { purpose: 'image-load' });
    const other = await rejection(conn.client.call('images.save', { refs: ['busybox'], path: target }));
    expect(other?.code).toBe('PERMISSION_DENIED');
    expect(other?.details).toMatchObject({ reason: 'other-purpose' });
    next = null;
    expect(await conn.client.call('paths.choose', { purpose: 'log-save' })).toEqual({ path: null });
    expect((await rejection(conn.client.call('logs.save', { id: 'c1', path: target })))?.code).toBe('PERMISSION_DENIED');
  });

  it('a build context folder is picked with an open-folder dialog and used once', async () => {
    next = dataDir;
    await conn.client.call('paths.choose', { purpose: 'build-context' });
    expect(shown).toContain('open:Build context folder');
    const build = () =>
      new Promise<BerthError | null>((resolve) =>
        conn.client.subscribe('images.build', { contextDir: dataDir } as never, { onData: () => undefined, onEnd: () => resolve(null), onError: (e) => resolve(e as BerthError) }),
      );
    expect((await build())?.code).not.toBe('PERMISSION_DENIED');
    expect((await build())?.code).toBe('PERMISSION_DENIED');
  });
});
