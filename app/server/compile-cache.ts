import module from 'node:module';
import path from 'node:path';

/** The part of node:module this uses (Node 22.1+; absent on older Node). */
export interface CompileCacheApi {
  enableCompileCache?: (dir?: string) => { status: number; message?: string };
  constants?: { compileCacheStatus?: { ENABLED: number; ALREADY_ENABLED: number } };
}

/**
 * Turns on Node's on-disk cache of compiled modules (`module.enableCompileCache`, Node 22: Electron 45's main process) in
 * `<dataDir>/compile-cache`: the modules loaded from then on are compiled once and read back as V8's code cache at the
 * next launches, instead of being parsed and compiled at every start (issue 11: cold start; the core's chunks are about
 * 1.2 MB of JavaScript). Call it before importing what should use it. Never fatal: without the API (older Node),
 * with `NODE_DISABLE_COMPILE_CACHE=1`, or when the folder cannot be written, modules compile as before. Not in an
 * AppImage (`APPIMAGE` set): it mounts at a new path at each launch, so every launch would add entries and use none.
 * True when modules loaded from now on use the cache.
 */
export function useCompileCache(dataDir: string, env: Record<string, string | undefined> = process.env, api: CompileCacheApi = module as CompileCacheApi): boolean {
  if (typeof api.enableCompileCache !== 'function' || env.APPIMAGE) return false;
  const status = api.constants?.compileCacheStatus;
  try {
    const r = api.enableCompileCache(path.join(dataDir, 'compile-cache'));
    return status !== undefined && (r.status === status.ENABLED || r.status === status.ALREADY_ENABLED);
  } catch {
    return false;
  }
}
