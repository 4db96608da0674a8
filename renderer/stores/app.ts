import { create } from 'zustand';
import type { AppInfo } from '../../app/contract/app';
import type { Settings, SettingsPatch } from '../../app/contract/settings';
import type { ErrorShape } from '../../app/contract/errors';
import { call, onReconnect } from '../lib/rpc';
import { toErrorShape } from '../lib/errors';
import { notify } from './toasts';

export type ThemeChoice = Settings['ui']['theme'];
export type ResolvedTheme = 'light' | 'dark';

export const ZOOM_STEPS = [0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3] as const;
const DEFAULT_ZOOM = 1;
/** The root font size at zoom 1; every size in the CSS is in rem, so zoom scales the whole UI. */
const ROOT_PX = 16;

interface AppState {
  info: AppInfo | null;
  settings: Settings | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorShape | null;
  /** The OS preference (prefers-color-scheme). */
  systemTheme: ResolvedTheme;
  /** Warnings the user dismissed in this window. */
  dismissedWarnings: string[];
  load(): Promise<void>;
  updateSettings(patch: SettingsPatch): Promise<boolean>;
  setTheme(theme: ThemeChoice): Promise<boolean>;
  setZoom(zoom: number): Promise<boolean>;
  zoomBy(direction: 1 | -1): Promise<boolean>;
  dismissWarning(w: string): void;
}

export const resolveTheme = (choice: ThemeChoice | undefined, system: ResolvedTheme): ResolvedTheme =>
  choice === 'light' || choice === 'dark' ? choice : system;

export function nextZoom(current: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOM_STEPS.find((z) => z > current + 1e-6) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1]!;
  return [...ZOOM_STEPS].reverse().find((z) => z < current - 1e-6) ?? ZOOM_STEPS[0];
}

const mergePatch = (s: Settings, p: SettingsPatch): Settings => ({
  ...s,
  engine: { ...s.engine, ...p.engine },
  ui: { ...s.ui, ...p.ui },
  window: { ...s.window, ...p.window },
  vm: { ...s.vm, ...p.vm },
  terminal: { ...s.terminal, ...p.terminal },
  behaviour: { ...s.behaviour, ...p.behaviour },
});

export const useApp = create<AppState>()((set, get) => ({
  info: null,
  settings: null,
  status: 'idle',
  error: null,
  systemTheme: 'light',
  dismissedWarnings: [],
  async load() {
    set({ status: 'loading' });
    try {
      const [info, settings] = await Promise.all([call('app.info', {}), call('settings.get', {})]);
      set({ info, settings, status: 'ready', error: null });
    } catch (e) {
      set({ status: 'error', error: toErrorShape(e) });
    }
  },
  async updateSettings(patch) {
    const before = get().settings;
    if (before) set({ settings: mergePatch(before, patch) });
    try {
      const settings = await call('settings.update', patch);
      set({ settings });
      return true;
    } catch (e) {
      if (before) set({ settings: before });
      notify.error('Could not save the settings', toErrorShape(e));
      return false;
    }
  },
  setTheme: (theme) => get().updateSettings({ ui: { theme } }),
  setZoom: (zoom) => get().updateSettings({ ui: { zoom: Math.min(3, Math.max(0.5, zoom)) } }),
  zoomBy: (direction) => get().setZoom(nextZoom(get().settings?.ui.zoom ?? DEFAULT_ZOOM, direction)),
  dismissWarning: (w) => set((s) => ({ dismissedWarnings: [...s.dismissedWarnings, w] })),
}));

/** The theme and zoom in effect (before settings load: the system theme at zoom 1). */
export const useResolvedTheme = () => useApp((s) => resolveTheme(s.settings?.ui.theme, s.systemTheme));

/** Apply theme and zoom to the document and keep them applied; follow the OS theme. */
export function bindAppearance(): () => void {
  const nativeZoom = 'berth' in window;
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const onMedia = () => useApp.setState({ systemTheme: media.matches ? 'dark' : 'light' });
  onMedia();
  media.addEventListener('change', onMedia);
  const apply = (s: AppState) => {
    const root = document.documentElement;
    const theme = resolveTheme(s.settings?.ui.theme, s.systemTheme);
    if (root.dataset.theme !== theme) root.dataset.theme = theme;
    root.style.colorScheme = theme;
    // In Electron the main process applies ui.zoom natively (webContents zoom factor); scaling
    // the root font there too would zoom twice. In a browser, the root font size is the zoom.
    if (!nativeZoom) root.style.fontSize = `${ROOT_PX * (s.settings?.ui.zoom ?? DEFAULT_ZOOM)}px`;
  };
  apply(useApp.getState());
  const off = useApp.subscribe(apply);
  const offReconnect = onReconnect(() => void useApp.getState().load());
  return () => {
    media.removeEventListener('change', onMedia);
    off();
    offReconnect();
  };
}
