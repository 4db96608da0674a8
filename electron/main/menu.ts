import type { MenuItemConstructorOptions } from 'electron';

export type ZoomDirection = 'in' | 'out' | 'reset';

export interface MenuActions {
  openLogFolder(): void;
  showAbout(): void;
  /** Changes the `ui.zoom` setting (the window follows it). */
  zoom(direction: ZoomDirection): void;
  /** Shows the window on the Preferences page (the item appears when this is given). */
  openPreferences?(): void;
}

export interface MenuInput {
  platform: NodeJS.Platform;
  /** `app.isPackaged`: a packaged build has no reload and no devtools. */
  packaged: boolean;
  actions: MenuActions;
}

export const ZOOM_MIN = 0.5;
export const ZOOM_MAX = 3;
const ZOOM_STEP = 0.1;

/** The next zoom factor, in steps of 10 %, within the range the settings schema allows. */
export function nextZoom(current: number, direction: ZoomDirection): number {
  if (direction === 'reset' || !Number.isFinite(current)) return 1;
  const next = current + (direction === 'in' ? ZOOM_STEP : -ZOOM_STEP);
  return Math.round(Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, next)) * 100) / 100;
}

const sep: MenuItemConstructorOptions = { type: 'separator' };

/** The application menu as data. */
export function buildAppMenuTemplate(input: MenuInput): MenuItemConstructorOptions[] {
  const mac = input.platform === 'darwin';
  const dev = !input.packaged;
  const { actions } = input;

  const openPreferences = actions.openPreferences;
  const preferences: MenuItemConstructorOptions[] = openPreferences
    ? [{ id: 'preferences', label: mac ? 'Settings…' : 'Preferences', accelerator: 'CmdOrCtrl+,', click: () => openPreferences() }]
    : [];

  const appMenu: MenuItemConstructorOptions = {
    label: 'Berth',
    submenu: [
      { id: 'about', label: 'About Berth', click: () => actions.showAbout() },
      sep,
      ...(preferences.length > 0 ? [...preferences, sep] : []),
      { role: 'services' },
      sep,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      sep,
      { role: 'quit', label: 'Quit Berth' },
    ],
  };

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: mac
      ? [{ role: 'close', label: 'Close Window' }]
      : [...(preferences.length > 0 ? [...preferences, sep] : []), { role: 'close', label: 'Close Window' }, sep, { role: 'quit', label: 'Quit Berth' }],
  };

  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      sep,
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(dev ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, sep] : []),
      { id: 'zoom-in', label: 'Zoom In', accelerator: 'CmdOrCtrl+=', click: () => actions.zoom('in') },
      // Same action on the Plus key (keyboards where + is not Shift+=); hidden from the menu.
      { id: 'zoom-in-plus', label: 'Zoom In', accelerator: 'CmdOrCtrl+Plus', visible: false, acceleratorWorksWhenHidden: true, click: () => actions.zoom('in') },
      { id: 'zoom-out', label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', click: () => actions.zoom('out') },
      { id: 'zoom-reset', label: 'Actual Size', accelerator: 'CmdOrCtrl+0', click: () => actions.zoom('reset') },
      sep,
      { role: 'togglefullscreen' },
    ],
  };

  const windowMenu: MenuItemConstructorOptions = {
    label: 'Window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { id: 'open-log-folder', label: 'Open Log Folder', click: () => actions.openLogFolder() },
      ...(mac ? [] : [sep, { id: 'about', label: 'About Berth', click: () => actions.showAbout() }]),
    ],
  };

  return [...(mac ? [appMenu] : []), file, edit, view, windowMenu, help];
}
