import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { ContainerAlert } from '../../../app/contract/alerts';
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

describe('container alerts in the desktop app', () => {
  it('shows an OS notification per alert; clicking it opens that container\'s logs', async () => {
    const { showContainerAlerts } = await import('../../../electron/main/alerts');
    let emit: ((a: ContainerAlert) => void) | null = null;
    const shown: string[] = [];
    const opened: string[] = [];
    let click: (() => void) | null = null;
    const stop = showContainerAlerts({
      alerts: {
        subscribe: (l) => {
          emit = l;
          return () => (emit = null);
        },
      },
      isSupported: () => true,
      create: (o) => ({ on: (_e, cb) => (click = cb), show: () => shown.push(`${o.title} | ${o.body}`) }),
      openLogs: (h) => opened.push(h),
    });
    emit!({ engineId: 'local', containerId: 'abc123', name: 'web', kind: 'exited', exitCode: 1, title: 'web exited with code 1', body: 'Image x. Click to see its logs.', at: 1 });
    expect(shown).toEqual(['web exited with code 1 | Image x. Click to see its logs.']);
    click!();
    expect(opened).toEqual(['#/containers/abc123/logs']);
    stop();
    expect(emit).toBeNull();
  });
});
