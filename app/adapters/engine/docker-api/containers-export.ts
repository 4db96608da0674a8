import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { BerthError } from '../../../contract/errors';
import type { ExportOptions } from '../../../ports/engine/containers';
import type { DockerContext } from './context';

const localFsError = (err: unknown, target: string): BerthError => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return new BerthError('DISK_FULL', `The disk holding ${target} is full: the export was not written.`, { hint: 'Free space, or export to another disk.', cause: err });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new BerthError('PERMISSION_DENIED', `Berth may not write ${target} (${code}).`, { hint: 'Pick a folder you can write to.', cause: err });
  }
  return new BerthError('COMMAND_FAILED', `Could not write ${target}: ${(err as Error).message}`, { cause: err });
};

/**
 * Streams `docker export` into a temp file beside `target`, then moves it into place: a partial
 * tar never has the final name. Without `overwrite`, an existing file is refused (and a file that
 * appears meanwhile is not clobbered: the temp file is hard-linked, not renamed, into place).
 */
export async function exportContainer(ctx: DockerContext, id: string, opts: ExportOptions): Promise<{ path: string; bytes: number }> {
  const target = path.resolve(opts.path);
  const dir = path.dirname(target);
  const dirStat = await fs.promises.stat(dir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new BerthError('INVALID_INPUT', `The folder ${dir} does not exist.`, { hint: 'Export into an existing folder.', details: { path: target } });
  const existing = await fs.promises.lstat(target).catch(() => null);
  if (existing?.isDirectory()) throw new BerthError('INVALID_INPUT', `${target} is a folder; give a file name.`, { details: { path: target } });
  if (existing && !opts.overwrite) {
    throw new BerthError('CONFLICT', `${target} already exists.`, { hint: 'Pick another file name, or allow overwriting it.', details: { path: target } });
  }
  const source = await ctx.call('export the container', id, () => ctx.docker.getContainer(id).export(opts.signal ? { abortSignal: opts.signal } : {}));
  const tmp = path.join(dir, `.${path.basename(target)}.${crypto.randomBytes(4).toString('hex')}.part`);
  try {
    try {
      await pipeline(source, fs.createWriteStream(tmp, { flags: 'wx' }), opts.signal ? { signal: opts.signal } : {});
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code && (err as NodeJS.ErrnoException).syscall) throw localFsError(err, target);
      throw ctx.fail(err, 'export the container', id);
    }
    const { size } = await fs.promises.stat(tmp);
    if (opts.overwrite) await fs.promises.rename(tmp, target);
    else {
      try {
        await fs.promises.link(tmp, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new BerthError('CONFLICT', `${target} already exists.`, { details: { path: target } });
        throw localFsError(err, target);
      }
    }
    return { path: target, bytes: size };
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}
