import { describe, expect, it } from 'vitest';
import { estimateStart, humanDuration, uptimeRange } from '../../../renderer/features/containers/uptime';

describe('uptime between refetches', () => {
  it('bounds the uptime a status allows, as docker rounds it', () => {
    expect(uptimeRange('Up Less than a second')).toEqual([0, 1]);
    expect(uptimeRange('Up 5 seconds (health: starting)')).toEqual([5, 6]);
    expect(uptimeRange('Up About a minute')).toEqual([60, 120]);
    expect(uptimeRange('Up 3 minutes (Paused)')).toEqual([180, 240]);
    expect(uptimeRange('Up About an hour')).toEqual([3600, 5400]);
    expect(uptimeRange('Up 2 hours')).toEqual([5400, 9000]);
    expect(uptimeRange('Up 3 days')).toEqual([(72 - 0.5) * 3600, (96 - 0.5) * 3600]);
    expect(uptimeRange('Exited (0) 3 hours ago')).toBeNull();
    expect(uptimeRange('Created')).toBeNull();
  });

  it('reads like docker, and every reading of the words maps back into their range', () => {
    expect(humanDuration(0.4)).toBe('Less than a second');
    expect(humanDuration(1)).toBe('1 second');
    expect(humanDuration(59)).toBe('59 seconds');
    expect(humanDuration(61)).toBe('About a minute');
    expect(humanDuration(5399)).toBe('About an hour');
    expect(humanDuration(5400)).toBe('2 hours');
    expect(humanDuration(50 * 3600)).toBe('2 days');
    for (const s of [0, 3, 59, 60, 119, 120, 3599, 3600, 5399, 5400, 40000, 200000, 2e6, 2e7, 1e8]) {
      const r = uptimeRange(`Up ${humanDuration(s)}`);
      expect(r, String(s)).not.toBeNull();
      expect(s >= r![0] && s < r![1], `${s} in ${r}`).toBe(true);
    }
  });

  it('sharpens the start time with each reading and starts over after a restart', () => {
    const t0 = 1_000_000_000;
    // Started at t0 - 150 s: read as "2 minutes" at t0 → start in [t0-180, t0-120].
    const a = estimateStart('c1', 'Up 2 minutes', t0)!;
    expect(a).toBe(t0 - 150_000);
    // 40 s later "Up 3 minutes" → [t0+40-240, t0+40-180] = [t0-200, t0-140] ∩ → [t0-180, t0-140].
    expect(estimateStart('c1', 'Up 3 minutes', t0 + 40_000)).toBe(t0 - 160_000);
    // Restarted: "Up 2 seconds" does not fit the old interval.
    expect(estimateStart('c1', 'Up 2 seconds', t0 + 60_000)).toBe(t0 + 57_500);
    expect(estimateStart('c1', 'Exited (0) 1 second ago', t0 + 70_000)).toBeNull();
  });
});
