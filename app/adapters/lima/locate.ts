import fs from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../contract/errors';
import type { ProcessRunner } from '../../ports/process';
import type { LimactlLocation } from '../../ports/vm';

export interface LocateOptions {
  /** Berth's bundled CLI folder (resources/bin/<os>-<arch> in development, bin/ when packaged). */
  bundledDir: string;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** vm.limactlPath from the settings ('' when unset). */
  configuredPath: () => string;
}

const exe = (platform: NodeJS.Platform) => (platform === 'win32' ? 'limactl.exe' : 'limactl');

async function isExecutable(p: string): Promise<boolean> {
  try {
    const st = await fs.stat(p);
    if (!st.isFile()) return false;
    await fs.access(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The limactl candidates in order: bundled, PATH, settings. */
export function limactlCandidates(o: LocateOptions): { path: string; source: LimactlLocation['source'] }[] {
  const name = exe(o.platform);
  const out: { path: string; source: LimactlLocation['source'] }[] = [{ path: path.join(o.bundledDir, name), source: 'bundled' }];
  const sep = o.platform === 'win32' ? ';' : ':';
  for (const dir of (o.env.PATH ?? '').split(sep)) if (dir) out.push({ path: path.join(dir, name), source: 'path' });
  const configured = o.configuredPath();
  if (configured) out.push({ path: configured, source: 'settings' });
  return out;
}

export const parseLimactlVersion = (stdout: string): string => /version\s+v?(\S+)/.exec(stdout)?.[1]?.replace(/^<unknown>$/, 'unknown') ?? 'unknown';

/** The first limactl that exists, with its version. */
export async function locateLimactl(o: LocateOptions, runner: ProcessRunner): Promise<LimactlLocation> {
  const tried: string[] = [];
  for (const c of limactlCandidates(o)) {
    tried.push(c.path);
    if (!(await isExecutable(c.path))) continue;
    const r = await runner.run(c.path, ['--version'], { timeoutMs: 15_000 });
    if (r.exitCode !== 0) {
      throw new BerthError('COMMAND_FAILED', `${c.path} does not run: ${(r.stderr || r.stdout).trim().slice(-300)}`, {
        details: { command: c.path, exitCode: r.exitCode },
        hint: 'Reinstall Berth, or set another limactl in the VM settings.',
      });
    }
    return { path: c.path, source: c.source, version: parseLimactlVersion(r.stdout) };
  }
  throw new BerthError('NOT_FOUND', 'limactl (Lima) was not found, so Berth cannot run its VM.', {
    hint:
      o.platform === 'linux'
        ? 'Install Lima (https://lima-vm.io), set its path in the VM settings, or use Native mode to run containers on this machine’s own engine.'
        : 'Install Lima (https://lima-vm.io) or set its path in the VM settings.',
    details: { tried: tried.slice(0, 12) },
  });
}
