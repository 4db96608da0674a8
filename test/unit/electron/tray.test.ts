import { describe, expect, it } from 'vitest';
import { engineTrayState, toMenuTemplate, trayIconPath, trayTooltip } from '../../../electron/main/tray';
import { buildTrayMenu, type TrayCommand, type TrayModelState } from '../../../electron/main/tray-model';

const running: TrayModelState = {
  vm: { mode: 'vm', state: 'running', actions: { start: false, stop: true, restart: true, delete: false } },
  engine: { status: 'up', name: 'Docker Engine' },
  containers: [{ id: 'c1', name: 'web', image: 'nginx', state: 'running', created: '2026-01-01T00:00:00Z', ports: [] }],
  windowVisible: false,
};
const labels = (s: TrayModelState) => buildTrayMenu(s).map((i) => (i.kind === 'separator' ? '---' : i.label));

describe('toMenuTemplate', () => {
  it('status lines are disabled, submenus nest, actions run their command, disabled actions stay disabled', () => {
    const ran: TrayCommand[] = [];
    const template = toMenuTemplate(buildTrayMenu(running), (c) => ran.push(c));
    expect(template[0]).toMatchObject({ id: 'status', label: 'Berth is running', enabled: false });
    expect(template.find((i) => i.id === 'vm-start')).toMatchObject({ enabled: false });
    const containers = template.find((i) => i.id === 'containers');
    const web = (containers?.submenu as { id?: string; submenu?: unknown }[])[0] as { submenu: { label: string; click?: () => void }[] };
    expect(web.submenu.map((i) => i.label)).toEqual(['Stop', 'Restart', 'Logs', 'Terminal']);
    web.submenu[0]?.click?.();
    (template.find((i) => i.id === 'vm-stop')?.click as () => void)();
    (template.find((i) => i.id === 'quit')?.click as () => void)();
    expect(ran).toEqual([{ type: 'container', action: 'stop', id: 'c1' }, { type: 'vm', action: 'stop' }, { type: 'quit' }]);
    expect(trayTooltip(running)).toBe('Berth — Berth is running');
    expect(labels(running)).toContain('Containers (1 running)');
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
  });
});

describe('trayIconPath', () => {
  it('uses a template image on macOS only, and the state variant when the resources have it', () => {
    const none = () => false;
    expect(trayIconPath('/r/tray', 'darwin', 'running', none)).toBe('/r/tray/trayTemplate.png');
    expect(trayIconPath('/r/tray', 'linux', 'running', none)).toBe('/r/tray/tray.png');
    expect(trayIconPath('/r/tray', 'win32')).toBe('/r/tray/tray.png');
    const all = () => true;
    expect(trayIconPath('/r/tray', 'linux', 'error', all)).toBe('/r/tray/tray-error.png');
    expect(trayIconPath('/r/tray', 'darwin', 'starting', all)).toBe('/r/tray/tray-startingTemplate.png');
    // The shipped resources have a coloured variant per state (macOS keeps its template image).
    for (const st of ['running', 'starting', 'stopped', 'error'] as const) expect(trayIconPath('resources/tray', 'linux', st)).toBe(`resources/tray/tray-${st}.png`);
    expect(trayIconPath('resources/tray', 'darwin', 'error')).toBe('resources/tray/trayTemplate.png');
  });
});

describe('createTray', () => {
  it('follows the VM and the change feed (no polling) and stops following on dispose', async () => {
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
      setImage() {}
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
    let vmListener: ((s: unknown) => void) | null = null;
    let vmOff = 0;
    const vm = {
      subscribe: (l: (s: unknown) => void) => {
        vmListener = l;
        l({ mode: 'vm', state: 'stopped', actions: { start: true, stop: false, restart: false, delete: true } });
        return () => void vmOff++;
      },
    };
    const engines = {
      resolve: () => ({ containers: { list: async () => [{ id: 'c1', name: 'web', image: 'nginx', state: 'running', created: '2026-01-01T00:00:00Z', ports: [] }] } }),
      describe: async () => {
        describes++;
        return [{ id: 'local', name: 'Docker', kind: 'docker-api', endpoint: 'unix:///x.sock', active: true, status, capabilities: {} }];
      },
    };
    const log = { warn: () => undefined };
    const tray = createTray(deps as never, { trayDir: '/tmp', platform: 'linux', engines: engines as never, changes: changes as never, vm: vm as never, log: log as never, isWindowVisible: () => true, run: () => undefined });
    await new Promise((r) => setTimeout(r, 10));
    expect(menus.at(-1)?.[0]).toBe('The VM is stopped');
    status = 'up';
    vmListener!({ mode: 'vm', state: 'running', actions: { start: false, stop: true, restart: true, delete: false } });
    listener!({ kind: 'engine', engineId: 'local', action: 'up' });
    await new Promise((r) => setTimeout(r, 400));
    expect(menus.at(-1)?.[0]).toBe('Berth is running');
    expect(menus.at(-1)).toContain('Containers (1 running)');
    listener!({ kind: 'container', engineId: 'local', action: 'start' });
    await new Promise((r) => setTimeout(r, 10));
    expect(describes).toBe(2);
    tray.dispose();
    expect(unsubscribed).toBe(1);
    expect(vmOff).toBe(1);
  });
});
