import { describe, expect, it } from 'vitest';
import { createGrantedFileAccess } from '../../../app/adapters/files/granted';
import type { BerthError } from '../../../app/contract/errors';
import type { FileChooser } from '../../../app/ports/file-access';

const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as BerthError);

describe('Electron file access: only paths picked in the dialog', () => {
  it('refuses a path nobody picked with PERMISSION_DENIED telling to pick it again', async () => {
    const files = createGrantedFileAccess();
    const e = await rejection(files.check('/home/u/.bashrc', 'write', 'log-save'));
    expect(e?.code).toBe('PERMISSION_DENIED');
    expect(e?.hint).toMatch(/Pick the file again/);
    expect(e?.details).toMatchObject({ path: '/home/u/.bashrc', purpose: 'log-save', reason: 'none' });
  });

  it('grants what the chooser returns, once, normalized, with the access of its purpose', async () => {
    const asked: Array<Parameters<FileChooser>[0]> = [];
    const files = createGrantedFileAccess();
    files.setChooser(async (req) => {
      asked.push(req);
      return '/home/u/Downloads/./busybox.tar';
    });
    expect(await files.choose!('image-save', 'busybox.tar')).toBe('/home/u/Downloads/./busybox.tar');
    expect(asked).toEqual([{ purpose: 'image-save', access: 'write', folder: false, suggested: 'busybox.tar' }]);
    // The wrong access for the purpose does not use it up.
    expect((await rejection(files.check('/home/u/Downloads/busybox.tar', 'read', 'image-save')))?.code).toBe('PERMISSION_DENIED');
    expect(await files.check('/home/u/Downloads/busybox.tar', 'write', 'image-save')).toBe('/home/u/Downloads/busybox.tar');
    expect((await rejection(files.check('/home/u/Downloads/busybox.tar', 'write', 'image-save')))?.code).toBe('PERMISSION_DENIED');
  });

  it('a build context is asked for as a folder', async () => {
    const files = createGrantedFileAccess();
    let folder = false;
    files.setChooser(async (req) => ((folder = req.folder), '/src/app'));
    await files.choose!('build-context');
    expect(folder).toBe(true);
    expect(await files.check('/src/app', 'read', 'build-context')).toBe('/src/app');
  });

  it('a cancelled dialog grants nothing; relative paths are never granted', async () => {
    const files = createGrantedFileAccess();
    files.setChooser(async () => null);
    expect(await files.choose!('image-load')).toBeNull();
    expect((await rejection(files.check('relative.tar', 'read', 'image-load')))?.code).toBe('PERMISSION_DENIED');
    files.setChooser(async () => 'relative.tar');
    expect((await rejection(files.choose!('image-load')))?.code).toBe('INTERNAL');
    expect((await rejection(files.check('relative.tar', 'read', 'image-load')))?.code).toBe('PERMISSION_DENIED');
  });

  it('says so when the grant expired, and without a chooser choose is NOT_SUPPORTED', async () => {
    let t = 0;
    const files = createGrantedFileAccess({ now: () => t, ttlMs: 1000 });
    expect((await rejection(files.choose!('log-save')))?.code).toBe('NOT_SUPPORTED');
    files.setChooser(async () => '/tmp/x.log');
    await files.choose!('log-save');
    t = 1000;
    const e = await rejection(files.check('/tmp/x.log', 'write', 'log-save'));
    expect(e?.details).toMatchObject({ reason: 'expired' });
    expect(e?.message).toMatch(/picked too long ago/);
  });
});
