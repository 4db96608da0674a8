import { describe, expect, it } from 'vitest';
import { inFolder } from '../../../renderer/features/host-paths/root';
import { suggestedArchiveName } from '../../../renderer/features/images/SaveLoadDialogs';

describe('paths prefilled in the confined folder (browser mode)', () => {
  it('puts only the last part of a name in the folder', () => {
    expect(inFolder('/home/me/Berth', 'busybox.tar')).toBe('/home/me/Berth/busybox.tar');
    expect(inFolder('/home/me/Berth/', '../../etc/passwd')).toBe('/home/me/Berth/passwd');
    expect(inFolder('/home/me/Berth', '')).toBe('/home/me/Berth/');
    expect(inFolder('C:\\Users\\me\\Berth', 'a.tar')).toBe('C:\\Users\\me\\Berth\\a.tar');
  });

  it('names a saved image after its repository and tag', () => {
    expect(suggestedArchiveName(['127.0.0.1:5000/team/app:dev'])).toBe('app_dev.tar');
    expect(suggestedArchiveName(['busybox:latest'])).toBe('busybox_latest.tar');
    expect(suggestedArchiveName(['sha256:abc'])).toBe('images.tar');
    expect(suggestedArchiveName(['a:1', 'b:2'])).toBe('images.tar');
  });
});
