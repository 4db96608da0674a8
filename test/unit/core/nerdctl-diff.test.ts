import { describe, expect, it } from 'vitest';
import { parseNerdctlDiff } from '../../../app/core/nerdctl-diff';

describe('nerdctl container diff', () => {
  it('reads A/C/D lines as added/changed/deleted, sorted; a folder named added and changed is added', () => {
    // As nerdctl 2.3 printed it for a busybox container that wrote /var/cache/foo/b and removed /bin/vi.
    const out = 'A /etc\nC /etc\nA /etc/hosts\nC /\nA /var\nC /var\nA /var/cache/foo/b\nD /bin/vi\nC /bin\n';
    expect(parseNerdctlDiff(out)).toEqual([
      { path: '/', kind: 'changed' },
      { path: '/bin', kind: 'changed' },
      { path: '/bin/vi', kind: 'deleted' },
      { path: '/etc', kind: 'added' },
      { path: '/etc/hosts', kind: 'added' },
      { path: '/var', kind: 'added' },
      { path: '/var/cache/foo/b', kind: 'added' },
    ]);
  });
  it('nothing changed is []; paths with spaces are kept whole', () => {
    expect(parseNerdctlDiff('')).toEqual([]);
    expect(parseNerdctlDiff('A /tmp/a file\r\n')).toEqual([{ path: '/tmp/a file', kind: 'added' }]);
  });
  it('an unexpected line is an error, not a silent skip', () => {
    expect(() => parseNerdctlDiff('A /etc\nWARN something\n')).toThrow(/Unexpected line/);
  });
});
