import { describe, expect, it } from 'vitest';
import { modeText, normaliseFolder, ownerText, parentOf } from '../../../renderer/features/container-detail/files-format';

describe('Files tab formatting', () => {
  it('writes modes as ls -l does, with setuid, setgid and sticky', () => {
    expect(modeText('dir', 0o755)).toBe('drwxr-xr-x');
    expect(modeText('file', 0o644)).toBe('-rw-r--r--');
    expect(modeText('symlink', 0o777)).toBe('lrwxrwxrwx');
    expect(modeText('file', 0o4755)).toBe('-rwsr-xr-x');
    expect(modeText('file', 0o2644)).toBe('-rw-r-Sr--');
    expect(modeText('dir', 0o1777)).toBe('drwxrwxrwt');
  });
  it('names owners and walks folders', () => {
    expect(ownerText({ name: 'a', path: '/a', type: 'file', size: 0, mode: 0, uid: 1000, gid: 50, group: 'staff' })).toBe('1000:staff');
    expect(parentOf('/a/b')).toBe('/a');
    expect(parentOf('/a')).toBe('/');
    expect(parentOf('/')).toBe('/');
    expect(normaliseFolder('a//b/./')).toBe('/a/b');
  });
});
