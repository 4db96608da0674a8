import path from 'node:path';
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import type { Core } from '../../app/composition';

type Logger = Core['log'];
type EngineDescription = Awaited<ReturnType<Core['services']['engines']['describe']>>[number];

/** What the tray shows. `vm: 'unknown'` until the VM service exists (the VM work adds its states). */
export interface TrayState {
  engine: { status: 'up' | 'down' | 'connecting' | 'none'; name?: string; version?: string };
  vm: 'unknown';
  windowVisible: boolean;
}

export type TrayAction = 'toggle-window' | 'quit';

export type TrayItem =
  | { kind: 'action'; id: TrayAction; label: string }
  | { kind: 'status'; id: string; label: string }
  | { kind: 'separator' };

export function engineStatusLabel(engine: TrayState['engine']): string {
  const name = engine.name ?? 'Engine';
  switch (engine.status) {
    case 'up':
      return `${name}: running${engine.version ? ` (${engine.version})` : ''}`;
    case 'down':
      return `${name}: not reachable`;
    case 'connecting':
      return `${name}: connecting…`;
    case 'none':
      return 'No container engine configured';
  }
}

/** The tray menu as data: what to show for a given state. */
export function buildTrayMenuModel(state: TrayState): TrayItem[] {
  return [
    { kind: 'action', id: 'toggle-window', label: state.windowVisible ? 'Hide Berth' : 'Show Berth' },
    { kind: 'separator' },
    { kind: 'status', id: 'engine', label: engineStatusLabel(state.engine) },
    { kind: 'status', id: 'vm', label: 'VM: not set up yet' },
    { kind: 'separator' },
    { kind: 'action', id: 'quit', label: 'Quit Berth' },
  ];
}

export function trayTooltip(state: TrayState): string {
  return `Berth — ${engineStatusLabel(state.engine)}`;
}

/** The tray's engine line from the registry's description of the active engine. */
export function engineTrayState(engines: readonly EngineDescription[]): TrayState['engine'] {
  const active = engines.find((e) => e.active) ?? engines[0];
  if (!active) return { status: 'none' };
  return { status: active.status, name: active.version?.product || active.name, version: active.version?.version };
}

export function toMenuTemplate(items: readonly TrayItem[], run: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.kind === 'separator') return { type: 'separator' };
    if (item.kind === 'status') return { id: item.id, label: item.label, enabled: false };
    return { id: item.id, label: item.label, click: () => run(item.id) };
  });
}

/** Tray icon file: a template image on macOS (the name ending in Template matters), colour elsewhere. */
export function trayIconPath(trayDir: string, platform: NodeJS.Platform): string {
  return path.join(trayDir, platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');
}

export interface TrayDeps {
  Tray: typeof Tray;
  Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  nativeImage: { createFromPath(p: string): NativeImage };
}

export interface TrayController {
  update(patch: Partial<TrayState>): void;
  refreshEngine(): Promise<void>;
  dispose(): void;
}

export interface TrayOptions {
  trayDir: string;
  platform: NodeJS.Platform;
  engines: Core['services']['engines'];
  /** The change feed: engine up/down items refresh the tray (no polling). */
  changes: Core['services']['changes'];
  log: Logger;
  isWindowVisible(): boolean;
  run(action: TrayAction): void;
}

/** A tray icon whose menu is rebuilt from buildTrayMenuModel whenever the state changes. */
export function createTray(deps: TrayDeps, opts: TrayOptions): TrayController {
  const image = deps.nativeImage.createFromPath(trayIconPath(opts.trayDir, opts.platform));
  if (image.isEmpty()) opts.log.warn('The tray icon is missing', { dir: opts.trayDir });
  if (opts.platform === 'darwin') image.setTemplateImage(true);
  const tray = new deps.Tray(image);
  let state: TrayState = { engine: { status: 'connecting' }, vm: 'unknown', windowVisible: opts.isWindowVisible() };
  let disposed = false;

  const render = () => {
    if (disposed) return;
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(deps.Menu.buildFromTemplate(toMenuTemplate(buildTrayMenuModel(state), opts.run)));
  };
  const update = (patch: Partial<TrayState>) => {
    state = { ...state, ...patch };
    render();
  };
  const refreshEngine = async () => {
    try {
      update({ engine: engineTrayState(await opts.engines.describe()) });
    } catch (err) {
      opts.log.warn('Could not read the engine state for the tray', { error: String(err) });
      update({ engine: { status: 'down' } });
    }
  };

  // Linux trays have no click event on most desktops: the menu is the interface there.
  if (opts.platform !== 'linux') tray.on('click', () => void refreshEngine());
  render();
  // The feed starts with each engine's current state, then reports every up/down.
  const offChanges = opts.changes.subscribe(undefined, (item) => {
    if (item.kind === 'engine') void refreshEngine();
  });

  return {
    update,
    refreshEngine,
    dispose() {
      disposed = true;
      offChanges();
      tray.destroy();
    },
  };
}
