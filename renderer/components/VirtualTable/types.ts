import type { KeyboardEvent, ReactNode } from 'react';
import type { RowPending } from '../../lib/entity-store';

export interface Column<T> {
  id: string;
  /** The header text (also its accessible name). */
  header: string;
  /** A CSS grid track: '2fr', '8rem', 'minmax(10rem, 2fr)'. Not 'auto' (each row is its own grid). */
  width: string;
  cell(row: T): ReactNode;
  /** Makes the column sortable. */
  sortValue?(row: T): string | number | null | undefined;
  align?: 'start' | 'end';
  /** Hide the header text visually (it stays the accessible name). */
  hideHeader?: boolean;
  className?: string;
}

export type SortDirection = 'asc' | 'desc';
export interface SortState {
  column: string;
  direction: SortDirection;
}

export interface RowActionContext {
  /** The row is the active (keyboard) row: its buttons are in the Tab order. */
  active: boolean;
  /** Use as the tabIndex of buttons in the row actions. */
  tabIndex: 0 | -1;
}

export interface VirtualTableProps<T> {
  rows: readonly T[];
  rowId(row: T): string;
  columns: readonly Column<T>[];
  /** The accessible name of the grid: "Containers". */
  label: string;
  /** A short text naming a row (checkbox labels, screen readers): the container name. */
  rowLabel(row: T): string;

  /** Multi-select with checkboxes, Space, Shift+click/arrows, Mod+A. Omit both for no selection. */
  selected?: ReadonlySet<string>;
  onSelectedChange?(next: Set<string>): void;

  /** Sorting: uncontrolled from `defaultSort`, or controlled with `sort` + `onSortChange`. */
  defaultSort?: SortState;
  sort?: SortState;
  onSortChange?(next: SortState): void;
  /** The rows come already sorted by the parent (e.g. grouped rows): headers still toggle `sort`. */
  manualSort?: boolean;
  /** An extra class for a row (e.g. group header rows). */
  rowClassName?(row: T): string | undefined;

  /** Per-row pending actions and their errors (the entity store's `pending`). */
  pending?: Readonly<Record<string, RowPending>>;
  onDismissRowError?(id: string): void;

  /** Buttons at the end of each row. Use `ctx.tabIndex` on them. */
  rowActions?(row: T, ctx: RowActionContext): ReactNode;
  /** The width of the actions column (a CSS length). */
  actionsWidth?: string;

  /** Enter or double-click on a row (a single click too with `activateOnClick`). */
  onActivate?(row: T): void;
  /**
   * A plain click on a row activates it (opens its details); the checkbox alone selects, and
   * Shift/Mod+click still extend the selection. Clicks on the row's buttons and links are theirs.
   */
  activateOnClick?: boolean;
  /** The active row (e.g. to show details): controlled when `activeId` is given. */
  activeId?: string | null;
  onActiveChange?(id: string | null): void;
  /** Other keys on the grid with an active row (e.g. Delete). */
  onRowKeyDown?(e: KeyboardEvent, row: T): void;

  /**
   * What filters the rows (e.g. the filter box's query). When it changes, rows that leave the view
   * hand their elements to the rows that come in, which are updated in place instead of a row
   * unmounted and another mounted (a keystroke that changes every visible row costs a third less).
   * Otherwise (a refetch, sorting, scrolling) a row keeps its own elements. Omit it: never.
   */
  filterKey?: string;

  /** Shown instead of the body when there are no rows. */
  empty?: ReactNode;
  /** Estimated row height in rem (rows with an error line are measured). */
  rowHeightRem?: number;
  /**
   * Below this width the grid scrolls sideways instead of squeezing columns (CSS length; default:
   * the columns' minimums, gaps and padding, and no room for the actions, which are then laid over the row's end).
   */
  minWidth?: string;
  className?: string;
}
