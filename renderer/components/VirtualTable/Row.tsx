import { memo, type MouseEvent, type ReactNode, type Ref } from 'react';
import type { RowPending } from '../../lib/entity-store';
import { IconButton } from '../IconButton';
import { IconClose, IconError } from '../Icons';
import { Spinner } from '../Spinner';
import { cx } from '../cx';
import type { Column, RowActionContext } from './types';

export interface RowProps<T> {
  row: T;
  id: string;
  domId: string;
  index: number;
  start: number;
  columns: readonly Column<T>[];
  selectable: boolean;
  selected: boolean;
  active: boolean;
  pending: RowPending | undefined;
  label: string;
  className: string | undefined;
  hasActions: boolean;
  rowActions: ((row: T, ctx: RowActionContext) => ReactNode) | undefined;
  measureRef: Ref<HTMLDivElement>;
  onRowMouseDown(e: MouseEvent, id: string): void;
  onToggle(e: MouseEvent, id: string): void;
  onActivate(id: string): void;
  /** A plain click activates the row (see VirtualTableProps.activateOnClick). */
  onRowClick: ((e: MouseEvent, id: string) => void) | undefined;
  onDismissError: ((id: string) => void) | undefined;
}

/** What a row shows; not its place (index, offset), so a row that only moves is not rendered again. */
type BodyProps<T> = Omit<RowProps<T>, 'domId' | 'index' | 'start' | 'measureRef' | 'onRowMouseDown' | 'onRowClick' | 'onActivate' | 'className'>;

function RowBodyImpl<T>(p: BodyProps<T>) {
  const busy = p.pending !== undefined && p.pending.error === undefined;
  const error = p.pending?.error;
  const tabIndex = p.active ? 0 : -1;
  return (
    <>
      {p.selectable && (
        <div role="gridcell" className="vt-cell vt-check">
          <input
            type="checkbox"
            tabIndex={-1}
            checked={p.selected}
            aria-label={`Select ${p.label}`}
            onMouseDown={(e) => e.stopPropagation()}
            onClick={(e) => p.onToggle(e, p.id)}
            onChange={() => undefined}
          />
        </div>
      )}
      {p.columns.map((c) => (
        <div key={c.id} role="gridcell" className={cx('vt-cell', c.align === 'end' && 'vt-end', c.className)}>
          {c.cell(p.row)}
        </div>
      ))}
      {p.hasActions && (
        <div role="gridcell" className="vt-cell vt-actions" onMouseDown={(e) => e.stopPropagation()}>
          <div className="vt-actions-in">
            {busy ? (
              <span className="vt-pending">
                <Spinner />
                <span>{p.pending?.action}…</span>
              </span>
            ) : (
              p.rowActions?.(p.row, { active: p.active, tabIndex })
            )}
          </div>
        </div>
      )}
      {error && (
        <div role="gridcell" className="vt-row-error">
          <IconError className="vt-row-error-icon" />
          <span className="vt-row-error-text">
            <strong>{p.pending?.action} failed:</strong> {error.message}
            {error.hint ? ` ${error.hint}` : ''}
          </span>
          <code className="error-code">{error.code}</code>
          {p.onDismissError && (
            <IconButton
              label={`Dismiss the error on ${p.label}`}
              icon={<IconClose />}
              size="sm"
              tabIndex={tabIndex}
              onMouseDown={(e) => e.stopPropagation()}
              onClick={() => p.onDismissError?.(p.id)}
            />
          )}
        </div>
      )}
    </>
  );
}

const RowBody = memo(RowBodyImpl) as typeof RowBodyImpl;

/** The props of the body: all but the row's place and its own handlers. */
function bodyOf<T>(p: RowProps<T>): BodyProps<T> {
  const { domId: _d, index: _i, start: _s, measureRef: _m, onRowMouseDown: _md, onRowClick: _c, onActivate: _a, className: _cn, ...body } = p;
  return body;
}

function RowImpl<T>(p: RowProps<T>) {
  const busy = p.pending !== undefined && p.pending.error === undefined;
  const error = p.pending?.error;
  return (
    <div
      ref={p.measureRef}
      role="row"
      id={p.domId}
      data-index={p.index}
      data-row-id={p.id}
      aria-rowindex={p.index + 2}
      aria-selected={p.selectable ? p.selected : undefined}
      aria-busy={busy || undefined}
      className={cx('vt-row', p.className, p.selected && 'is-selected', p.active && 'is-active', busy && 'is-busy', error && 'has-error')}
      style={{ transform: `translateY(${p.start}px)` }}
      onMouseDown={(e) => {
        // A double-click opens the row: it must not select the text under the pointer.
        if (e.detail > 1) e.preventDefault();
        p.onRowMouseDown(e, p.id);
      }}
      onClick={p.onRowClick ? (e) => p.onRowClick?.(e, p.id) : undefined}
      onDoubleClick={() => p.onActivate(p.id)}
    >
      <RowBody {...bodyOf(p)} />
    </div>
  );
}

export const Row = memo(RowImpl) as typeof RowImpl;
