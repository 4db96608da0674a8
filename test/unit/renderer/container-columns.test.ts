import { describe, expect, it } from 'vitest';
import { chosenColumns } from '../../../renderer/features/containers/column-prefs';
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
});
