/** The terminal dock: sessions of the core (host, container and VM shells) that outlive their views. */
export { TerminalDock } from './TerminalDock';
// TerminalPane (and xterm with it) is not exported here: it loads on demand (TerminalDock: lazy-pane.tsx; the detail's Terminal tab is itself lazy).
export { terminals, useTerminals } from './store';
export { splitCommand } from './OpenFailure';
export { IconTerminal } from './IconTerminal';
export { openDebugShell } from './debug-shell';
