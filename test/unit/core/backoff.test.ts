import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from '../../../app/core/backoff';

describe('backoffDelay', () => {
  it('doubles from 250 ms up to the 10 s cap, between half and all of each ceiling', () => {
    const lows = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, {}, () => 0));
    const highs = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, {}, () => 0.999999));
    expect(highs).toEqual([250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
    expect(lows).toEqual([125, 250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('spreads delays with the random source', () => {
    expect(backoffDelay(2, {}, () => 0.5)).toBe(750);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(3)));
    expect(seen.size).toBeGreaterThan(5);
    for (const d of seen) {
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });

  it('stays at the cap for huge attempt numbers instead of overflowing', () => {
    expect(backoffDelay(5000, {}, () => 0.999999)).toBe(10000);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, { baseMs: 100, capMs: 300 }, () => 0)).toBe(150);
  });

  it('clamps a random source that leaves [0, 1) and treats negative attempts as the first', () => {
    expect(backoffDelay(0, {}, () => 7)).toBe(250);
    expect(backoffDelay(-3, {}, () => -1)).toBe(125);
  });

  it('rejects nonsense options', () => {
    expect(() => backoffDelay(0, { baseMs: 0 })).toThrow(RangeError);
    expect(() => backoffDelay(0, { baseMs: 500, capMs: 100 })).toThrow(/cap 100/);
    expect(() => backoffDelay(0, { factor: 0.5 })).toThrow(RangeError);
  });
});

describe('Backoff', () => {
  it('counts attempts and starts over after reset()', () => {
    const b = new Backoff({ baseMs: 10, capMs: 40 }, () => 0.999999);
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([10, 20, 40, 40]);
    expect(b.attempts).toBe(4);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(10);
  });
});
