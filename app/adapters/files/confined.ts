import fs from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../contract/errors';
import type { FileAccess } from '../../ports/file-access';

/** The real path of `p`, or of its deepest existing ancestor joined with the rest (a file to be created). */
async function realish(p: string): Promise<string> {
  const rest: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    try {
      return path.join(await fs.realpath(cur), ...rest.reverse());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const parent = path.dirname(cur);
      if (parent === cur) return path.join(cur, ...rest.reverse());
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

const inside = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`);

/**
 * Paths confined to `folder` (created if missing), resolved through symlinks so a link inside
 * the folder cannot lead out of it. With `folder` null, every absolute path is allowed (Electron,
 * where the user picks each path in the system's own dialog, and tests).
 */
export async function createFileAccess(folder: string | null): Promise<FileAccess> {
  if (folder === null) {
    return { folder: null, policy: 'any', check: async (p) => p };
  }
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  const root = await fs.realpath(folder);
  return {
    folder: root,
    policy: 'folder',
    async check(p, access) {
      const real = path.isAbsolute(p) ? await realish(p) : null;
      if (real === null || !inside(real, root) || real === root) {
        throw new BerthError('PERMISSION_DENIED', `In browser mode Berth ${access === 'write' ? 'writes' : 'reads'} files only inside ${root}, not at ${p}.`, {
          hint: `Choose a path inside ${root}, or start Berth with BERTH_FILES_DIR set to the folder you want to use.`,
          details: { path: p, folder: root },
        });
      }
      return real;
    },
  };
}
