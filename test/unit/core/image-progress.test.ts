import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProgressAggregator, ProgressThrottle, type ProgressMessage } from '../../../app/core/image-progress';

/** Messages recorded from dockerd 20.10 pulling and pushing through a local registry. */
const recorded = (name: string): ProgressMessage[] =>
  fs
    .readFileSync(path.join(__dirname, '../../fixtures/docker-images', name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ProgressMessage);

const run = (msgs: ProgressMessage[], each?: (a: ProgressAggregator, m: ProgressMessage) => void) => {
  const a = new ProgressAggregator();
  for (const m of msgs) {
    a.apply(m);
    each?.(a, m);
  }
  return a;
};

describe('pull/push progress aggregation (recorded dockerd output)', () => {
  it('aggregates a pull: layers that exist, bytes downloaded, then extracted', () => {
    const msgs = recorded('pull-layers.ndjson');
    let sawDownloading = false;
    let lastDone = 0;
    const a = run(msgs, (agg) => {
      const s = agg.snapshot();
      expect(s.bytesDone).toBeLessThanOrEqual(s.bytesTotal);
      expect(s.bytesDone).toBeGreaterThanOrEqual(lastDone);
      lastDone = s.bytesDone;
      if (s.layers.some((l) => l.status === 'downloading' && l.current > 0 && l.current < l.total)) sawDownloading = true;
    });
    expect(sawDownloading).toBe(true);
    const s = a.snapshot();
    expect(s.layers.map((l) => [l.id, l.status])).toEqual([
      ['5d28d914bcc2', 'exists'],
      ['80e9d7eb3e72', 'exists'],
      ['7caa2820b23e', 'complete'],
      ['b73edfe4abe7', 'complete'],
    ]);
    expect(s.bytesTotal).toBe(6002035 + 3001124);
    expect(s.bytesDone).toBe(s.bytesTotal);
    expect(s.message).toBe('Status: Downloaded newer image for 127.0.0.1:37587/berth-test/multi:1');
    expect(a.digest).toBe('sha256:caa2a723dbd3cbb4304650ea684a127f5ac3901cf0c5e1e95330397dd0d16d77');
    expect(a.error).toBeNull();
  });

  it('reports extraction bytes per layer while the download bytes stay complete', () => {
    const msgs = recorded('pull-layers.ndjson');
    const upTo = msgs.findIndex((m) => m.status === 'Extracting');
    const s = run(msgs.slice(0, upTo + 1)).snapshot();
    const l = s.layers.find((x) => x.status === 'extracting');
    expect(l).toEqual({ id: '7caa2820b23e', status: 'extracting', current: 65536, total: 6002035 });
    expect(s.bytesDone).toBe(s.bytesTotal);
  });

  it('handles an up-to-date pull (no layers)', () => {
    const a = run(recorded('pull-up-to-date.ndjson'));
    expect(a.snapshot()).toEqual({ layers: [], bytesDone: 0, bytesTotal: 0, message: 'Status: Image is up to date for 127.0.0.1:37587/berth-test/multi:1' });
    expect(a.digest).toMatch(/^sha256:caa2/);
  });

  it('aggregates a push: uploading, pushed, and the digest from aux', () => {
    let sawUploading = false;
    const a = run(recorded('push-layers.ndjson'), (agg) => {
      if (agg.snapshot().layers.some((l) => l.status === 'uploading')) sawUploading = true;
    });
    expect(sawUploading).toBe(true);
    const s = a.snapshot();
    expect(s.layers).toHaveLength(4);
    expect(s.layers.every((l) => l.status === 'complete')).toBe(true);
    expect(s.bytesTotal).toBe(3216 + 3000000 + 1982256 + 6000000);
    expect(s.bytesDone).toBe(s.bytesTotal);
    expect(a.digest).toBe('sha256:caa2a723dbd3cbb4304650ea684a127f5ac3901cf0c5e1e95330397dd0d16d77');
  });

  it('marks layers the registry already has', () => {
    const s = run(recorded('push-layers-exist.ndjson')).snapshot();
    expect(s.layers.map((l) => l.status)).toEqual(['exists', 'exists', 'exists', 'exists']);
    expect(s.bytesTotal).toBe(0);
  });

  it('keeps the engine error of a refused push', () => {
    const a = run(recorded('push-no-credentials.ndjson'));
    expect(a.error).toBe('no basic auth credentials');
    expect(a.snapshot().layers.map((l) => l.status)).toEqual(['waiting', 'waiting', 'waiting', 'waiting']);
  });

  it('understands mounts, retries and unknown statuses without inventing layers', () => {
    const a = run([
      { status: 'Mounted from other/repo', id: 'l1', progressDetail: {} },
      { status: 'Retrying in 5 seconds', id: 'l2' },
      { status: 'Something new', id: 'tag' },
      { status: 'Downloading', id: 'l3', progressDetail: { current: 10 } },
    ]);
    const s = a.snapshot();
    expect(s.layers.map((l) => [l.id, l.status])).toEqual([
      ['l1', 'exists'],
      ['l2', 'waiting'],
      ['l3', 'downloading'],
    ]);
    expect(s.message).toBe('Something new');
    // A size the engine did not give is not counted as done.
    expect(s.bytesDone).toBe(0);
    expect(s.bytesTotal).toBe(0);
  });
});

describe('progress throttle', () => {
  afterEach(() => vi.useRealTimers());

  it('emits the first poke at once, folds a burst into one trailing call, and emits on stop', () => {
    vi.useFakeTimers();
    let calls = 0;
    const t = new ProgressThrottle(() => calls++, 150);
    t.poke();
    expect(calls).toBe(1);
    for (let i = 0; i < 100; i++) t.poke();
    expect(calls).toBe(1);
    vi.advanceTimersByTime(149);
    expect(calls).toBe(1);
    vi.advanceTimersByTime(1);
    expect(calls).toBe(2);
    // Quiet engine: nothing more until the next poke.
    vi.advanceTimersByTime(1000);
    expect(calls).toBe(2);
    t.poke();
    expect(calls).toBe(3);
    t.poke();
    t.stop(true);
    expect(calls).toBe(4);
    vi.advanceTimersByTime(1000);
    expect(calls).toBe(4);
  });

  it('stop without emitting cancels the pending call', () => {
    vi.useFakeTimers();
    let calls = 0;
    const t = new ProgressThrottle(() => calls++, 150);
    t.poke();
    t.poke();
    t.stop(false);
    vi.advanceTimersByTime(1000);
    expect(calls).toBe(1);
  });
});

describe('a resumed layer download', () => {
  it('keeps the layer size when dockerd reports the remaining bytes as the new total', () => {
    const a = run([
      { status: 'Pulling fs layer', id: 'aaa' },
      { status: 'Downloading', id: 'aaa', progressDetail: { current: 3_000_000, total: 4_000_000 } },
      // After a dropped connection dockerd resumes and reports the bytes left as the total.
      { status: 'Downloading', id: 'aaa', progressDetail: { current: 3_900_000, total: 24_000 } },
    ]);
    const [layer] = a.snapshot().layers;
    expect(layer).toMatchObject({ current: 3_900_000, total: 4_000_000 });
    expect(a.snapshot().bytesDone).toBeLessThanOrEqual(a.snapshot().bytesTotal);
  });
});
