import { useCallback, useMemo, type KeyboardEvent } from 'react';
import type { ContainerSummary } from '../../../app/contract/containers';
import type { RowPending } from '../../lib/entity-store';
import { VirtualTable } from '../../components/VirtualTable';
import type { RowActionContext, SortState } from '../../components/VirtualTable/types';
import { useContainers } from '../../stores/containers';
import { COMPACT_COLUMNS } from './columns';
import { useChosenColumns } from './column-prefs';
import { groupRowId, type ListRow } from './model';
import { askRemove } from './remove-confirm';
import { ContainerRowActions, GroupRowActions } from './RowActions';
import { useContainersView } from './view-store';
import { useOutage } from './outage';

export interface ContainerListProps {
  rows: ListRow[];
  /** Selected container ids (group rows show as selected when all their members are). */
  selected: ReadonlySet<string>;
  onSelectedChange(next: Set<string>): void;
  activeId: string | null;
  onActiveChange(id: string | null): void;
  onOpen(c: ContainerSummary): void;
  compact: boolean;
  empty: React.ReactNode;
  /** What filters the rows (state filter and query): see VirtualTableProps.filterKey. */
  filterKey?: string;
}

const rowId = (r: ListRow) => r.id;
const rowLabel = (r: ListRow) => (r.kind === 'group' ? `compose project ${r.project}` : r.c.name);

/** The virtualized containers grid: compose groups, per-row actions, pending and errors on the row. */
export function ContainerList({ rows, selected, onSelectedChange, activeId, onActiveChange, onOpen, compact, empty, filterKey }: ContainerListProps) {
  const pending: Record<string, RowPending> = useContainers((s) => s.pending);
  const dismiss = useContainers((s) => s.dismissRowError);
  const sort = useContainersView((s) => s.sort);
  const setSort = useContainersView((s) => s.setSort);
  const toggleGroup = useContainersView((s) => s.toggleGroup);
  const stale = useOutage((s) => s.outage !== null);
  const chosen = useChosenColumns();
  // During an outage the state column says what was last seen.
  const columns = useMemo(() => (compact ? COMPACT_COLUMNS : chosen).map((c) => (stale && c.id === 'state' ? { ...c, header: 'Last seen' } : c)), [compact, chosen, stale]);
  const rowClass = useCallback(
    (r: ListRow) => [r.kind === 'group' ? 'ctr-group-row' : r.group !== null ? 'ctr-member-row' : '', stale ? 'is-stale' : ''].filter(Boolean).join(' ') || undefined,
    [stale],
  );

  const groups = useMemo(() => rows.filter((r): r is Extract<ListRow, { kind: 'group' }> => r.kind === 'group'), [rows]);
  const shownSelection = useMemo(() => {
    if (selected.size === 0) return selected;
    const s = new Set(selected);
    for (const g of groups) if (g.members.every((m) => selected.has(m.id))) s.add(g.id);
    return s;
  }, [selected, groups]);

  const onSelect = useCallback(
    (next: Set<string>) => {
      const out = new Set<string>();
      for (const id of next) if (!id.startsWith('group:')) out.add(id);
      for (const g of groups) {
        const was = shownSelection.has(g.id);
        const now = next.has(g.id);
        if (now && !was) g.members.forEach((m) => out.add(m.id));
        if (!now && was) g.members.forEach((m) => out.delete(m.id));
      }
      onSelectedChange(out);
    },
    [groups, shownSelection, onSelectedChange],
  );

  const onActivate = useCallback(
    (r: ListRow) => {
      if (r.kind === 'group') toggleGroup(r.project);
      else onOpen(r.c);
    },
    [toggleGroup, onOpen],
  );

  const onRowKeyDown = useCallback(
    (e: KeyboardEvent, r: ListRow) => {
      if (e.key === 'Delete') {
        e.preventDefault();
        const picked = rows.flatMap((x) => (x.kind === 'container' && selected.has(x.id) ? [x.c] : []));
        if (picked.length > 0) askRemove(picked);
        else if (r.kind === 'container') askRemove([r.c]);
        else askRemove(r.members, r.project);
      } else if (r.kind === 'group' && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
        e.preventDefault();
        toggleGroup(r.project, e.key === 'ArrowRight');
      } else if (r.kind === 'container' && r.group !== null && e.key === 'ArrowLeft') {
        e.preventDefault();
        onActiveChange(groupRowId(r.group));
      }
    },
    [rows, selected, toggleGroup, onActiveChange],
  );

  const rowActions = useCallback(
    (r: ListRow, ctx: RowActionContext) =>
      r.kind === 'group' ? (
        <GroupRowActions row={r} tabIndex={ctx.tabIndex} compact={compact} />
      ) : (
        <ContainerRowActions c={r.c} tabIndex={ctx.tabIndex} compact={compact} onOpen={() => onOpen(r.c)} />
      ),
    [onOpen, compact],
  );

  return (
    <VirtualTable<ListRow>
      className="ctr-table"
      label="Containers"
      rows={rows}
      rowId={rowId}
      rowLabel={rowLabel}
      rowClassName={rowClass}
      columns={columns}
      manualSort
      sort={sort}
      onSortChange={(s: SortState) => setSort(s)}
      selected={shownSelection}
      onSelectedChange={onSelect}
      pending={pending}
      onDismissRowError={dismiss}
      rowActions={rowActions}
      actionsWidth={compact ? '1.5rem' : '9.5rem'}
      activeId={activeId}
      onActiveChange={onActiveChange}
      onActivate={onActivate}
      activateOnClick
      onRowKeyDown={onRowKeyDown}
      empty={empty}
      filterKey={filterKey}
    />
  );
}
