import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildAppMenuTemplate, nextZoom, ZOOM_MAX, ZOOM_MIN, type ZoomDirection } from '../../../electron/main/menu';

const actions = { openLogFolder: () => undefined, showAbout: () => undefined, zoom: () => undefined };
const flat = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])]);
const roles = (t: MenuItemConstructorOptions[]) => flat(t).map((i) => i.role).filter(Boolean);
const top = (t: MenuItemConstructorOptions[]) => t.map((i) => i.label ?? i.role);

describe('buildAppMenuTemplate', () => {
  it('packaged: no reload and no devtools', () => {
    const t = buildAppMenuTemplate({ platform: 'linux', packaged: true, actions });
    expect(roles(t)).not.toContain('toggleDevTools');
    expect(roles(t)).not.toContain('reload');
    expect(roles(t)).not.toContain('forceReload');
  });

  it('development: reload and devtools in View', () => {
    const t = buildAppMenuTemplate({ platform: 'linux', packaged: false, actions });
    const view = t.find((i) => i.label === 'View');
    expect(roles((view?.submenu as MenuItemConstructorOptions[]) ?? [])).toEqual(expect.arrayContaining(['reload', 'toggleDevTools', 'togglefullscreen']));
  });

  it('macOS has the app menu first, with Quit there; others quit from File', () => {
    const mac = buildAppMenuTemplate({ platform: 'darwin', packaged: true, actions });
    expect(top(mac)).toEqual(['Berth', 'File', 'Edit', 'View', 'Window', 'help']);
    expect(roles([mac[0]!])).toContain('quit');
    expect(roles([mac[1]!])).toEqual(['close']);
    const linux = buildAppMenuTemplate({ platform: 'linux', packaged: true, actions });
    expect(top(linux)).toEqual(['File', 'Edit', 'View', 'Window', 'help']);
    expect(roles([linux[0]!])).toEqual(['close', 'quit']);
  });

  it('menu actions reach their handlers', () => {
    const calls: string[] = [];
    const t = buildAppMenuTemplate({
      platform: 'win32',
      packaged: true,
      actions: { openLogFolder: () => calls.push('logs'), showAbout: () => calls.push('about'), zoom: (d: ZoomDirection) => calls.push(`zoom-${d}`) },
    });
    const byId = new Map(flat(t).filter((i) => i.id).map((i) => [i.id, i]));
    for (const id of ['open-log-folder', 'about', 'zoom-in', 'zoom-out', 'zoom-reset']) (byId.get(id)?.click as () => void)();
    expect(calls).toEqual(['logs', 'about', 'zoom-in', 'zoom-out', 'zoom-reset']);
    expect(byId.get('zoom-in')?.accelerator).toBe('CmdOrCtrl+=');
  });
});

describe('nextZoom', () => {
  it('steps by 10 % within the allowed range', () => {
    expect(nextZoom(1, 'in')).toBe(1.1);
    expect(nextZoom(1.1, 'in')).toBe(1.2);
    expect(nextZoom(1, 'out')).toBe(0.9);
    expect(nextZoom(1.7, 'reset')).toBe(1);
    expect(nextZoom(ZOOM_MAX, 'in')).toBe(ZOOM_MAX);
    expect(nextZoom(ZOOM_MIN, 'out')).toBe(ZOOM_MIN);
    expect(nextZoom(Number.NaN, 'in')).toBe(1);
  });
});
