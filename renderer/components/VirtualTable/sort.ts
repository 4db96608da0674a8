import type { Column, SortState } from './types';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Sort rows by a column's sortValue; empty values go last in both directions. Stable. */
export function sortRows<T>(rows: readonly T[], columns: readonly Column<T>[], sort: SortState | null): readonly T[] {
  if (!sort) return rows;
  const col = columns.find((c) => c.id === sort.column);
  if (!col?.sortValue) return rows;
  const key = col.sortValue;
  const dir = sort.direction === 'asc' ? 1 : -1;
  const decorated = rows.map((row, i) => ({ row, i, v: key(row) }));
  decorated.sort((a, b) => {
    const av = a.v;
    const bv = b.v;
    const aEmpty = av === null || av === undefined || av === '';
    const bEmpty = bv === null || bv === undefined || bv === '';
    if (aEmpty || bEmpty) return aEmpty === bEmpty ? a.i - b.i : aEmpty ? 1 : -1;
    const c = typeof av === 'number' && typeof bv === 'number' ? av - bv : collator.compare(String(av), String(bv));
    return c === 0 ? a.i - b.i : c * dir;
  });
  return decorated.map((d) => d.row);
}

export const toggleSort = (cur: SortState | null, column: string): SortState =>
  cur?.column === column ? { column, direction: cur.direction === 'asc' ? 'desc' : 'asc' } : { column, direction: 'asc' };
