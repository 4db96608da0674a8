import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BerthError } from '../../../contract/errors';
import type { NerdctlContext } from './context';

const localFsError = (err: unknown, target: string): BerthError => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return new BerthError('DISK_FULL', `The disk holding ${target} is full: nothing was written.`, { hint: 'Free space, or write to another disk.', cause: err });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new BerthError('PERMISSION_DENIED', `Berth may not write ${target} (${code}).`, { hint: 'Pick a folder you can write to.', cause: err });
  }
  return new BerthError('COMMAND_FAILED', `Could not write ${target}: ${(err as Error).message}`, { cause: err });
};

/** Checks a target file on the core's host: its folder exists, it is not a folder, and it exists only with `overwrite`. */
export async function checkTarget(file: string, overwrite: boolean): Promise<string> {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  const dirStat = await fs.promises.stat(dir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new BerthError('INVALID_INPUT', `The folder ${dir} does not exist.`, { hint: 'Pick an existing folder.', details: { path: target } });
  const existing = await fs.promises.lstat(target).catch(() => null);
  if (existing?.isDirectory()) throw new BerthError('INVALID_INPUT', `${target} is a folder; give a file name.`, { details: { path: target } });
  if (existing && !overwrite) throw new BerthError('CONFLICT', `${target} already exists.`, { hint: 'Pick another file name, or allow overwriting it.', details: { path: target } });
  return target;
}

/**
 * Streams a nerdctl command's stdout (export, save) into a temp file beside `file`, then moves it
 * into place (hard link without `overwrite`, so a file that appeared meanwhile is not clobbered).
 * Works the same when nerdctl runs in the VM: the bytes come over the runner's stdout.
 */
export async function commandToFile(
  ctx: NerdctlContext,
  op: string,
  subject: string,
  args: readonly string[],
  opts: { path: string; overwrite: boolean; signal?: AbortSignal },
): Promise<{ path: string; bytes: number }> {
  const target = await checkTarget(opts.path, opts.overwrite);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${crypto.randomBytes(4).toString('hex')}.part`);
  const proc = await ctx.spawn(args, opts.signal ? { signal: opts.signal } : {});
  try {
    try {
      await pipeline(Readable.from(proc.stdout), fs.createWriteStream(tmp, { flags: 'wx' }));
    } catch (err) {
      proc.kill();
      if ((err as NodeJS.ErrnoException).syscall) throw localFsError(err, target);
      throw err;
    }
    const exit = await proc.exit;
    if (opts.signal?.aborted) throw new BerthError('CANCELLED', `Cancelled: ${op} "${subject}".`);
    if (exit.exitCode !== 0) throw ctx.failure(op, subject, args, exit);
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
    proc.kill();
    await fs.promises.rm(tmp, { force: true });
  }
}
