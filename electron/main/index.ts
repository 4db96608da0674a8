import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, protocol, screen, session, shell, Tray } from 'electron';
import { createCore, type Core } from '../../app/composition';
import { APP_INDEX_URL, APP_SCHEME, resolveAppPaths } from './paths';
import { APP_SCHEME_PRIVILEGES, serveAppScheme } from './protocol';
import { appContentSecurityPolicy, hardenSession, installWebContentsGuards } from './security';
import { createMainWindow } from './window';
import { bindIpc, type IpcBinding } from './ipc';
import { createTray, type TrayAction, type TrayController } from './tray';
import { buildAppMenuTemplate, nextZoom, type ZoomDirection } from './menu';
import { followStartAtLogin, showPreferences, showRoute } from './preferences';
import { showContainerAlerts } from './alerts';

// Lifecycle only: everything with logic lives in the modules above or in the core.

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();
if (process.platform === 'win32') app.setAppUserModelId('dev.berth.app');

const SHUTDOWN_TIMEOUT_MS = 5000;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  run().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    dialog.showErrorBox('Berth could not start', message);
    app.exit(1);
  });
}

async function run(): Promise<void> {
  let win: BrowserWindow | null = null;
  let showWindow: () => void = () => undefined;
  app.on('second-instance', () => showWindow());

  await app.whenReady();
  const packaged = app.isPackaged;
  const paths = resolveAppPaths({
    packaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    platform: process.platform,
    arch: process.arch,
  });
  const core: Core = await createCore({ dataDir: app.getPath('userData'), mode: 'electron', version: app.getVersion() });
  const log = core.log.child('electron');
  const settings = core.services.settings;

  hardenSession(session.defaultSession, APP_INDEX_URL, log);
  installWebContentsGuards(app, APP_INDEX_URL, shell, log);
  serveAppScheme(protocol, paths.rendererDir, appContentSecurityPolicy(), log);
  const ipc: IpcBinding = bindIpc({ ipcMain, rpc: core.rpc, expectedUrl: APP_INDEX_URL, log: core.log.child('ipc') });

  app.setAboutPanelOptions({
    applicationName: 'Berth',
    applicationVersion: app.getVersion(),
    copyright: 'Apache-2.0',
    ...(process.platform === 'darwin' ? {} : { iconPath: path.join(paths.iconsDir, 'icon.png') }),
  });

  let tray: TrayController | null = null;
  const visible = () => win !== null && !win.isDestroyed() && win.isVisible();

  const openWindow = (): BrowserWindow => {
    const w = createMainWindow(
      { BrowserWindow, screen },
      { paths, settings, log, packaged, platform: process.platform, onWebContents: (bw) => ipc.attach(bw.webContents) },
    );
    const sync = () => tray?.update({ windowVisible: visible() });
    w.on('show', sync);
    w.on('hide', sync);
    w.on('closed', () => {
      if (win === w) win = null;
      sync();
    });
    return w;
  };

  showWindow = () => {
    if (!win || win.isDestroyed()) {
      win = openWindow();
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const runTrayAction = (action: TrayAction) => {
    if (action === 'quit') app.quit();
    else if (visible()) win?.hide();
    else showWindow();
  };

  const zoom = (direction: ZoomDirection) => {
    const next = nextZoom(settings.get().ui.zoom, direction);
    settings.update({ ui: { zoom: next } }).catch((err: unknown) => log.warn('Could not change the zoom', { error: String(err) }));
  };
  const openLogFolder = () => {
    shell.openPath(path.dirname(core.services.info.logFile)).then(
      (error) => error && log.warn('Could not open the log folder', { error }),
      (err: unknown) => log.warn('Could not open the log folder', { error: String(err) }),
    );
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildAppMenuTemplate({
        platform: process.platform,
        packaged,
        actions: {
          openLogFolder,
          showAbout: () => app.showAboutPanel(),
          zoom,
          openPreferences: () => {
            showWindow();
            if (win) showPreferences(win);
          },
        },
      }),
    ),
  );
  const stopLoginItem = followStartAtLogin(app, settings);
  const stopAlerts = showContainerAlerts({
    alerts: core.services.alerts,
    isSupported: () => Notification.isSupported(),
    create: (o) => new Notification(o),
    openLogs: (hash) => {
      showWindow();
      if (win) showRoute(win, hash);
    },
  });

  win = openWindow();
  tray = createTray(
    { Tray, Menu, nativeImage },
    { trayDir: paths.trayDir, platform: process.platform, engines: core.services.engines, changes: core.services.changes, log, isWindowVisible: visible, run: runTrayAction },
  );

  // macOS: closing the window keeps Berth in the tray and the dock; elsewhere it quits.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => showWindow());

  let stopped = false;
  let stopping = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    log.info('Berth is quitting');
    tray?.dispose();
    stopLoginItem();
    stopAlerts();
    ipc.dispose();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref());
    Promise.race([core.dispose(), timeout])
      .catch((err: unknown) => log.error('The core did not stop cleanly', { error: String(err) }))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
}
