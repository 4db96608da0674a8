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

/**
 * sortRows with a memory, for filter-as-you-type: the last list sorted in full is kept, and a
 * list that is a part of it (the same row objects, in the same relative order: a filter of it)
 * is answered by picking its rows out of the kept order, without sorting again. The answer is
 * the one sortRows gives (it is stable, so the rows of a part keep their relative order in it).
 */
export function createRowSorter<T>(): (rows: readonly T[], columns: readonly Column<T>[], sort: SortState | null) => readonly T[] {
  let basis: { columns: readonly Column<T>[]; sort: SortState; position: Map<T, number>; sorted: readonly T[] } | null = null;
  const partOfBasis = (rows: readonly T[]): boolean => {
    if (!basis) return false;
    let prev = -1;
    for (const row of rows) {
      const at = basis.position.get(row);
      if (at === undefined || at <= prev) return false;
      prev = at;
    }
    return true;
  };
  return (rows, columns, sort) => {
    if (!sort) return rows;
    const b = basis;
    if (b && b.columns === columns && b.sort.column === sort.column && b.sort.direction === sort.direction && partOfBasis(rows)) {
      if (rows.length === b.position.size) return b.sorted;
      const keep = new Set(rows);
      return b.sorted.filter((r) => keep.has(r));
    }
    const sorted = sortRows(rows, columns, sort);
    const position = new Map<T, number>();
    rows.forEach((r, i) => position.set(r, i));
    // A row listed twice cannot be told apart by identity: no memory for such a list.
    basis = position.size === rows.length ? { columns, sort, position, sorted } : null;
    return sorted;
  };
}
