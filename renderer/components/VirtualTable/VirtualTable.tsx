import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { hasMod } from '../../lib/keys';
import { whenIdle } from '../../lib/lazy-part';
import { cx } from '../cx';
import { gridMinRem } from './fit';
import { IconArrowDown, IconArrowUp } from '../Icons';
import { Row } from './Row';
import { rangeIds } from './selection';
import { createRowSorter, toggleSort } from './sort';
import type { SortState, VirtualTableProps } from './types';

const remPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

/**
 * A row's height for the virtualizer. A row seen by the ResizeObserver has its measured size. A
 * row just mounted is read at once only when it can differ from the estimate (it shows an error
 * line): reading every new row's offsetHeight forced a layout in the middle of each commit (the
 * largest single cost of a filter keystroke); a plain row keeps the size known for its key (or
 * the estimate), and the observer corrects it if it ever differs.
 */
function measureRow(el: Element, entry: ResizeObserverEntry | undefined, v: Virtualizer<HTMLDivElement, Element>): number {
  const box = entry?.borderBoxSize?.[0];
  if (box) return Math.round(box.blockSize);
  if (el.classList.contains('has-error')) return (el as HTMLElement).offsetHeight;
  const index = v.indexFromElement(el);
  return v.itemSizeCache.get(v.options.getItemKey(index)) ?? v.options.estimateSize(index);
}

interface Slots {
  /** The element (a React key) each shown row had in the last commit. */
  byId: Map<string, number>;
  next: number;
  filterKey: string | undefined;
}

/**
 * The React key of each shown row. A row keeps its key while it stays in view. When `filterKey`
 * changed since the last commit, a row coming into view takes the key (and so the elements) of a
 * row that left, in the order they were shown, so that React updates those elements in place; a
 * row that holds the focus is never handed on. Otherwise a new row gets a key of its own.
 */
function useRowSlots(shown: readonly string[], filterKey: string | undefined, baseId: string, v: Virtualizer<HTMLDivElement, Element>): Map<string, number> {
  const committed = useRef<Slots>({ byId: new Map(), next: 0, filterKey });
  const last = committed.current;
  const free: number[] = [];
  if (filterKey !== last.filterKey) {
    const here = new Set(shown);
    const focused = document.activeElement;
    for (const [id, slot] of last.byId) {
      if (here.has(id)) continue;
      if (focused && document.getElementById(`${baseId}-r-${id}`)?.contains(focused)) continue;
      free.push(slot);
    }
  }
  let next = last.next;
  const byId = new Map<string, number>();
  const handedOn: string[] = [];
  for (const id of shown) {
    const kept = last.byId.get(id);
    if (kept !== undefined) byId.set(id, kept);
    else if (free.length > 0) {
      byId.set(id, free.shift() as number);
      handedOn.push(id);
    } else byId.set(id, next++);
  }
  useLayoutEffect(() => {
    committed.current = { byId, next, filterKey };
    if (handedOn.length === 0) return;
    // The virtualizer knows its rows' elements by key (to observe their size): forget the keys of
    // elements that now show another row, and tell it which row each handed-on element shows.
    for (const [key, el] of v.elementsCache) if ((el as HTMLElement).dataset.rowId !== key) v.elementsCache.delete(key);
    for (const id of handedOn) {
      const el = document.getElementById(`${baseId}-r-${id}`);
      if (el) v.measureElement(el);
    }
  });
  return byId;
}

/**
 * A virtualized data grid (thousands of rows): sortable columns, a sticky header, keyboard
 * row navigation (arrows, Home/End, PageUp/PageDown, Enter, Space, Mod+A, Escape), multi-select
 * with checkboxes and Shift+click, a row-actions slot, and per-row pending spinner and error line.
 * Focus stays on the grid; the active row is exposed with aria-activedescendant.
 */
