import { useEffect } from 'react';
import { navigate } from '../lib/router';
import { registerCommands, useCommandStore, type Command } from '../stores/commands';
import { useApp } from '../stores/app';
import { useEngines } from '../stores/engines';
import { PAGES } from './routes';
import { useActionCommands } from './action-commands';
import { terminals } from '../features/terminals/store';

/** The frame's own commands: navigation, theme, zoom, engine re-check, help. */
export function builtinCommands(): Command[] {
  const app = () => useApp.getState();
  return [
    ...PAGES.map((p) => ({
      id: `go.${p.id}`,
      title: `Go to ${p.title}`,
      group: 'Go to',
      keywords: [p.id],
      shortcut: `Mod+${p.digit}`,
      run: () => navigate(p.id),
    })),
    { id: 'view.theme.system', title: 'Theme: follow the system', group: 'View', keywords: ['appearance', 'auto'], run: () => void app().setTheme('system') },
    { id: 'view.theme.light', title: 'Theme: light', group: 'View', keywords: ['appearance'], run: () => void app().setTheme('light') },
    { id: 'view.theme.dark', title: 'Theme: dark', group: 'View', keywords: ['appearance', 'night'], run: () => void app().setTheme('dark') },
    { id: 'view.zoom.in', title: 'Zoom in', group: 'View', keywords: ['bigger', 'larger'], shortcut: 'Mod+=', run: () => void app().zoomBy(1) },
    { id: 'view.zoom.out', title: 'Zoom out', group: 'View', keywords: ['smaller'], shortcut: 'Mod+-', run: () => void app().zoomBy(-1) },
    { id: 'view.zoom.reset', title: 'Reset zoom', group: 'View', keywords: ['actual size', '100%'], shortcut: 'Mod+0', run: () => void app().setZoom(1) },
    { id: 'terminal.newHost', title: 'New host terminal', group: 'Terminal', keywords: ['shell', 'console', 'docker', 'command line'], run: () => void terminals.openHost() },
    { id: 'engine.recheck', title: 'Check the engine again', group: 'Engine', keywords: ['refresh', 'reconnect', 'status'], run: () => useEngines.getState().load() },
    { id: 'help.shortcuts', title: 'Keyboard shortcuts', group: 'Help', keywords: ['keys', 'help'], shortcut: '?', run: () => useCommandStore.getState().setHelpOpen(true) },
  ];
}

export function useBuiltinCommands(): void {
  useEffect(() => registerCommands(builtinCommands()), []);
  useActionCommands();
}
