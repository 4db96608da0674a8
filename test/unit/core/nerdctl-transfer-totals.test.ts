import { describe, expect, it } from 'vitest';
import { PullProgressParser } from '../../../app/core/nerdctl-images';

/** nerdctl 2.3 pulls through containerd's transfer service: running totals only, no per-layer lines (capability layerProgress: false). */
describe('transfer progress from totals only', () => {
  it('a pull: the running total is bytesDone, the end unknown (0) until finished', () => {
    const p = new PullProgressParser();
    expect(p.push('Pulling from OCI Registry (127.0.0.1:5000/a:1)\telapsed: 0.0 s\ttotal: 0.0 B\t(0.0 B/s)')).toBe(true);
    expect(p.snapshot()).toEqual({ done: false, layers: [], bytesDone: 0, bytesTotal: 0, message: 'Pulling from OCI Registry (127.0.0.1:5000/a:1)\telapsed: 0.0 s\ttotal: 0.0 B\t(0.0 B/s)' });
    p.push('Pulling from OCI Registry (127.0.0.1:5000/a:1)\telapsed: 0.5 s\ttotal: 512.0 Ki\t(1.0 MiB/s)');
    expect(p.snapshot()).toMatchObject({ bytesDone: 512 * 1024, bytesTotal: 0 });
    p.push('Completed pull from OCI Registry (127.0.0.1:5000/a:1)\telapsed: 1.0 s\ttotal: 2.9 Mi\t(2.9 MiB/s)');
    const end = p.snapshot(true);
    expect(end.bytesDone).toBe(Math.round(2.9 * 1024 ** 2));
    expect(end.bytesTotal).toBe(end.bytesDone);
    expect(end.message).toMatch(/^Completed pull from OCI Registry/);
  });

  it('a push: layers without sizes take their totals from the elapsed line, which is no message', () => {
    const p = new PullProgressParser();
    p.push('layer-sha256:1111111111111111111111111111111111111111111111111111111111111111:    done    |++++++++++|');
    p.push('manifest-sha256:2222:   done   |++++|');
    expect(p.push('elapsed: 0.3 s    total:  1.4 Mi (4.6 MiB/s)')).toBe(true);
    const s = p.snapshot(true);
    expect(s.layers).toEqual([{ id: '111111111111', status: 'complete', current: 0, total: 0 }]);
    expect(s).toMatchObject({ bytesDone: Math.round(1.4 * 1024 ** 2), bytesTotal: Math.round(1.4 * 1024 ** 2), message: '' });
  });

  it('layer sizes, when printed, win over the running total', () => {
    const p = new PullProgressParser();
    p.push('layer-sha256:1111111111111111111111111111111111111111111111111111111111111111:    downloading    |+++-------| 1.0 MiB/4.0 MiB');
    p.push('elapsed: 1.2 s    total:  1.0 Mi (0.8 MiB/s)');
    expect(p.snapshot()).toMatchObject({ bytesDone: 1024 ** 2, bytesTotal: 4 * 1024 ** 2 });
  });
});
