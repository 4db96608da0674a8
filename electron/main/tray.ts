import fs from 'node:fs';
import path from 'node:path';
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import type { Core } from '../../app/composition';
import { buildTrayMenu, trayIconState, trayStatusLine, type TrayCommand, type TrayEngine, type TrayIconState, type TrayModelState, type TrayNode } from './tray-model';

export type { TrayCommand } from './tray-model';

type Logger = Core['log'];
type EngineDescription = Awaited<ReturnType<Core['services']['engines']['describe']>>[number];

export function trayTooltip(state: TrayModelState): string {
  return `Berth — ${trayStatusLine(state)}`;
}

/** The tray's engine line from the registry's description of the active engine. */
export function engineTrayState(engines: readonly EngineDescription[]): TrayEngine {
  const active = engines.find((e) => e.active) ?? engines[0];
  if (!active) return { status: 'none' };
  return { status: active.status, name: active.version?.product || active.name, version: active.version?.version };
}

/** Electron menu items for the model; every click runs its command (the window may be closed). */
export function toMenuTemplate(nodes: readonly TrayNode[], run: (c: TrayCommand) => void): MenuItemConstructorOptions[] {
  return nodes.map((n): MenuItemConstructorOptions => {
    if (n.kind === 'separator') return { type: 'separator' };
    if (n.kind === 'status') return { id: n.id, label: n.label, enabled: false };
    if (n.kind === 'submenu') return { id: n.id, label: n.label, enabled: n.enabled ?? true, submenu: toMenuTemplate(n.items, run) };
    if (n.checked !== undefined) return { id: n.id, label: n.label, type: 'radio', checked: n.checked, enabled: n.enabled ?? true, click: () => run(n.command) };
    return { id: n.id, label: n.label, enabled: n.enabled ?? true, click: () => run(n.command) };
  });
}

/**
 * Tray icon file: a template image on macOS (the name ending in Template matters), colour elsewhere;
 * `tray-<state>` variants when the resources have them, so the icon reflects the state.
 */
export function trayIconPath(trayDir: string, platform: NodeJS.Platform, state?: TrayIconState, exists: (p: string) => boolean = fs.existsSync): string {
  const base = platform === 'darwin' ? 'trayTemplate' : 'tray';
  if (state) {
    const variant = path.join(trayDir, platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`);
    if (exists(variant)) return variant;
  }
  return path.join(trayDir, `${base}.png`);
}

export interface TrayDeps {
  Tray: typeof Tray;
  Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  nativeImage: { createFromPath(p: string): NativeImage };
}

export interface TrayController {
  update(patch: Partial<TrayModelState>): void;
  refreshEngine(): Promise<void>;
  dispose(): void;
}

export interface TrayOptions {
  trayDir: string;
  platform: NodeJS.Platform;
  engines: Core['services']['engines'];
  /** The change feed: engine up/down and container changes refresh the tray (no polling). */
  changes: Core['services']['changes'];
  /** The VM: its status drives the status line, the icon and Start/Stop/Restart. */
  vm: Pick<Core['services']['vm'], 'subscribe'>;
  /** Kubernetes in the VM and the user's kubeconfig contexts (status line and contexts submenu). */
  kubernetes?: Pick<Core['services']['kubernetes'], 'subscribe'>;
  log: Logger;
  isWindowVisible(): boolean;
  run(command: TrayCommand): void;
}

/** A tray icon whose menu is rebuilt from buildTrayMenu whenever the state changes. */
export function createTray(deps: TrayDeps, opts: TrayOptions): TrayController {
  const image = (state: TrayIconState) => {
    const img = deps.nativeImage.createFromPath(trayIconPath(opts.trayDir, opts.platform, state));
    if (img.isEmpty()) opts.log.warn('The tray icon is missing', { dir: opts.trayDir });
    if (opts.platform === 'darwin') img.setTemplateImage(true);
    return img;
  };
  let state: TrayModelState = { vm: null, engine: { status: 'connecting' }, containers: [], windowVisible: opts.isWindowVisible() };
  let icon: TrayIconState = trayIconState(state);
  const tray = new deps.Tray(image(icon));
  let disposed = false;
  let containersTimer: NodeJS.Timeout | null = null;

  const render = () => {
    if (disposed) return;
    const nextIcon = trayIconState(state);
    if (nextIcon !== icon) {
      icon = nextIcon;
      tray.setImage(image(icon));
    }
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(deps.Menu.buildFromTemplate(toMenuTemplate(buildTrayMenu(state), opts.run)));
  };
  const update = (patch: Partial<TrayModelState>) => {
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
  const refreshContainers = async () => {
    try {
      update({ containers: await opts.engines.resolve().containers.list({ all: false }) });
    } catch {
      // The engine is down or absent: the status line says so; the submenu shows no containers.
      update({ containers: [] });
    }
  };
  const soon = () => {
    if (containersTimer || disposed) return;
    containersTimer = setTimeout(() => {
      containersTimer = null;
      void refreshContainers();
    }, 300);
  };

  // Linux trays have no click event on most desktops: the menu is the interface there.
  if (opts.platform !== 'linux') tray.on('click', () => void refreshEngine());
  render();
  // The feed starts with each engine's current state, then reports every up/down and container change.
  const offChanges = opts.changes.subscribe(undefined, (item) => {
    if (item.kind === 'engine') {
      void refreshEngine();
      soon();
    } else if (item.kind === 'container') soon();
  });
  const offVm = opts.vm.subscribe((s) => update({ vm: { mode: s.mode, state: s.state, stage: s.stage, reason: s.reason, crashed: s.crashed, actions: s.actions } }));
  const offKube = opts.kubernetes?.subscribe((k) => update({ kube: { enabled: k.enabled, version: k.version, state: k.state, reason: k.reason, download: k.download, merge: k.merge } }));

  return {
    update,
    refreshEngine,
    dispose() {
      disposed = true;
      if (containersTimer) clearTimeout(containersTimer);
      offChanges();
      offVm();
      offKube?.();
      tray.destroy();
    },
  };
}
