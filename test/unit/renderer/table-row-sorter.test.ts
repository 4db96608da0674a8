import { describe, expect, it } from 'vitest';
import { createRowSorter, sortRows } from '../../../renderer/components/VirtualTable/sort';
import type { Column, SortState } from '../../../renderer/components/VirtualTable/types';

type R = { name: string; size: number | null };

describe('createRowSorter (the table sorts a filtered part of the last list by picking it out)', () => {
  let reads = 0;
  const cols: Column<R>[] = [
    { id: 'name', header: 'Name', width: '1fr', cell: (r) => r.name, sortValue: (r) => (reads++, r.name) },
    { id: 'size', header: 'Size', width: '1fr', cell: (r) => r.size, sortValue: (r) => (reads++, r.size) },
  ];
  // Many equal sizes and empty ones: ties are kept in list order (stable), which the picked order must keep too.
  const rows: R[] = Array.from({ length: 300 }, (_, i) => ({ name: `row-${(i * 37) % 300}`, size: i % 7 === 0 ? null : i % 5 }));
  const bySize: SortState = { column: 'size', direction: 'desc' };

  it('gives what sortRows gives, for the whole list and for parts of it, reading no sort value for a part', () => {
    const sorter = createRowSorter<R>();
    expect(sorter(rows, cols, bySize)).toEqual(sortRows(rows, cols, bySize));
    for (const keep of [(r: R) => r.name.includes('1'), (r: R) => r.size === 3, (r: R) => r.name.endsWith('7'), () => true]) {
      const part = rows.filter(keep);
      reads = 0;
      const picked = sorter(part, cols, bySize);
      expect(reads).toBe(0);
      expect(picked).toEqual(sortRows(part, cols, bySize));
    }
  });

  it('sorts again when the rows are not a part of the last list, or the sort or columns changed', () => {
    const sorter = createRowSorter<R>();
    sorter(rows, cols, bySize);
    // A refetch: a changed row is a new object.
    const next = rows.map((r, i) => (i === 10 ? { ...r, size: 9 } : r));
    reads = 0;
    expect(sorter(next, cols, bySize)).toEqual(sortRows(next, cols, bySize));
    expect(reads).toBeGreaterThan(0);
    // The same rows in another order are not a filter of the last list: sorted in full (ties follow the new order).
    const reordered = [...next].reverse();
    reads = 0;
    expect(sorter(reordered, cols, bySize)).toEqual(sortRows(reordered, cols, bySize));
    expect(reads).toBeGreaterThan(0);
    const byName: SortState = { column: 'name', direction: 'asc' };
    expect(sorter(reordered, cols, byName)).toEqual(sortRows(reordered, cols, byName));
    const otherCols = [...cols];
    reads = 0;
    expect(sorter(reordered, otherCols, byName)).toEqual(sortRows(reordered, otherCols, byName));
    expect(reads).toBeGreaterThan(0);
    expect(sorter(reordered, cols, null)).toBe(reordered);
  });

  it('keeps no memory of a list holding one row twice', () => {
    const sorter = createRowSorter<R>();
    const a = rows[0] as R;
    const twice = [a, ...rows.slice(1, 20), a];
    expect(sorter(twice, cols, bySize)).toEqual(sortRows(twice, cols, bySize));
    reads = 0;
    expect(sorter([a], cols, bySize)).toEqual([a]);
    expect(reads).toBe(1);
  });
});
