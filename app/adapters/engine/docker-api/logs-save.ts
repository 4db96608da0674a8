import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../../contract/errors';
import { lineCount, type LogBatch, type LogsSaveResult } from '../../../contract/logs';

/**
 * Writes log lines to a file on this machine. Format: one line per log line, stdout and
 * stderr interleaved in the order the engine sent them, no stream marker (what
 * `docker logs c > file 2>&1` gives); with `timestamps`, each line starts with the engine's
 * RFC 3339 time and a space. The file appears whole or not at all: lines go to a temporary
 * file in the same folder, which is then renamed (or hard-linked, which refuses to replace
 * an existing file, when `overwrite` is false).
 */
export async function saveLogLines(
  batches: AsyncIterable<LogBatch>,
  opts: { path: string; overwrite: boolean; timestamps: boolean },
  signal: AbortSignal,
): Promise<LogsSaveResult> {
  const target = path.resolve(opts.path);
  const dir = path.dirname(target);
  await checkTarget(target, dir, opts.overwrite);

  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.berth-tmp`);
  let fh: fs.FileHandle | null = null;
  let bytes = 0;
  let lines = 0;
  try {
    fh = await fs.open(tmp, 'wx', 0o644).catch((err: unknown) => {
      throw fsError(err, 'create a file in', dir);
    });
    for await (const batch of batches) {
      let text = '';
      for (const r of batch.runs) {
        if (opts.timestamps && r.ts) {
          const ts = r.ts;
          r.text.split('\n').forEach((t, i) => (text += ts[i] ? `${ts[i]} ${t}\n` : `${t}\n`));
        } else text += `${r.text}\n`;
        lines += lineCount(r.text);
      }
      const buf = Buffer.from(text, 'utf8');
      await fh.write(buf).catch((err: unknown) => {
        throw fsError(err, 'write', target);
      });
      bytes += buf.length;
    }
    if (signal.aborted) throw new BerthError('CANCELLED', `Saving the logs to ${target} was cancelled.`);
    await fh.sync().catch(() => undefined);
    await fh.close();
    fh = null;
    await publish(tmp, target, opts.overwrite);
    return { path: target, bytes, lines };
  } finally {
    if (fh) await fh.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
  }
}

async function checkTarget(target: string, dir: string, overwrite: boolean): Promise<void> {
  const d = await fs.stat(dir).catch((err: unknown) => {
    throw (err as { code?: string }).code === 'ENOENT'
      ? new BerthError('INVALID_INPUT', `The folder ${dir} does not exist.`, { hint: 'Pick a folder that exists.' })
      : fsError(err, 'open the folder', dir);
  });
  if (!d.isDirectory()) throw new BerthError('INVALID_INPUT', `${dir} is not a folder.`);
  const t = await fs.lstat(target).catch(() => null);
  if (!t) return;
  if (t.isDirectory()) throw new BerthError('INVALID_INPUT', `${target} is a folder; give a file name.`);
  if (!overwrite) throw exists(target);
}

const exists = (target: string) =>
  new BerthError('CONFLICT', `The file ${target} already exists.`, { hint: 'Choose another name, or allow replacing it.', details: { path: target } });

/** Moves the finished file into place; without `overwrite`, never replaces a file that appeared meanwhile. */
async function publish(tmp: string, target: string, overwrite: boolean): Promise<void> {
  if (overwrite) {
    await fs.rename(tmp, target).catch((err: unknown) => {
      throw fsError(err, 'replace', target);
    });
    return;
  }
  try {
    await fs.link(tmp, target);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EEXIST') throw exists(target);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw fsError(err, 'create', target);
    // A file system without hard links: check, then rename (a small window remains).
    if (await fs.lstat(target).catch(() => null)) throw exists(target);
    await fs.rename(tmp, target).catch((e: unknown) => {
      throw fsError(e, 'create', target);
    });
  }
}

function fsError(err: unknown, op: string, where: string): BerthError {
  const code = (err as { code?: string }).code ?? '';
  const detail = { path: where, errno: code };
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new BerthError('PERMISSION_DENIED', `Permission denied: cannot ${op} ${where}.`, { hint: 'Pick a folder you can write to.', details: detail, cause: err });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return new BerthError('DISK_FULL', `The disk is full: cannot ${op} ${where}.`, { details: detail, cause: err });
  if (code === 'ENOENT' || code === 'ENOTDIR') return new BerthError('INVALID_INPUT', `Cannot ${op} ${where}: the folder does not exist.`, { details: detail, cause: err });
  return new BerthError('COMMAND_FAILED', `Cannot ${op} ${where}: ${err instanceof Error ? err.message : String(err)}`, { details: detail, cause: err });
}
