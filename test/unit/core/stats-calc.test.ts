import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockIO, computeStats, cpuPercent, memoryUsed, networkIO, type RawStats } from '../../../app/core/stats-calc';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/stats', name), 'utf8')) as RawStats;

describe('stats from a real cgroup v1 sample (captured from the private dockerd: busy loop, --memory 64m)', () => {
  const s = fixture('cgroup-v1-busy.json');

  it('computes CPU % with the Docker CLI formula (online_cpus present)', () => {
    const cpuDelta = 3_563_875_363 - 2_772_462_261;
    const sysDelta = 2_465_020_000_000 - 2_463_020_000_000;
    expect(cpuPercent(s)).toBeCloseTo((cpuDelta / sysDelta) * 2 * 100, 10);
    expect(cpuPercent(s)).toBeGreaterThan(50);
  });

  it('subtracts total_inactive_file from usage (cgroup v1)', () => {
    expect(memoryUsed(s)).toBe(22_257_664 - 20_971_520);
  });

  it('computes every figure', () => {
    const f = computeStats(s);
    expect(f).toMatchObject({
      id: s.id,
      name: 'stx3',
      ts: s.read,
      memoryLimit: 67_108_864,
      memoryUsed: 1_286_144,
      netRx: s.networks?.eth0?.rx_bytes,
      netTx: 0,
      blockRead: 0,
      blockWrite: 0,
      pids: 1,
    });
    expect(f.memoryPercent).toBeCloseTo((1_286_144 / 67_108_864) * 100, 10);
  });
});

describe('stats from a cgroup v2-shaped sample (constructed from the documented fields)', () => {
  const s = fixture('cgroup-v2-constructed.json');

  it('computes every figure the way the Docker CLI does on cgroup v2', () => {
    const f = computeStats(s);
    expect(f.cpuPercent).toBeCloseTo((500_000_000 / 4_000_000_000) * 4 * 100, 10);
    expect(f.memoryUsed).toBe(52_428_800 - 12_582_912);
    expect(f.memoryLimit).toBe(268_435_456);
    expect(f.memoryPercent).toBeCloseTo((39_845_888 / 268_435_456) * 100, 10);
    expect([f.netRx, f.netTx]).toEqual([1024, 250]);
    expect([f.blockRead, f.blockWrite]).toEqual([4_100_000, 1_024_024]);
    expect(f.pids).toBe(7);
    expect(f.name).toBe('web-1');
    expect(f.ts).toBe('2025-01-02T03:04:05.123456789Z');
  });
});

describe('edge cases of the formulas', () => {
  it('CPU: uses the length of percpu_usage when online_cpus is missing, and 0 when a delta is not positive', () => {
    const base: RawStats = {
      cpu_stats: { cpu_usage: { total_usage: 300, percpu_usage: [1, 2, 3] }, system_cpu_usage: 2000 },
      precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 1000 },
    };
    expect(cpuPercent(base)).toBeCloseTo((200 / 1000) * 3 * 100, 10);
    expect(cpuPercent({ ...base, precpu_stats: { cpu_usage: { total_usage: 300 }, system_cpu_usage: 1000 } })).toBe(0);
    expect(cpuPercent({ ...base, precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 2000 } })).toBe(0);
    expect(cpuPercent({})).toBe(0);
  });

  it('memory: v1 key wins when present and smaller; falls back to inactive_file, then to usage', () => {
    expect(memoryUsed({ memory_stats: { usage: 100, stats: { total_inactive_file: 30, inactive_file: 10 } } })).toBe(70);
    // v1 key not smaller than usage: the CLI falls through to the v2 key.
    expect(memoryUsed({ memory_stats: { usage: 100, stats: { total_inactive_file: 150, inactive_file: 10 } } })).toBe(90);
    expect(memoryUsed({ memory_stats: { usage: 100, stats: { inactive_file: 100 } } })).toBe(100);
    expect(memoryUsed({ memory_stats: { usage: 100 } })).toBe(100);
  });

  it('block I/O accepts Read/Write in either case and ignores other ops; network sums interfaces', () => {
    const s: RawStats = {
      blkio_stats: {
        io_service_bytes_recursive: [
          { op: 'Read', value: 1 },
          { op: 'read', value: 2 },
          { op: 'Write', value: 10 },
          { op: 'write', value: 20 },
          { op: 'Sync', value: 100 },
          { op: 'Total', value: 33 },
          { op: '', value: 5 },
        ],
      },
      networks: { a: { rx_bytes: 1, tx_bytes: 2 }, b: { rx_bytes: 3, tx_bytes: 4 } },
    };
    expect(blockIO(s)).toEqual({ read: 3, write: 30 });
    expect(networkIO(s)).toEqual({ rx: 4, tx: 6 });
  });

  it('a sample of a container that is not running gives zeros, with a real time', () => {
    const f = computeStats(fixture('cgroup-v1-not-running.json'), { now: () => new Date('2025-01-01T00:00:00Z') });
    expect(f).toMatchObject({ cpuPercent: 0, memoryUsed: 0, memoryLimit: 0, memoryPercent: 0, pids: 0, ts: '2025-01-01T00:00:00.000Z', name: 'stx4' });
  });
});
