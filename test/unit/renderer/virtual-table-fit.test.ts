import { describe, expect, it } from 'vitest';
import { gridMinRem, trackMinRem } from '../../../renderer/components/VirtualTable/fit';

describe('VirtualTable: how narrow a row can get', () => {
  it('reads a track’s minimum: a rem length, minmax()’s first argument, 4rem for a bare fraction', () => {
    expect(trackMinRem('7.5rem')).toBe(7.5);
    expect(trackMinRem('0rem')).toBe(0);
    expect(trackMinRem('minmax(9rem, 1.3fr)')).toBe(9);
    expect(trackMinRem('2fr')).toBe(4);
  });

  it('adds the gaps between the tracks and the row’s padding', () => {
    // checkbox 2 + name 9 + uptime 6.5 + actions 8 = 25.5; 3 gaps of 0.75 = 2.25; padding 2 → 29.75
    expect(gridMinRem(['2rem', 'minmax(9rem, 1.3fr)', '6.5rem', '8rem'])).toBe(29.75);
    expect(gridMinRem(['6.5rem'])).toBe(8.5);
    expect(gridMinRem([])).toBe(2);
  });
});
