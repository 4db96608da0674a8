import type { BrowserWindow } from 'electron';

/** The renderer's route of the Preferences page. */
export const PREFERENCES_HASH = '#/preferences';

/** A script that moves the page to a route (a hash change: no reload, the app keeps its state). */
export const routeScript = (hash: string): string => `window.location.hash = ${JSON.stringify(hash)};`;

/** Shows the Preferences page in `win` (already shown and focused by the caller). */
export function showPreferences(win: BrowserWindow): void {
  showRoute(win, PREFERENCES_HASH);
}

/** Moves `win`'s page to `hash` (once it has loaded). */
export function showRoute(win: BrowserWindow, hash: string): void {
  const go = () => void win.webContents.executeJavaScript(routeScript(hash)).catch(() => undefined);
  if (win.webContents.isLoading()) win.webContents.once('did-finish-load', go);
  else go();
}

export interface LoginItemApi {
  setLoginItemSettings(s: { openAtLogin: boolean }): void;
}

/** Keeps the OS login item in step with `behaviour.startAtLogin`; returns the function that stops following. */
export function followStartAtLogin(app: LoginItemApi, settings: { get(): { behaviour: { startAtLogin: boolean } }; onChange(cb: (s: { behaviour: { startAtLogin: boolean } }) => void): () => void }): () => void {
  let last: boolean | null = null;
  const apply = (on: boolean) => {
    if (on === last) return;
    last = on;
    app.setLoginItemSettings({ openAtLogin: on });
  };
  apply(settings.get().behaviour.startAtLogin);
  return settings.onChange((s) => apply(s.behaviour.startAtLogin));
}
