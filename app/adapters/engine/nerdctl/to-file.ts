import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BerthError } from '../../../contract/errors';
import { TarEndWatch, type TarEndState } from '../../../core/tar-end';
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

/** Runs of a command whose archive came out cut short before Berth gives up. */
const ARCHIVE_TRIES = 3;

/**
 * Streams a nerdctl command's stdout (export, save: a tar) into a temp file beside `file`, then moves
 * it into place (hard link without `overwrite`, so a file that appeared meanwhile is not clobbered).
 * Works the same when nerdctl runs in the VM: the bytes come over the runner's stdout.
 *
 * The tar is followed as it passes and must end with its end-of-archive marker: `nerdctl save` to a
 * pipe can exit 0 with the archive's tail missing (containerd's transfer client returns before its
 * copy of the export stream is done). A cut archive is written again, up to three runs, and is never
 * handed out as a success.
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
  try {
    let size = 0;
    for (let run = 1; ; run++) {
      const written = await runToFile(ctx, op, subject, args, tmp, target, opts.signal);
      if (written.state === 'complete') {
        size = written.bytes;
        break;
      }
      await fs.promises.rm(tmp, { force: true });
      if (written.state === 'not-a-tar') {
        throw new BerthError('COMMAND_FAILED', `nerdctl did not write a tar archive (${op} "${subject}"): nothing was written.`, { details: { path: target } });
      }
      // The call has no progress channel: the log says why a save takes more than one run.
      ctx.log.warn(`nerdctl ended the archive early (${op} "${subject}", run ${run} of ${ARCHIVE_TRIES})${run < ARCHIVE_TRIES ? ': writing it again' : ''}`, { bytes: written.bytes, path: target });
      if (run === ARCHIVE_TRIES) {
        throw new BerthError('COMMAND_FAILED', `nerdctl ended the archive early ${ARCHIVE_TRIES} times (${op} "${subject}"): nothing was written.`, {
          hint: 'Try again. containerd can cut an export short when its client exits first; a newer containerd and nerdctl may not.',
          details: { path: target, bytes: written.bytes },
        });
      }
    }
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

/** One run of the command into `tmp`, its stdout followed as a tar. Throws on a failed run. */
async function runToFile(
  ctx: NerdctlContext,
  op: string,
  subject: string,
  args: readonly string[],
  tmp: string,
  target: string,
  signal: AbortSignal | undefined,
): Promise<{ state: TarEndState; bytes: number }> {
  const proc = await ctx.spawn(args, signal ? { signal } : {});
  const watch = new TarEndWatch();
  async function* followed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of proc.stdout) {
      watch.push(chunk);
      yield chunk;
    }
  }
  try {
    try {
      await pipeline(Readable.from(followed()), fs.createWriteStream(tmp, { flags: 'wx' }));
    } catch (err) {
      proc.kill();
      if ((err as NodeJS.ErrnoException).syscall) throw localFsError(err, target);
      throw err;
    }
    const exit = await proc.exit;
    if (signal?.aborted) throw new BerthError('CANCELLED', `Cancelled: ${op} "${subject}".`);
    if (exit.exitCode !== 0) throw ctx.failure(op, subject, args, exit);
    return { state: watch.state, bytes: watch.bytes };
  } finally {
    proc.kill();
  }
}
