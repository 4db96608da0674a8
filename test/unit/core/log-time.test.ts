import { describe, expect, it } from 'vitest';
import { toEngineTime } from '../../../app/core/log-time';
import { LogTime } from '../../../app/contract/logs';

describe('toEngineTime', () => {
  it('passes Unix seconds through, with nanosecond fractions', () => {
    expect(toEngineTime(1700000000)).toBe('1700000000');
    expect(toEngineTime(1700000000.5)).toBe('1700000000.500000000');
    expect(toEngineTime('1700000000.25')).toBe('1700000000.25');
  });

  it('converts ISO 8601 / RFC 3339, keeping nanoseconds and honouring the zone', () => {
    expect(toEngineTime('2023-11-14T22:13:20Z')).toBe('1700000000');
    expect(toEngineTime('2023-11-14T22:13:20.123456789Z')).toBe('1700000000.123456789');
    expect(toEngineTime('2023-11-14T23:13:20+01:00')).toBe('1700000000');
    expect(toEngineTime('2023-11-14T23:13:20.5+0100')).toBe('1700000000.500000000');
    expect(toEngineTime('2023-11-14T22:13')).toBe('1699999980');
    expect(toEngineTime('2023-11-14')).toBe('1699920000');
  });

  it('refuses what is not a time', () => {
    for (const bad of ['yesterday', '2023-13-01T00:00:00Z', '-5', '', '10m']) expect(toEngineTime(bad)).toBeNull();
    expect(toEngineTime(-1)).toBeNull();
    expect(toEngineTime(Number.NaN)).toBeNull();
  });

  it('agrees with the contract on what a log time is', () => {
    for (const ok of ['2023-11-14T22:13:20Z', '1700000000', '2023-11-14', 5]) expect(LogTime.safeParse(ok).success).toBe(true);
    for (const bad of ['yesterday', '-5', '10m', -1]) expect(LogTime.safeParse(bad).success).toBe(false);
  });
});
