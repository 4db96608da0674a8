import { describe, expect, it } from 'vitest';
import { AlertLimiter } from '../../../app/core/alert-limit';

describe('AlertLimiter', () => {
  it('lets one alert per container through per period, and caps the total per window', () => {
    const l = new AlertLimiter({ perKeyMs: 60_000, windowMs: 60_000, maxPerWindow: 3 });
    expect(l.allow('a', 0)).toBe(true);
    expect(l.allow('a', 59_999)).toBe(false);
    expect(l.allow('b', 1)).toBe(true);
    expect(l.allow('c', 2)).toBe(true);
    expect(l.allow('d', 3)).toBe(false); // 3 in the window already
    expect(l.allow('a', 60_000)).toBe(true); // a's period is over and the window has room again
    expect(l.allow('d', 60_004)).toBe(true);
  });
});
