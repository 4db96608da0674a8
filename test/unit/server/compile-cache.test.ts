import module from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCompileCache, type CompileCacheApi } from '../../../app/server/compile-cache';

const STATUS = { FAILED: 0, ENABLED: 1, ALREADY_ENABLED: 2, DISABLED: 3 };

/** Node's API as a stand-in (this machine's Node 20 has none): answers `status` and records the folders asked for. */
function fakeApi(status: number | Error): CompileCacheApi & { dirs: Array<string | undefined> } {
  const dirs: Array<string | undefined> = [];
  return {
    dirs,
    constants: { compileCacheStatus: STATUS },
    enableCompileCache: (dir) => {
      dirs.push(dir);
      if (status instanceof Error) throw status;
      return { status };
    },
  };
}

describe('useCompileCache (Node 22 compile cache of the main process)', () => {
  it('turns the cache on in the data folder and says so when Node enabled it (or had it already)', () => {
    for (const status of [STATUS.ENABLED, STATUS.ALREADY_ENABLED]) {
      const api = fakeApi(status);
      expect(useCompileCache('/data/Berth', {}, api)).toBe(true);
      expect(api.dirs).toEqual([path.join('/data/Berth', 'compile-cache')]);
    }
  });

  it('is off when Node could not or would not use it: failed, disabled, or the call threw', () => {
    expect(useCompileCache('/data', {}, fakeApi(STATUS.FAILED))).toBe(false);
    expect(useCompileCache('/data', {}, fakeApi(STATUS.DISABLED))).toBe(false);
    expect(useCompileCache('/data', {}, fakeApi(new Error('EACCES')))).toBe(false);
  });

  it('is not asked for in an AppImage (a new mount path at each launch) nor where Node has no such API', () => {
    const api = fakeApi(STATUS.ENABLED);
    expect(useCompileCache('/data', { APPIMAGE: '/opt/Berth.AppImage' }, api)).toBe(false);
    expect(api.dirs).toEqual([]);
    expect(useCompileCache('/data', {}, {})).toBe(false);
  });

  // Node 20 (this machine) has no such API; on Node 22 the real call is not made here (it would cache this very process).
  it.skipIf(typeof (module as CompileCacheApi).enableCompileCache === 'function')('with the real node:module of a Node without the API, turns nothing on', () => {
    expect(useCompileCache('/nonexistent/berth-test')).toBe(false);
  });
});
