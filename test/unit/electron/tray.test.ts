import { describe, expect, it } from 'vitest';
import { buildTrayMenuModel, engineTrayState, toMenuTemplate, trayIconPath, trayTooltip, type TrayAction, type TrayState } from '../../../electron/main/tray';

const state = (engine: TrayState['engine'], windowVisible = true): TrayState => ({ engine, vm: 'unknown', windowVisible });
const labels = (s: TrayState) => buildTrayMenuModel(s).map((i) => (i.kind === 'separator' ? '---' : i.label));

describe('buildTrayMenuModel', () => {
  it('engine up: shows what runs, the VM placeholder, and the actions', () => {
    expect(labels(state({ status: 'up', name: 'Docker Engine', version: '27.1.1' }))).toEqual([
      'Hide Berth',
      '---',
      'Docker Engine: running (27.1.1)',
      'VM: not set up yet',
      '---',
      'Quit Berth',
    ]);
  });

  it('engine down, window hidden', () => {
    const model = buildTrayMenuModel(state({ status: 'down', name: 'Docker Engine' }, false));
    expect(model[0]).toEqual({ kind: 'action', id: 'toggle-window', label: 'Show Berth' });
    expect(model).toContainEqual({ kind: 'status', id: 'engine', label: 'Docker Engine: not reachable' });
    expect(trayTooltip(state({ status: 'down', name: 'Docker Engine' }))).toBe('Berth — Docker Engine: not reachable');
  });

  it('status lines are disabled menu items; actions call back with their id', () => {
    const ran: TrayAction[] = [];
    const template = toMenuTemplate(buildTrayMenuModel(state({ status: 'connecting' })), (a) => ran.push(a));
    const vm = template.find((i) => i.id === 'vm');
    expect(vm).toMatchObject({ label: 'VM: not set up yet', enabled: false });
    expect(template.find((i) => i.id === 'engine')).toMatchObject({ label: 'Engine: connecting…', enabled: false });
    for (const item of template) (item.click as (() => void) | undefined)?.();
    expect(ran).toEqual(['toggle-window', 'quit']);
  });
});

describe('engineTrayState', () => {
  const base = { kind: 'docker-api' as const, endpoint: 'unix:///var/run/docker.sock', capabilities: { volumeEvents: true, statsStream: true, namespaces: false, build: true, compose: false, exportContainer: true, pauseUnpause: true } };
  it('describes the active engine', () => {
    const version = { version: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64', product: 'Docker Engine' };
    expect(
      engineTrayState([
        { ...base, id: 'a', name: 'Other', active: false, status: 'down' },
        { ...base, id: 'b', name: 'Local Docker', active: true, status: 'up', version },
      ]),
    ).toEqual({ status: 'up', name: 'Docker Engine', version: '20.10.24' });
  });
  it('an unreachable engine is down, no engine at all says so', () => {
    expect(engineTrayState([{ ...base, id: 'a', name: 'Local Docker', active: true, status: 'down' }])).toEqual({ status: 'down', name: 'Local Docker', version: undefined });
    expect(engineTrayState([])).toEqual({ status: 'none' });
    expect(labels(state({ status: 'none' }))).toContain('No container engine configured');
  });
});

describe('trayIconPath', () => {
  it('uses a template image on macOS only', () => {
    expect(trayIconPath('/r/tray', 'darwin')).toBe('/r/tray/trayTemplate.png');
    expect(trayIconPath('/r/tray', 'linux')).toBe('/r/tray/tray.png');
    expect(trayIconPath('/r/tray', 'win32')).toBe('/r/tray/tray.png');
  });
});

describe('createTray', () => {
  it('follows the change feed (no polling) and stops following on dispose', async () => {
    const { createTray } = await import('../../../electron/main/tray');
    type Item = { kind: string; engineId: string; action: string };
    let listener: ((item: Item) => void) | null = null;
    let unsubscribed = 0;
    let status: 'up' | 'down' = 'down';
    let describes = 0;
    const menus: string[][] = [];
    class FakeTray {
      setToolTip() {}
      setContextMenu(m: { items: Array<{ label?: string }> }) {
        menus.push(m.items.map((i) => i.label ?? '---'));
      }
      on() {}
      destroy() {}
    }
    const deps = {
      Tray: FakeTray,
      Menu: { buildFromTemplate: (items: Array<{ label?: string }>) => ({ items }) },
      nativeImage: { createFromPath: () => ({ isEmpty: () => false, setTemplateImage: () => undefined }) },
    };
    const changes = {
      subscribe: (_id: string | undefined, l: (item: Item) => void) => {
        listener = l;
        l({ kind: 'engine', engineId: 'local', action: status });
        return () => void unsubscribed++;
      },
    };
    const engines = {
      describe: async () => {
        describes++;
        return [{ id: 'local', name: 'Docker', kind: 'docker-api', endpoint: 'unix:///x.sock', active: true, status, capabilities: {} }];
      },
    };
    const log = { warn: () => undefined };
    const tray = createTray(deps as never, { trayDir: '/tmp', platform: 'linux', engines: engines as never, changes: changes as never, log: log as never, isWindowVisible: () => true, run: () => undefined });
    await new Promise((r) => setTimeout(r, 10));
    expect(menus.at(-1)).toContain('Docker: not reachable');
    status = 'up';
    listener!({ kind: 'engine', engineId: 'local', action: 'up' });
    await new Promise((r) => setTimeout(r, 10));
    expect(menus.at(-1)?.some((l) => l.startsWith('Docker: running'))).toBe(true);
    listener!({ kind: 'container', engineId: 'local', action: 'start' });
    await new Promise((r) => setTimeout(r, 10));
    expect(describes).toBe(2);
    tray.dispose();
    expect(unsubscribed).toBe(1);
  });
});
