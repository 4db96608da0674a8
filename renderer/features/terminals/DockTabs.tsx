import { useState, type KeyboardEvent } from 'react';
import type { TerminalInfo } from '../../../app/contract/terminals';
import { cx, IconButton, IconClose, StatusDot } from '../../components';
import { useTerminals } from './store';

/**
 * The dock's tabs: click to show, double-click or F2 to rename, drag (or Alt+Shift+Arrow) to
 * reorder, the cross (or Delete) to close.
 */
export function DockTabs() {
  const order = useTerminals((s) => s.order);
  const byId = useTerminals((s) => s.byId);
  const activeId = useTerminals((s) => s.activeId);
  const { activate, close, rename, move } = useTerminals.getState();
  const [editing, setEditing] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);

  const onKey = (e: KeyboardEvent, t: TerminalInfo, i: number) => {
    if (e.key === 'F2') {
      e.preventDefault();
      setEditing(t.id);
    } else if (e.altKey && e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      void move(t.id, Math.max(0, i + (e.key === 'ArrowLeft' ? -1 : 1)));
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      const next = order[(i + (e.key === 'ArrowLeft' ? order.length - 1 : 1)) % order.length];
      if (next) {
        activate(next);
        document.getElementById(`term-tab-${next}`)?.focus();
      }
    } else if (e.key === 'Delete') {
      e.preventDefault();
      void close(t.id);
    }
  };

  return (
    <div className="term-tabs" role="tablist" aria-label="Terminals">
      {order.map((id, i) => {
        const t = byId[id];
        if (!t) return null;
        const active = id === activeId;
        return (
          <div
            key={id}
            role="presentation"
            className={cx('term-tab', active && 'is-active', dragging === id && 'is-dragging')}
            draggable={editing !== id}
            onDragStart={(e) => {
              setDragging(id);
              e.dataTransfer.setData('text/x-berth-terminal', id);
              e.dataTransfer.effectAllowed = 'move';
            }}
            onDragEnd={() => setDragging(null)}
            onDragOver={(e) => {
              if (dragging && dragging !== id) e.preventDefault();
            }}
            onDrop={(e) => {
              e.preventDefault();
              const from = e.dataTransfer.getData('text/x-berth-terminal');
              if (from && from !== id) void move(from, i);
              setDragging(null);
            }}
          >
            {editing === id ? (
              <input
                className="input term-tab-rename"
                aria-label="Terminal name"
                defaultValue={t.title}
                autoFocus
                maxLength={100}
                onFocus={(e) => e.currentTarget.select()}
                onBlur={(e) => {
                  const v = e.currentTarget.value.trim();
                  setEditing(null);
                  if (v && v !== t.title) void rename(id, v);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') e.currentTarget.blur();
                  if (e.key === 'Escape') {
                    e.currentTarget.value = t.title;
                    e.currentTarget.blur();
                  }
                }}
              />
            ) : (
              <button
                type="button"
                role="tab"
                id={`term-tab-${id}`}
                aria-selected={active}
                aria-controls="term-panel"
                tabIndex={active ? 0 : -1}
                className="term-tab-label"
                title={`${t.title}: ${t.command.join(' ')} (double-click or F2 to rename, Delete to close)`}
                onClick={() => activate(id)}
                onDoubleClick={() => setEditing(id)}
                onKeyDown={(e) => onKey(e, t, i)}
              >
                <StatusDot status={t.state === 'running' ? 'up' : 'idle'} />
                <span className="term-tab-title">{t.title}</span>
                {t.state === 'exited' && <span className="term-tab-exit">{t.exitCode === null ? 'ended' : `exit ${t.exitCode}`}</span>}
              </button>
            )}
            {/* Out of the tab order and the accessibility tree (a tablist holds only tabs): Delete on a tab closes it too. */}
            <IconButton size="sm" label={`Close ${t.title}`} icon={<IconClose />} tabIndex={-1} aria-hidden onClick={() => void close(id)} />
          </div>
        );
      })}
    </div>
  );
}
