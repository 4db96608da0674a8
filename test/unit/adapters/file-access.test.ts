import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileAccess } from '../../../app/adapters/files/confined';

describe('files confined to one folder (browser mode)', () => {
  let dir: string;
  let box: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-files-')));
    box = path.join(dir, 'Berth');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('allows paths inside the folder (existing or to be created) and creates the folder', async () => {
    const files = await createFileAccess(box);
    expect(fs.statSync(box).isDirectory()).toBe(true);
    expect(await files.check(path.join(box, 'a.tar'), 'write', 'image-save')).toBe(path.join(box, 'a.tar'));
    expect(await files.check(path.join(box, 'new', 'deeper', 'b.tar'), 'write', 'image-save')).toBe(path.join(box, 'new', 'deeper', 'b.tar'));
  });

  it.each([
    ['a path elsewhere', () => path.join(dir, 'outside.tar')],
    ['a ".." escape', () => path.join(dir, 'Berth', '..', 'outside.tar')],
    ['a relative path', () => 'a.tar'],
    ['the folder itself', () => path.join(dir, 'Berth')],
    ['a look-alike sibling', () => path.join(dir, 'Berth-evil', 'x.tar')],
    ['/etc/passwd', () => '/etc/passwd'],
  ])('refuses %s with PERMISSION_DENIED naming the folder', async (_n, p) => {
    const files = await createFileAccess(box);
    await expect(files.check(p(), 'write', 'image-save')).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining(box) });
  });

  it('refuses a symlink inside the folder that leads out of it', async () => {
    const files = await createFileAccess(box);
    fs.symlinkSync(dir, path.join(box, 'out'));
    await expect(files.check(path.join(box, 'out', 'x.tar'), 'write', 'image-save')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    fs.symlinkSync('/etc/passwd', path.join(box, 'pw'));
    await expect(files.check(path.join(box, 'pw'), 'read', 'image-load')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
