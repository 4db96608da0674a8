import { describe, expect, it } from 'vitest';
import { decodeText, FolderListing, goModePerm, goModeType, mapChanges, normalisePath } from '../../../app/core/container-files';

describe('FolderListing', () => {
  it('keeps the direct children of a folder archive, totals sizes below folders, sorts folders first', () => {
    const l = new FolderListing('/etc');
    l.add({ name: 'etc/', type: 'directory', mode: 0o755 });
    l.add({ name: 'etc/passwd', type: 'file', size: 10, mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: new Date(0) });
    l.add({ name: 'etc/ssl/', type: 'directory', mode: 0o755 });
    l.add({ name: 'etc/ssl/a.pem', type: 'file', size: 5 });
    l.add({ name: 'etc/ssl/certs/b.pem', type: 'file', size: 7 });
    l.add({ name: 'etc/mtab', type: 'symlink', linkname: '/proc/mounts', mode: 0o777 });
    l.add({ name: 'etc/hard', type: 'link', linkname: 'etc/passwd' });
    l.add({ name: 'etc/suid', type: 'file', mode: 0o4755, size: 1 });
    expect(l.entries()).toEqual([
      { name: 'ssl', path: '/etc/ssl', type: 'dir', size: 12, mode: 0o755, uid: 0, gid: 0 },
      { name: 'hard', path: '/etc/hard', type: 'hardlink', size: 0, mode: 0, uid: 0, gid: 0, linkTarget: '/etc/passwd' },
      { name: 'mtab', path: '/etc/mtab', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: '/proc/mounts' },
      { name: 'passwd', path: '/etc/passwd', type: 'file', size: 10, mode: 0o644, uid: 0, gid: 0, user: 'root', group: 'root', mtime: '1970-01-01T00:00:00.000Z' },
      { name: 'suid', path: '/etc/suid', type: 'file', size: 1, mode: 0o4755, uid: 0, gid: 0 },
    ]);
  });

  it('reads the root archive (entries without a folder prefix, with or without ./)', () => {
    const l = new FolderListing('/');
    l.add({ name: './', type: 'directory' });
    l.add({ name: 'busybox', type: 'file', size: 3 });
    l.add({ name: './data/', type: 'directory' });
    l.add({ name: './data/x', type: 'file', size: 4 });
    expect(l.entries().map((e) => [e.path, e.type, e.size])).toEqual([
      ['/data', 'dir', 4],
      ['/busybox', 'file', 3],
    ]);
  });

  it('ignores entries outside the folder', () => {
    const l = new FolderListing('/a/b');
    l.add({ name: 'c/x', type: 'file', size: 1 });
    l.add({ name: 'b/y', type: 'file', size: 1 });
    expect(l.entries().map((e) => e.path)).toEqual(['/a/b/y']);
  });
});

describe('engine diff and modes', () => {
  it('maps Docker changes (null when none) and sorts them', () => {
    expect(mapChanges(null)).toEqual([]);
    expect(
      mapChanges([
        { Path: '/tmp/x', Kind: 1 },
        { Path: '/etc', Kind: 0 },
        { Path: '/gone', Kind: 2 },
        { Path: '/bad', Kind: 7 },
      ]),
    ).toEqual([
      { path: '/etc', kind: 'changed' },
      { path: '/gone', kind: 'deleted' },
      { path: '/tmp/x', kind: 'added' },
    ]);
  });

  it("reads Go's FileMode (type bits high, setuid/setgid/sticky apart)", () => {
    expect(goModeType(2 ** 31 + 0o755)).toBe('dir');
    expect(goModeType(2 ** 27 + 0o777)).toBe('symlink');
    expect(goModeType(2 ** 26 + 2 ** 21 + 0o666)).toBe('char');
    expect(goModeType(2 ** 26 + 0o660)).toBe('block');
    expect(goModeType(0o644)).toBe('file');
    expect(goModePerm(2 ** 31 + 2 ** 20 + 0o777)).toBe(0o1777);
    expect(goModePerm(2 ** 23 + 0o755)).toBe(0o4755);
  });

  it('normalises paths and tells text from binary', () => {
    expect(normalisePath('//a/./b//')).toBe('/a/b');
    expect(normalisePath('/')).toBe('/');
    expect(decodeText(Buffer.from('héllo\n'))).toBe('héllo\n');
    expect(decodeText(Buffer.from([0x41, 0, 0x42]))).toBeNull();
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x41]))).toBeNull();
  });
});
