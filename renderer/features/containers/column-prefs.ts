import { useMemo } from 'react';
import type { Column } from '../../components/VirtualTable/types';
import { useApp } from '../../stores/app';
import { FULL_COLUMNS } from './columns';
import type { ListRow } from './model';

/** The column that names a row: always shown, first among what the user picks. */
export const REQUIRED_COLUMN = 'name';

/** Ids of every column the table can show, in the default order. */
export const allColumnIds = (): string[] => FULL_COLUMNS.map((c) => c.id);

/**
 * The columns to show: the user's choice and order (settings `ui.containerColumns`), ids that no
 * longer exist dropped, the name column kept; no choice saved: every column in the default order.
 */
export function chosenColumns(saved: readonly string[] | undefined): Column<ListRow>[] {
  const byId = new Map(FULL_COLUMNS.map((c) => [c.id, c]));
  if (!saved || saved.length === 0) return [...FULL_COLUMNS];
  const ids = saved.filter((id, i) => byId.has(id) && saved.indexOf(id) === i);
  if (!ids.includes(REQUIRED_COLUMN)) ids.unshift(REQUIRED_COLUMN);
  return ids.map((id) => byId.get(id) as Column<ListRow>);
}

/** The chosen columns, the same array until the choice changes (rows are memoized on it). */
export function useChosenColumns(): Column<ListRow>[] {
  const saved = useApp((s) => s.settings?.ui.containerColumns);
  return useMemo(() => chosenColumns(saved), [saved]);
}
