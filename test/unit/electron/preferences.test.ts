import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildAppMenuTemplate } from '../../../electron/main/menu';
import { followStartAtLogin, PREFERENCES_HASH, routeScript } from '../../../electron/main/preferences';

const items = (t: MenuItemConstructorOptions[]) => t.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : []));
const base = { openLogFolder: () => undefined, showAbout: () => undefined, zoom: () => undefined };

describe('the Preferences menu item and start at login', () => {
  it('is in the app menu on macOS and in File elsewhere, with Mod+, and it opens Preferences', () => {
    const calls: string[] = [];
    const actions = { ...base, openPreferences: () => calls.push('prefs') };
    const mac = buildAppMenuTemplate({ platform: 'darwin', packaged: true, actions });
    const linux = buildAppMenuTemplate({ platform: 'linux', packaged: true, actions });
    const macItem = (mac[0]?.submenu as MenuItemConstructorOptions[]).find((i) => i.id === 'preferences');
    const linuxFile = linux.find((m) => m.label === 'File')?.submenu as MenuItemConstructorOptions[];
    const linuxItem = linuxFile.find((i) => i.id === 'preferences');
    expect(macItem?.accelerator).toBe('CmdOrCtrl+,');
    expect(linuxItem).toMatchObject({ label: 'Preferences', accelerator: 'CmdOrCtrl+,' });
    (linuxItem?.click as () => void)();
    expect(calls).toEqual(['prefs']);
    expect(items(buildAppMenuTemplate({ platform: 'linux', packaged: true, actions: base })).some((i) => i.id === 'preferences')).toBe(false);
  });

  it('moves the page to #/preferences with a hash change', () => {
    expect(routeScript(PREFERENCES_HASH)).toBe('window.location.hash = "#/preferences";');
  });

  it('follows behaviour.startAtLogin, telling the OS only when it changes', () => {
    const told: boolean[] = [];
    let listener: ((s: { behaviour: { startAtLogin: boolean } }) => void) | null = null;
    const stop = followStartAtLogin(
      { setLoginItemSettings: (s) => told.push(s.openAtLogin) },
      {
        get: () => ({ behaviour: { startAtLogin: false } }),
        onChange: (cb) => {
          listener = cb;
          return () => (listener = null);
        },
      },
    );
    listener!({ behaviour: { startAtLogin: true } });
    listener!({ behaviour: { startAtLogin: true } });
    listener!({ behaviour: { startAtLogin: false } });
    expect(told).toEqual([false, true, false]);
    stop();
    expect(listener).toBeNull();
  });
});
