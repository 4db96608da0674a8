import { describe, expect, it } from 'vitest';
import { createDialogChooser, dialogOptions, pickedPath, suggestedPath, type DialogLike, type OpenOptionsLike, type SaveOptionsLike } from '../../../electron/main/file-dialog';
import type { BerthError } from '../../../app/contract/errors';

const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as BerthError);

describe('the main process file dialog (paths.choose), without Electron', () => {
  it('a suggested name keeps only its last part, in the base folder', () => {
    expect(suggestedPath('busybox.tar', '/home/u/Downloads')).toBe('/home/u/Downloads/busybox.tar');
    expect(suggestedPath('../../etc/passwd', '/home/u/Downloads')).toBe('/home/u/Downloads/passwd');
    expect(suggestedPath('..', '/d')).toBe('/d');
    expect(suggestedPath(undefined, '/d')).toBe('/d');
  });

  it('writes use a save dialog that confirms overwrites; reads an open dialog; a build context a folder', () => {
    const save = dialogOptions({ purpose: 'image-save', access: 'write', folder: false, suggested: 'a.tar' }, '/d');
    expect(save.kind).toBe('save');
    expect(save.options).toMatchObject({ defaultPath: '/d/a.tar', title: 'Save image as', properties: expect.arrayContaining(['showOverwriteConfirmation']) });
    const load = dialogOptions({ purpose: 'image-load', access: 'read', folder: false }, '/d');
    expect(load).toMatchObject({ kind: 'open', options: { properties: ['openFile'] } });
    const ctx = dialogOptions({ purpose: 'build-context', access: 'read', folder: true }, '/d');
    expect(ctx.kind).toBe('open');
    expect(ctx.options.properties).toContain('openDirectory');
    expect((ctx.options as OpenOptionsLike).filters).toBeUndefined();
  });

  it('a cancelled or empty result picks nothing; a relative one is ignored', () => {
    expect(pickedPath({ canceled: true, filePath: '/x' })).toBeNull();
    expect(pickedPath({ canceled: false, filePaths: [] })).toBeNull();
    expect(pickedPath({ canceled: false, filePath: 'x' })).toBeNull();
    expect(pickedPath({ canceled: false, filePaths: ['/a', '/b'] })).toBe('/a');
  });

  it('shows the dialog parented to the window, one at a time, and never without a window', async () => {
    const calls: Array<{ win: string; kind: string; options: SaveOptionsLike | OpenOptionsLike }> = [];
    let release: () => void = () => undefined;
    const dialog: DialogLike<string> = {
      showSaveDialog: (win, options) => {
        calls.push({ win, kind: 'save', options });
        return new Promise((resolve) => (release = () => resolve({ canceled: false, filePath: '/d/a.tar' })));
      },
      showOpenDialog: async (win, options) => {
        calls.push({ win, kind: 'open', options });
        return { canceled: true, filePaths: [] };
      },
    };
    let win: string | null = 'main-window';
    const choose = createDialogChooser({ dialog, window: () => win, baseDir: () => '/d' });
    const first = choose({ purpose: 'image-save', access: 'write', folder: false, suggested: 'a.tar' });
    expect((await rejection(choose({ purpose: 'image-load', access: 'read', folder: false })))?.code).toBe('CONFLICT');
    release();
    expect(await first).toBe('/d/a.tar');
    expect(await choose({ purpose: 'image-load', access: 'read', folder: false })).toBeNull();
    expect(calls.map((c) => [c.win, c.kind])).toEqual([
      ['main-window', 'save'],
      ['main-window', 'open'],
    ]);
    win = null;
    expect((await rejection(choose({ purpose: 'log-save', access: 'write', folder: false })))?.code).toBe('NOT_SUPPORTED');
  });
});
