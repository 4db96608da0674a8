import { useEffect, useRef, useState } from 'react';
import { Button, IconButton, IconChevronDown, IconChevronRight, IconPlus, IconVm } from '../../components';
import { onReconnect } from '../../lib/rpc';
import { redirect, useRoute } from '../../lib/router';
import { hasMod } from '../../lib/keys';
import { useCommands } from '../../stores/commands';
import { DockTabs } from './DockTabs';
import { OpenFailureView } from './OpenFailure';
import { LazyTerminalPane } from './lazy-pane';
import { terminals, useTerminals } from './store';
import './terminals.css';

/** `?terminal=host` or `?terminal=vm` on any route opens one (the tray and other windows use it). */
function useOpenFromRoute(): void {
  const route = useRoute();
  const kind = route.query.get('terminal');
  useEffect(() => {
    if (kind !== 'host' && kind !== 'vm') return;
    const q = new URLSearchParams(route.query);
    q.delete('terminal');
    const rest = q.toString();
    redirect(...route.segments);
    if (rest) location.hash = `${location.hash}?${rest}`;
    void (kind === 'host' ? terminals.openHost() : terminals.openVm());
    // Only a new request matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind]);
}

/** Ctrl+` (Cmd+` on macOS) shows or folds the dock, opening a host shell when there is none. */
function toggleDock(): void {
  const s = useTerminals.getState();
  if (!s.order.length && !s.dockOpen) void terminals.openHost();
  else s.setDockOpen(!s.dockOpen);
}

/**
 * The terminal dock at the bottom of the window: tabs of the core's sessions (they outlive this
 * view: a reload re-attaches), the active one's terminal, a resize handle, and New terminal.
 */
export function TerminalDock() {
  const order = useTerminals((s) => s.order);
  const activeId = useTerminals((s) => s.activeId);
  const active = useTerminals((s) => (s.activeId ? s.byId[s.activeId] : undefined));
  const dockOpen = useTerminals((s) => s.dockOpen);
  const height = useTerminals((s) => s.height);
  const failure = useTerminals((s) => s.failure);
  const pending = useTerminals((s) => s.pending);
  const [menu, setMenu] = useState(false);
  const dragFrom = useRef<{ y: number; h: number } | null>(null);

  useEffect(() => {
    void useTerminals.getState().load();
    return onReconnect(() => void useTerminals.getState().load());
  }, []);
  useOpenFromRoute();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (hasMod(e) && !e.shiftKey && !e.altKey && e.key === '`') {
        e.preventDefault();
        toggleDock();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  useCommands(
    [
      { id: 'terminal.newVm', title: 'New VM terminal', group: 'Terminal', keywords: ['shell', 'lima', 'console'], run: () => void terminals.openVm() },
      { id: 'terminal.toggle', title: 'Show or hide the terminals', group: 'Terminal', keywords: ['dock', 'panel', 'shell'], shortcut: 'Mod+`', run: toggleDock },
    ],
    [],
  );

  const count = order.length;
  return (
    <section className={`term-dock${dockOpen ? ' is-open' : ''}`} aria-label="Terminals" data-testid="terminal-dock">
      {dockOpen && (
        <div
          className="term-dock-resize"
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize the terminals"
          aria-valuenow={height}
          tabIndex={0}
          onKeyDown={(e) => {
            if (e.key === 'ArrowUp') useTerminals.getState().setHeight(height + 24);
            if (e.key === 'ArrowDown') useTerminals.getState().setHeight(height - 24);
          }}
          onPointerDown={(e) => {
            dragFrom.current = { y: e.clientY, h: height };
            e.currentTarget.setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => {
            if (dragFrom.current) useTerminals.getState().setHeight(dragFrom.current.h + dragFrom.current.y - e.clientY);
          }}
          onPointerUp={() => (dragFrom.current = null)}
        />
      )}
      <header className="term-dock-bar">
        <IconButton
          size="sm"
          label={dockOpen ? 'Hide the terminals' : 'Show the terminals'}
          icon={dockOpen ? <IconChevronDown /> : <IconChevronRight />}
          aria-expanded={dockOpen}
          onClick={() => useTerminals.getState().setDockOpen(!dockOpen)}
        />
        {dockOpen ? <DockTabs /> : (
          <button type="button" className="term-dock-title" onClick={() => (count ? useTerminals.getState().setDockOpen(true) : void terminals.openHost())}>
            Terminal{count ? ` · ${count} open` : ''}
          </button>
        )}
        <div className="term-dock-new">
          <Button size="sm" variant="ghost" icon={<IconPlus />} busy={pending} onClick={() => void terminals.openHost()} title="New host terminal (your shell, with docker pointed at Berth's engine)">
            New terminal
          </Button>
          <IconButton size="sm" label="More kinds of terminal" icon={<IconChevronDown />} aria-haspopup="menu" aria-expanded={menu} onClick={() => setMenu(!menu)} />
          {menu && (
            <div className="term-menu" role="menu" onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setMenu(false)}>
              <button type="button" role="menuitem" autoFocus onClick={() => { setMenu(false); void terminals.openHost(); }}>
                Host terminal
              </button>
              <button type="button" role="menuitem" onClick={() => { setMenu(false); void terminals.openVm(); }}>
                <IconVm /> VM terminal
              </button>
            </div>
          )}
        </div>
      </header>
      {dockOpen && (
        <div className="term-dock-body" style={{ height }} id="term-panel" role="tabpanel" aria-labelledby={activeId ? `term-tab-${activeId}` : undefined}>
          {failure && <OpenFailureView failure={failure} />}
          {active ? (
            <LazyTerminalPane key={active.id} info={active} />
          ) : (
            !failure && (
              <p className="term-empty">
                No terminal is open. <Button size="sm" variant="primary" onClick={() => void terminals.openHost()}>Open a host terminal</Button>
              </p>
            )
          )}
        </div>
      )}
    </section>
  );
}
