import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, protocol, screen, session, shell, Tray } from 'electron';
import type { Core } from '../../app/composition';
import type { EarlyList } from '../../app/server/early-list';
import { APP_INDEX_URL, resolveAppPaths } from './paths';
import { serveAppScheme } from './protocol';
import { appContentSecurityPolicy, hardenSession, installWebContentsGuards, openExternalChecked } from './security';
import { createMainWindow } from './window';
import { bindIpc, type IpcBinding } from './ipc';
import { createTray, type TrayController } from './tray';
import { createTrayCommandRunner, quitWithVm, type TrayCommandDeps } from './tray-commands';
import { buildAppMenuTemplate, nextZoom, type ZoomDirection } from './menu';
import { followStartAtLogin, showPreferences, showRoute } from './preferences';
import { showContainerAlerts } from './alerts';
import { createDialogChooser } from './file-dialog';

/*
 * The main process once the entry (index.ts) has asked for the early list: the core, the window, IPC, the tray and the
 * menu. Lifecycle only: everything with logic lives in the modules above or in the core. Loaded by index.ts with a dynamic
 * import, so that its modules (the contract's schemas and zod among them) load after the early list was asked for.
 */

const SHUTDOWN_TIMEOUT_MS = 5000;

export async function run(earlyList: EarlyList | null): Promise<void> {
  const composition = import('../../app/composition');
  let win: BrowserWindow | null = null;
  let showWindow: () => void = () => undefined;
  app.on('second-instance', () => showWindow());

  const [{ createCore, installLastResort }] = await Promise.all([composition, app.whenReady()]);
  const packaged = app.isPackaged;
  const paths = resolveAppPaths({
    packaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    platform: process.platform,
    arch: process.arch,
  });
  // The window opens at once, on the Containers page (win = openWindow() below).
  const core: Core = await createCore({ dataDir: app.getPath('userData'), mode: 'electron', version: app.getVersion(), resourcesDir: paths.resourcesDir, cliDir: paths.binDir, opensWindow: true, earlyList });
  const log = core.log.child('electron');
  installLastResort(core.log);
  const settings = core.services.settings;

  hardenSession(session.defaultSession, APP_INDEX_URL, log);
  installWebContentsGuards(app, APP_INDEX_URL, shell, log);
  serveAppScheme(protocol, paths.rendererDir, appContentSecurityPolicy(), log);
  // Paths the core reads or writes for the page come only from this dialog (see file-dialog.ts).
  core.setFileChooser(createDialogChooser({ dialog, window: () => (win && !win.isDestroyed() ? win : null), baseDir: () => app.getPath('downloads') }));
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

  const trayDeps: TrayCommandDeps = {
    core,
    showWindow: () => showWindow(),
    hideWindow: () => win?.hide(),
    isWindowVisible: visible,
    showRoute: (hash) => {
      showWindow();
      if (win) showRoute(win, hash);
    },
    openInBrowser: (url) => openExternalChecked(shell, url),
    async askStopVm() {
      const r = await dialog.showMessageBox({
        type: 'question',
        message: 'Stop the Berth VM too?',
        detail: 'Its containers stop with it. Keeping it running lets them run while Berth is closed.',
        buttons: ['Stop the VM and quit', 'Keep it running and quit', 'Cancel'],
        defaultId: 0,
        cancelId: 2,
        checkboxLabel: 'Remember my answer',
        checkboxChecked: true,
      });
      return r.response === 2 ? null : { stopVm: r.response === 0, remember: r.checkboxChecked };
    },
    quit: () => app.quit(),
  };
  const runTrayAction = createTrayCommandRunner(trayDeps);

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
    { trayDir: paths.trayDir, platform: process.platform, engines: core.services.engines, changes: core.services.changes, vm: core.services.vm, kubernetes: core.services.kubernetes, log, isWindowVisible: visible, run: runTrayAction },
  );

  // Closing the window keeps Berth in the tray (and the dock on macOS): the tray starts and stops everything.
  app.on('window-all-closed', () => {
    if (!tray) void quitWithVm(trayDeps);
  });
  if (settings.get().vm.startOnLaunch && core.services.vm.status().mode === 'vm' && core.services.vm.status().actions.start) {
    core.services.vm.start().catch((err: unknown) => log.warn('The VM did not start at launch', { error: String(err) }));
  }
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
