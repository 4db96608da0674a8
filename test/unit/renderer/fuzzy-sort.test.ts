import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyMatch } from '../../../renderer/lib/fuzzy';
import { sortRows, toggleSort } from '../../../renderer/components/VirtualTable/sort';
import { rangeIds } from '../../../renderer/components/VirtualTable/selection';
import type { Column } from '../../../renderer/components/VirtualTable/types';

describe('fuzzyMatch', () => {
  it('matches characters in order and refuses otherwise', () => {
    expect(fuzzyMatch('gvol', 'Go to Volumes')?.positions).toEqual([0, 6, 7, 8]);
    expect(fuzzyMatch('vlg', 'Go to Volumes')).toBeNull();
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, positions: [] });
  });

  it('ranks substrings and word starts first', () => {
    const items = ['Reset zoom', 'Zoom out', 'Zoom in', 'Go to Images'];
    expect(fuzzyFilter(items, 'zoom', (s) => s).map((r) => r.item)).toEqual(['Zoom in', 'Zoom out', 'Reset zoom']); // shorter wins a tie
    expect(fuzzyFilter(items, 'img', (s) => s).map((r) => r.item)).toEqual(['Go to Images']);
    expect(fuzzyFilter(items, '', (s) => s).map((r) => r.item)).toEqual(items);
  });
});

describe('sortRows', () => {
  type R = { name: string; size?: number };
  const cols: Column<R>[] = [
    { id: 'name', header: 'Name', width: '1fr', cell: (r) => r.name, sortValue: (r) => r.name },
    { id: 'size', header: 'Size', width: '1fr', cell: (r) => r.size, sortValue: (r) => r.size },
  ];
  const rows: R[] = [{ name: 'web-10', size: 5 }, { name: 'web-2' }, { name: 'Api', size: 50 }];

  it('sorts naturally, both ways, with empty values last', () => {
    expect(sortRows(rows, cols, { column: 'name', direction: 'asc' }).map((r) => r.name)).toEqual(['Api', 'web-2', 'web-10']);
    expect(sortRows(rows, cols, { column: 'name', direction: 'desc' }).map((r) => r.name)).toEqual(['web-10', 'web-2', 'Api']);
    expect(sortRows(rows, cols, { column: 'size', direction: 'asc' }).map((r) => r.name)).toEqual(['web-10', 'Api', 'web-2']);
    expect(sortRows(rows, cols, { column: 'size', direction: 'desc' }).map((r) => r.name)).toEqual(['Api', 'web-10', 'web-2']);
    expect(sortRows(rows, cols, null)).toBe(rows);
  });

  it('toggles direction on the same column and starts ascending on another', () => {
    expect(toggleSort(null, 'name')).toEqual({ column: 'name', direction: 'asc' });
    expect(toggleSort({ column: 'name', direction: 'asc' }, 'name')).toEqual({ column: 'name', direction: 'desc' });
    expect(toggleSort({ column: 'name', direction: 'desc' }, 'size')).toEqual({ column: 'size', direction: 'asc' });
  });
});

describe('rangeIds', () => {
  it('returns the inclusive range in display order, either direction', () => {
    const order = ['a', 'b', 'c', 'd'];
    expect(rangeIds(order, 'b', 'd')).toEqual(['b', 'c', 'd']);
    expect(rangeIds(order, 'd', 'b')).toEqual(['b', 'c', 'd']);
    expect(rangeIds(order, 'x', 'c')).toEqual(['c']);
  });
});
