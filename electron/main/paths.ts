import path from 'node:path';

/** The scheme our own pages are served from (see protocol.ts for why not file://). */
export const APP_SCHEME = 'berth';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The one page a Berth window may show, and the only page whose messages the IPC binding accepts. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

export interface PathInputs {
  /** `app.isPackaged` */
  packaged: boolean;
  /** `app.getAppPath()`: the project folder in dev, `…/resources/app.asar` when packaged. */
  appPath: string;
  /** `process.resourcesPath` (only meaningful when packaged). */
  resourcesPath: string;
  platform: NodeJS.Platform;
  arch: string;
}

export interface AppPaths {
  /** The built renderer: index.html and its assets (served as berth://app/…). */
  rendererDir: string;
  rendererIndex: string;
  /** The sandboxed preload, bundled as CommonJS. */
  preload: string;
  /** icons/, tray/, lima/ and bin/ (the last one already narrowed to this OS and CPU). */
  resourcesDir: string;
  iconsDir: string;
  trayDir: string;
  limaTemplatesDir: string;
  binDir: string;
}

/** electron-builder's `${os}` macro: the folder name resources/bin/<os>-<arch> uses. */
export function builderOsName(platform: NodeJS.Platform): 'mac' | 'win' | 'linux' {
  if (platform === 'darwin') return 'mac';
  if (platform === 'win32') return 'win';
  return 'linux';
}

/**
 * Where things live. In dev (`electron .` from the project) they come from the project
 * folder; packaged, the app code is in app.asar and extraResources sit next to it
 * (electron-builder.yml copies resources/bin/<os>-<arch> to bin/, so there is no sub-folder).
 */
export function resolveAppPaths(p: PathInputs): AppPaths {
  const rendererDir = path.join(p.appPath, 'dist', 'renderer');
  const resourcesDir = p.packaged ? p.resourcesPath : path.join(p.appPath, 'resources');
  return {
    rendererDir,
    rendererIndex: path.join(rendererDir, 'index.html'),
    preload: path.join(p.appPath, 'dist', 'electron', 'preload', 'index.cjs'),
    resourcesDir,
    iconsDir: path.join(resourcesDir, 'icons'),
    trayDir: path.join(resourcesDir, 'tray'),
    limaTemplatesDir: path.join(resourcesDir, 'lima'),
    binDir: p.packaged ? path.join(resourcesDir, 'bin') : path.join(resourcesDir, 'bin', `${builderOsName(p.platform)}-${p.arch}`),
  };
}
