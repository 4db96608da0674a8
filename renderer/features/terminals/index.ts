/** The terminal dock: sessions of the core (host, container and VM shells) that outlive their views. */
export { TerminalDock } from './TerminalDock';
export { TerminalPane } from './TerminalPane';
export { terminals, useTerminals } from './store';
export { splitCommand } from './OpenFailure';
export { IconTerminal } from './IconTerminal';
export { openDebugShell } from './debug-shell';