export function VirtualTable<T>(props: VirtualTableProps<T>) {
  const { rows, rowId, columns, label, rowLabel, selected, onSelectedChange, pending, rowActions, onActivate, onRowKeyDown, empty } = props;
  const selectable = selected !== undefined && onSelectedChange !== undefined;
  const hasActions = rowActions !== undefined;
  const baseId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const headerRef = useRef<HTMLDivElement>(null);
  const [headerPx, setHeaderPx] = useState(32);

  const [innerSort, setInnerSort] = useState<SortState | null>(props.defaultSort ?? null);
  const sort = props.sort ?? innerSort;
  const setSort = (next: SortState) => (props.onSortChange ? props.onSortChange(next) : setInnerSort(next));
  const manualSort = props.manualSort ?? false;
  // Typing in a filter hands a part of the last list: its order is picked out of the last sort.
  const [sortRowsKept] = useState(createRowSorter<T>);
  const sorted = useMemo(() => (manualSort ? rows : sortRowsKept(rows, columns, sort)), [rows, columns, sort, manualSort, sortRowsKept]);
  const order = useMemo(() => sorted.map(rowId), [sorted, rowId]);
  const indexOf = useMemo(() => new Map(order.map((id, i) => [id, i])), [order]);
  const byId = useMemo(() => new Map(sorted.map((r, i) => [order[i] as string, r])), [sorted, order]);

  const [innerActive, setInnerActive] = useState<string | null>(null);
  const activeId = props.activeId !== undefined ? props.activeId : innerActive;
  const setActive = (id: string | null) => {
    setInnerActive(id);
    props.onActiveChange?.(id);
  };
  const activeIndex = activeId === null ? -1 : (indexOf.get(activeId) ?? -1);
  const anchor = useRef<string | null>(null);

  // The visible width of the grid (its scrollport, without a vertical scroll bar).
  const [viewPx, setViewPx] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = () => setViewPx(el.clientWidth);
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Read once per render, not once per row (getComputedStyle for each of thousands of estimates).
  const rem = remPx();
  const tracks = [selectable ? '2rem' : null, ...columns.map((c) => c.width)].filter((t): t is string => t !== null);
  const actionsTrack = props.actionsWidth ?? '6rem';
  // Narrower than every column and the actions need: the actions take no column of their own but
  // are laid over the row's right end while they show (hover, active row, focus), so the columns fit.
  const overlayActions = hasActions && viewPx !== null && viewPx < gridMinRem([...tracks, actionsTrack]) * rem;
  const template = [...tracks, hasActions ? (overlayActions ? '0rem' : actionsTrack) : null].filter(Boolean).join(' ');
  // Below the columns' own minimums the grid scrolls sideways: every column stays reachable (the actions need no room then).
  const minWidth = props.minWidth ?? `${gridMinRem(hasActions ? [...tracks, '0rem'] : tracks)}rem`;

  const rowPx = (props.rowHeightRem ?? 2) * rem;
  // The rows just below the viewport (overscan) mount once the page is idle after its first rows: nothing on
  // screen waits for them. Scrolling before then renders the rows it brings into view, as always.
  const [settled, setSettled] = useState(false);
  const hasRows = sorted.length > 0;
  useEffect(() => (settled || !hasRows ? undefined : whenIdle(() => setSettled(true))), [settled, hasRows]);
  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowPx,
    measureElement: measureRow,
    getItemKey: (i) => order[i] ?? i,
    // Rows beyond the viewport kept rendered: each is mounted on every filter keystroke that changes the list.
    overscan: settled ? 4 : 0,
    scrollMargin: headerPx,
    scrollPaddingStart: headerPx,
  });

  useLayoutEffect(() => {
    const el = headerRef.current;
    if (!el) return;
    const update = () => {
      setHeaderPx(el.offsetHeight);
      virtualizer.measure();
    };
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, [virtualizer]);

  // The active row left the list (removed or filtered out): forget it.
  useEffect(() => {
    if (activeId !== null && !indexOf.has(activeId) && props.activeId === undefined) setInnerActive(null);
  }, [activeId, indexOf, props.activeId]);

  const moveTo = (index: number, extend: boolean) => {
    if (sorted.length === 0) return;
    const i = Math.max(0, Math.min(sorted.length - 1, index));
    const id = order[i] as string;
    setActive(id);
    virtualizer.scrollToIndex(i, { align: 'auto' });
    if (extend && selectable) {
      const from = anchor.current ?? activeId ?? id;
      anchor.current = from;
      onSelectedChange(new Set([...selected, ...rangeIds(order, from, id)]));
    } else if (!extend) {
      anchor.current = id;
    }
  };

  const toggle = (id: string) => {
    if (!selectable) return;
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    anchor.current = id;
    onSelectedChange(next);
  };

  const pageRows = () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowPx) - 1);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return; // keys in row buttons belong to them
    const cur = activeIndex;
    const shift = e.shiftKey;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(cur + 1, shift);
        break;
      case 'ArrowUp':
        moveTo(cur === -1 ? 0 : cur - 1, shift);
        break;
      case 'PageDown':
        moveTo(cur + pageRows(), shift);
        break;
      case 'PageUp':
        moveTo(cur - pageRows(), shift);
        break;
      case 'Home':
        moveTo(0, shift);
        break;
      case 'End':
        moveTo(sorted.length - 1, shift);
        break;
      case ' ':
        if (activeId === null) return;
        toggle(activeId);
        break;
      case 'Enter': {
        const row = activeId === null ? undefined : byId.get(activeId);
        if (!row || !onActivate) return;
        onActivate(row);
        break;
      }
      case 'Escape':
        if (!selectable || selected.size === 0) return;
        onSelectedChange(new Set());
        break;
      default: {
        if (selectable && (e.key === 'a' || e.key === 'A') && hasMod(e)) {
          onSelectedChange(new Set(order));
          break;
        }
        const row = activeId === null ? undefined : byId.get(activeId);
        if (row && onRowKeyDown) onRowKeyDown(e, row);
        return;
      }
    }
    e.preventDefault();
  };

  // Stable row callbacks (rows are memoized) that read the latest state through a ref.
  const latest = useRef({ toggle, setActive, selectable, selected, onSelectedChange, order, activeId, byId, onActivate });
  useLayoutEffect(() => {
    latest.current = { toggle, setActive, selectable, selected, onSelectedChange, order, activeId, byId, onActivate };
  });
  const onRowMouseDown = useCallback((e: MouseEvent, id: string) => {
    const l = latest.current;
    if (e.button !== 0) return;
    if (l.selectable && l.onSelectedChange && l.selected) {
      if (e.shiftKey) {
        e.preventDefault(); // no text selection
        const from = anchor.current ?? l.activeId ?? id;
        l.onSelectedChange(new Set([...l.selected, ...rangeIds(l.order, from, id)]));
      } else if (hasMod(e)) {
        l.toggle(id);
      } else {
        anchor.current = id;
      }
    }
    l.setActive(id);
    scrollRef.current?.focus({ preventScroll: true });
  }, []);
  const onToggle = useCallback((e: MouseEvent, id: string) => {
    const l = latest.current;
    l.setActive(id);
    if (e.shiftKey && anchor.current && l.onSelectedChange && l.selected) {
      l.onSelectedChange(new Set([...l.selected, ...rangeIds(l.order, anchor.current, id)]));
      anchor.current = id;
    } else {
      l.toggle(id);
    }
    scrollRef.current?.focus({ preventScroll: true });
  }, []);
  const onRowClick = useCallback((e: MouseEvent, id: string) => {
    const l = latest.current;
    if (e.button !== 0 || e.shiftKey || hasMod(e) || !l.onActivate) return;
    // The row's own controls (checkbox, buttons, links, the actions and error cells) keep their clicks.
    const t = e.target as Element;
    if (t.closest('button, a, input, select, textarea, label, .vt-check, .vt-actions, .vt-row-error')) return;
    // Text being selected by a drag is not a click.
    if ((window.getSelection()?.toString() ?? '') !== '') return;
    const row = l.byId.get(id);
    if (row) l.onActivate(row);
  }, []);
  const onRowActivate = useCallback((id: string) => {
    const l = latest.current;
    const row = l.byId.get(id);
    if (row && l.onActivate) l.onActivate(row);
  }, []);

  const items = virtualizer.getVirtualItems();
  const slotOf = useRowSlots(items.map((it) => order[it.index] as string), props.filterKey, baseId, virtualizer);
  const activeRendered = activeIndex !== -1 && items.some((it) => it.index === activeIndex);
  const allSelected = selectable && order.length > 0 && order.every((id) => selected.has(id));
  const someSelected = selectable && !allSelected && order.some((id) => selected.has(id));

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label={label}
      aria-rowcount={sorted.length + 1}
      aria-colcount={columns.length + (selectable ? 1 : 0) + (hasActions ? 1 : 0)}
      aria-multiselectable={selectable || undefined}
      aria-activedescendant={activeRendered && activeId !== null ? `${baseId}-r-${activeId}` : undefined}
      tabIndex={0}
      className={cx('vt', overlayActions && 'vt-actions-overlay', props.className)}
      style={{
        ['--vt-cols' as string]: template,
        ['--vt-min-width' as string]: minWidth,
        ...(viewPx !== null ? { ['--vt-view-w' as string]: `${viewPx}px` } : {}),
      }}
      onKeyDown={onKeyDown}
    >
      <div ref={headerRef} role="row" aria-rowindex={1} className="vt-header">
        {selectable && (
          <div role="columnheader" className="vt-cell vt-check">
            <input
              type="checkbox"
              tabIndex={-1}
              aria-label="Select all rows"
              checked={allSelected}
              ref={(el) => {
                if (el) el.indeterminate = someSelected;
              }}
              onChange={() => onSelectedChange(allSelected ? new Set() : new Set(order))}
            />
          </div>
        )}
        {columns.map((c) => {
          const dir = sort?.column === c.id ? sort.direction : null;
          return (
            <div
              key={c.id}
              role="columnheader"
              aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}
              className={cx('vt-cell', 'vt-th', c.align === 'end' && 'vt-end')}
            >
              {c.sortValue ? (
                <button type="button" className="vt-sort" onClick={() => setSort(toggleSort(sort, c.id))}>
                  <span className={cx(c.hideHeader && 'visually-hidden')}>{c.header}</span>
                  {dir === 'asc' && <IconArrowUp className="vt-sort-icon" />}
                  {dir === 'desc' && <IconArrowDown className="vt-sort-icon" />}
                </button>
              ) : (
                <span className={cx(c.hideHeader && 'visually-hidden')}>{c.header}</span>
              )}
            </div>
          );
        })}
        {hasActions && (
          <div role="columnheader" className="vt-cell vt-actions">
            <span className="visually-hidden">Actions</span>
          </div>
        )}
      </div>
      {sorted.length === 0 ? (
        empty && <div className="vt-empty">{empty}</div>
      ) : (
        <div role="rowgroup" className="vt-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((it) => {
            const row = sorted[it.index] as T;
            const id = order[it.index] as string;
            return (
              <Row
                key={slotOf.get(id)}
                row={row}
                id={id}
                domId={`${baseId}-r-${id}`}
                index={it.index}
                start={it.start - headerPx}
                columns={columns}
                selectable={selectable}
                selected={selectable && selected.has(id)}
                active={id === activeId}
                pending={pending?.[id]}
                label={rowLabel(row)}
                className={props.rowClassName?.(row)}
                hasActions={hasActions}
                rowActions={rowActions}
                measureRef={virtualizer.measureElement}
                onRowMouseDown={onRowMouseDown}
                onToggle={onToggle}
                onActivate={onRowActivate}
                onRowClick={props.activateOnClick ? onRowClick : undefined}
                onDismissError={props.onDismissRowError}
              />
            );
          })}
        </div>
      )}
    </div>
  );
}
