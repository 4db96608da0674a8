import { describe, expect, it } from 'vitest';
import { chosenColumns, tableMinWidthRem, trackMinRem } from '../../../renderer/features/containers/column-prefs';
import { FULL_COLUMNS } from '../../../renderer/features/containers/columns';

describe('containers table columns', () => {
  it('shows every column in the default order when nothing is saved', () => {
    expect(chosenColumns(undefined).map((c) => c.id)).toEqual(FULL_COLUMNS.map((c) => c.id));
    expect(chosenColumns([]).map((c) => c.id)).toEqual(FULL_COLUMNS.map((c) => c.id));
  });

  it('keeps the saved order, drops unknown and repeated ids, and always keeps the name', () => {
    expect(chosenColumns(['uptime', 'cpu', 'gone', 'cpu']).map((c) => c.id)).toEqual(['name', 'uptime', 'cpu']);
    expect(chosenColumns(['memory', 'name', 'state']).map((c) => c.id)).toEqual(['memory', 'name', 'state']);
  });

  it('computes the width under which the table scrolls sideways from the tracks', () => {
    expect(trackMinRem('7.5rem')).toBe(7.5);
    expect(trackMinRem('minmax(9rem, 1.3fr)')).toBe(9);
    expect(trackMinRem('2fr')).toBe(4);
    // name 9 + uptime 6.5 + checkbox 2 + actions 8 = 25.5; 3 gaps of 0.75 = 2.25; padding 2 → 29.75 → 30
    expect(tableMinWidthRem([{ width: 'minmax(9rem, 1.3fr)' }, { width: '6.5rem' }], 8)).toBe(30);
  });
});
