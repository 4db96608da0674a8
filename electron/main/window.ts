import path from 'node:path';
import type { BrowserWindow, BrowserWindowConstructorOptions, Rectangle, Screen } from 'electron';
import type { Core } from '../../app/composition';
import type { AppPaths } from './paths';
import { APP_INDEX_URL } from './paths';

type Logger = Core['log'];
type SettingsStore = Core['services']['settings'];

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 720, height: 480 } as const;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowOptionsInput {
  preload: string;
  /** Restored bounds, already clamped to a display; undefined lets the OS place the window. */
  bounds?: Rect;
  /** Window icon (Linux and Windows; macOS uses the bundle icon). */
  icon?: string;
  packaged: boolean;
}

/**
 * The options of every Berth window, as data. The renderer is untrusted web content:
 * sandboxed, isolated, no Node, web security on, no <webview>, devtools only in dev.
 */
export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const b = input.bounds;
  return {
    title: 'Berth',
    width: b?.width ?? DEFAULT_SIZE.width,
    height: b?.height ?? DEFAULT_SIZE.height,
    ...(b ? { x: b.x, y: b.y } : { center: true }),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    backgroundColor: '#1f2125',
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: {
      preload: input.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      plugins: false,
      devTools: !input.packaged,
    },
  };
}

const area = (r: Rect) => Math.max(0, r.width) * Math.max(0, r.height);

function intersection(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.min(a.x + a.width, b.x + b.width) - x, height: Math.min(a.y + a.height, b.y + b.height) - y };
}

/**
 * Puts saved bounds back on a display that exists now: the display showing most of the
 * window (or the primary one when none does, e.g. a monitor was unplugged), shrunk to
 * fit its work area and moved fully inside it.
 */
export function clampBounds(saved: Rect | undefined, workAreas: readonly Rect[], primary: Rect): Rect | undefined {
  if (!saved) return undefined;
  if (![saved.x, saved.y, saved.width, saved.height].every(Number.isFinite)) return undefined;
  let best: Rect | undefined;
  let bestArea = 0;
  for (const wa of workAreas) {
    const a = area(intersection(saved, wa));
    if (a > bestArea) {
      bestArea = a;
      best = wa;
    }
  }
  const wa = best ?? primary;
  const width = Math.round(Math.min(Math.max(saved.width, MIN_SIZE.width), wa.width));
  const height = Math.round(Math.min(Math.max(saved.height, MIN_SIZE.height), wa.height));
  const onScreen = best !== undefined;
  const x = onScreen ? Math.min(Math.max(saved.x, wa.x), wa.x + wa.width - width) : wa.x + Math.round((wa.width - width) / 2);
  const y = onScreen ? Math.min(Math.max(saved.y, wa.y), wa.y + wa.height - height) : wa.y + Math.round((wa.height - height) / 2);
  return { x: Math.round(x), y: Math.round(y), width, height };
}

/** Bounds in the shape the settings schema accepts (integers, minimum size), or undefined. */
export function boundsToSave(r: Rectangle): Rect | undefined {
  const out = { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
  if (![out.x, out.y, out.width, out.height].every(Number.isFinite) || out.width < 200 || out.height < 150) return undefined;
  return out;
}

export interface CreateWindowDeps {
  BrowserWindow: typeof BrowserWindow;
  screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>;
}

export interface CreateWindowOptions {
  paths: AppPaths;
  settings: SettingsStore;
  log: Logger;
  packaged: boolean;
  platform: NodeJS.Platform;
  /** Called before the page loads, so the IPC binding knows this webContents. */
  onWebContents(win: BrowserWindow): void;
}

/** Creates the main window at its remembered place and keeps remembering it. */
export function createMainWindow(deps: CreateWindowDeps, opts: CreateWindowOptions): BrowserWindow {
  const saved = opts.settings.get().window;
  const displays = deps.screen.getAllDisplays().map((d) => d.workArea);
  const bounds = clampBounds(saved.bounds, displays, deps.screen.getPrimaryDisplay().workArea);
  const icon = opts.platform === 'darwin' ? undefined : path.join(opts.paths.iconsDir, 'icon.png');
  const win = new deps.BrowserWindow(mainWindowOptions({ preload: opts.paths.preload, bounds, icon, packaged: opts.packaged }));
  win.setMenuBarVisibility(true);
  opts.onWebContents(win);
  trackWindowState(win, opts.settings, opts.log);
  applyZoomSetting(win, opts.settings);

  win.once('ready-to-show', () => {
    if (saved.maximized) win.maximize();
    win.show();
  });
  win.webContents.on('render-process-gone', (_e, details) => {
    opts.log.error('The window renderer stopped', { reason: details.reason, exitCode: details.exitCode });
  });
  win.webContents.on('did-fail-load', (_e, code, description, url, isMainFrame) => {
    if (isMainFrame) opts.log.error('The window could not load', { code, description, url });
  });
  win.loadURL(APP_INDEX_URL).catch((err: unknown) => opts.log.error('Loading the window failed', { error: String(err) }));
  return win;
}

/** Saves size, position and maximized state (debounced while dragging, at once on close). */
export function trackWindowState(win: BrowserWindow, settings: SettingsStore, log: Logger): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    const bounds = boundsToSave(win.getNormalBounds());
    const patch = { window: { maximized: win.isMaximized(), ...(bounds ? { bounds } : {}) } };
    settings.update(patch).catch((err: unknown) => log.warn('Could not remember the window position', { error: String(err) }));
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 600);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', save);
  win.on('unmaximize', save);
  win.on('close', save);
  win.on('closed', () => clearTimeout(timer));
}

/** The page zoom follows the `ui.zoom` setting (the View menu changes that setting). */
function applyZoomSetting(win: BrowserWindow, settings: SettingsStore): void {
  const apply = () => {
    if (!win.isDestroyed()) win.webContents.setZoomFactor(settings.get().ui.zoom);
  };
  win.webContents.on('did-finish-load', apply);
  const off = settings.onChange(apply);
  win.on('closed', off);
}
