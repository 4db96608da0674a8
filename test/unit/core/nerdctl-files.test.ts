import { describe, expect, it } from 'vitest';
import { helperListing, parseHelperSizes, parseHelperStats, rawModeType } from '../../../app/core/nerdctl-files';

describe('nerdctl files helper output', () => {
  it('reads type and permission bits from a raw mode', () => {
    expect(rawModeType(0x81ed)).toEqual({ type: 'file', mode: 0o755 });
    expect(rawModeType(0x41ed)).toEqual({ type: 'dir', mode: 0o755 });
    expect(rawModeType(0xa1ff)).toEqual({ type: 'symlink', mode: 0o777 });
    expect(rawModeType(0x89ed)).toEqual({ type: 'file', mode: 0o4755 });
    expect(rawModeType(0xc1ed)).toEqual({ type: 'other', mode: 0o755 });
  });

  it('parses stat lines: link targets, names with spaces, quotes and newlines', () => {
    const out = ["81ed 1982256 0 0 1796454807 ./busybox", "a1ff 8 0 0 1796454809 './app-link' -> '/busybox'", "81a4 3 12 34 0 ./two words", "81a4 1 0 0 0 ./line", "break", "a1ff 3 0 0 0 './it's' -> 'x y'", ''].join('\n');
    const s = parseHelperStats(out);
    expect(s.map((x) => x.name)).toEqual(['./busybox', './app-link', './two words', './line\nbreak', "./it's"]);
    expect(s[1]).toMatchObject({ type: 'symlink', linkTarget: '/busybox', size: 8 });
    expect(s[2]).toMatchObject({ uid: 12, gid: 34, mode: 0o644, mtime: '1970-01-01T00:00:00.000Z' });
    expect(s[4]?.linkTarget).toBe('x y');
    expect(() => parseHelperStats('oops\n')).toThrow(/Unexpected output/);
    expect(() => parseHelperStats("a1ff 3 0 0 0 ./no-arrow\n")).toThrow(/Unexpected link line/);
  });

  it('totals the files below each child folder', () => {
    expect([...parseHelperSizes('104 ./etc/hosts\n25 ./etc/resolv.conf\n6 ./data/a/b.txt\n7 ./data/c\nnot a line\n')]).toEqual([
      ['etc', 129],
      ['data', 13],
    ]);
  });

  it('lists a folder: folders first with their totals, then files by name', () => {
    const out = "81ed 10 0 0 0 ./zeta\n41ed 4096 0 0 0 ./data\n81a4 5 0 0 0 ./alpha\n\0" + '6 ./data/hello.txt\n';
    const e = helperListing('/srv', out);
    expect(e.map((x) => [x.path, x.type, x.size])).toEqual([
      ['/srv/data', 'dir', 6],
      ['/srv/alpha', 'file', 5],
      ['/srv/zeta', 'file', 10],
    ]);
    expect(() => helperListing('/', '81ed 10 0 0 0 ./zeta\n')).toThrow(/stopped before/);
  });
});
