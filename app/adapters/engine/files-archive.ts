import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BerthError } from '../../contract/errors';
import type { FileChange, FileEntry, FilesReadResult, FilesUploadResult } from '../../contract/files';
import type { FilesOps, FileStat, FilesUploadOptions } from '../../ports/engine/files';
import { childPath, decodeText, FolderListing, normalisePath } from '../../core/container-files';
import { tarFs, tarStream } from '../lazy-modules';

/** A folder's direct children read from its archive (the folder and everything below it); the stream's errors are thrown as they are. */
export async function listFromArchive(folder: string, source: Readable, signal: AbortSignal): Promise<FileEntry[]> {
  const listing = new FolderListing(folder);
  const ex = tarStream().extract();
  ex.on('entry', (header, stream, next) => {
    listing.add(header);
    stream.on('end', next);
    stream.resume();
  });
  await pipeline(source, ex, { signal });
  return listing.entries();
}

/** What an engine adapter provides; the rest (text, files on disk, overwrite checks) is the same for every engine. */
export interface ArchiveBackend {
  list(id: string, path: string, signal: AbortSignal): Promise<FileEntry[]>;
  stat(id: string, path: string, signal: AbortSignal): Promise<FileStat | null>;
  /** The path as a tar stream (a file: one entry; a folder: it and everything below). */
  archive(id: string, path: string, signal: AbortSignal): Promise<Readable>;
  /** Unpacks a tar stream into an existing folder. */
  extract(id: string, folder: string, tar: Readable, signal: AbortSignal): Promise<void>;
  changes(id: string, signal: AbortSignal): Promise<FileChange[]>;
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
const sizeText = (n: number) => (n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : mib(n));

const localFsError = (err: unknown, target: string): BerthError => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return new BerthError('DISK_FULL', `The disk holding ${target} is full: nothing was written.`, { hint: 'Free space, or write to another disk.', cause: err });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new BerthError('PERMISSION_DENIED', `Berth may not use ${target} (${code}).`, { hint: 'Pick a location you can use.', cause: err });
  }
  if (code === 'ENOENT') return new BerthError('NOT_FOUND', `${target} does not exist.`, { details: { path: target }, cause: err });
  return new BerthError('COMMAND_FAILED', `Could not use ${target}: ${(err as Error).message}`, { cause: err });
};

/** Follows symbolic links of the container (relative or absolute), at most 16 hops. */
async function resolveLinks(b: ArchiveBackend, id: string, p: string, signal: AbortSignal): Promise<{ path: string; stat: FileStat }> {
  let cur = normalisePath(p);
  for (let hop = 0; hop < 16; hop++) {
    const st = await b.stat(id, cur, signal);
    if (!st) throw new BerthError('NOT_FOUND', `There is no ${cur} in container "${id}".`, { details: { path: cur } });
    if (st.type !== 'symlink' || !st.linkTarget) return { path: cur, stat: st };
    cur = normalisePath(st.linkTarget.startsWith('/') ? st.linkTarget : path.posix.join(path.posix.dirname(cur), st.linkTarget));
  }
  throw new BerthError('INVALID_INPUT', `${p} in container "${id}" is a loop of symbolic links.`, { details: { path: p } });
}

/** The top-level names a tar file on disk would write (read header by header, not buffered). */
async function tarTopNames(file: string, signal: AbortSignal): Promise<string[]> {
  const names = new Set<string>();
  const ex = tarStream().extract();
  ex.on('entry', (h, stream, next) => {
    const top = h.name.replace(/^(\.\/|\/)+/, '').split('/')[0];
    if (top && top !== '.') names.add(top);
    stream.on('end', next);
    stream.resume();
  });
  try {
    await pipeline(fs.createReadStream(file), ex, { signal });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).syscall) throw localFsError(err, file);
    throw new BerthError('INVALID_INPUT', `${file} is not a tar archive: ${(err as Error).message}`, { details: { path: file }, cause: err });
  }
  return [...names].sort();
}

/** The FilesOps of an engine, on top of its archive calls. */
export class ArchiveFiles implements FilesOps {
  constructor(private readonly b: ArchiveBackend) {}

  async list(id: string, p: string, signal: AbortSignal): Promise<FileEntry[]> {
    const folder = await resolveLinks(this.b, id, p, signal);
    if (folder.stat.type !== 'dir') throw new BerthError('INVALID_INPUT', `${folder.path} in container "${id}" is not a folder.`, { details: { path: folder.path } });
    const entries = await this.b.list(id, folder.path, signal);
    // Listed under the path that was asked for (a folder reached through a link keeps the link's path).
    const base = normalisePath(p);
    return folder.path === base ? entries : entries.map((e) => ({ ...e, path: childPath(base, e.name) }));
  }

  stat(id: string, p: string, signal: AbortSignal): Promise<FileStat | null> {
    return this.b.stat(id, normalisePath(p), signal);
  }

  async read(id: string, p: string, maxBytes: number, signal: AbortSignal): Promise<FilesReadResult> {
    const file = await resolveLinks(this.b, id, p, signal);
    if (file.stat.type === 'dir') throw new BerthError('INVALID_INPUT', `${file.path} in container "${id}" is a folder.`, { details: { path: file.path } });
    if (file.stat.type !== 'file') throw new BerthError('INVALID_INPUT', `${file.path} in container "${id}" is not a regular file (${file.stat.type}).`, { details: { path: file.path } });
    if (file.stat.size > maxBytes) {
      throw new BerthError('INVALID_INPUT', `${file.path} is ${sizeText(file.stat.size)}; Berth shows files up to ${sizeText(maxBytes)}.`, {
        hint: 'Download it instead.',
        details: { path: file.path, size: file.stat.size, maxBytes },
      });
    }
    const source = await this.b.archive(id, file.path, signal);
    const chunks: Buffer[] = [];
    let total = 0;
    const ex = tarStream().extract();
    ex.on('entry', (h, stream, next) => {
      if (chunks.length === 0 && total === 0 && (h.type === 'file' || !h.type)) {
        stream.on('data', (c: Buffer) => {
          total += c.length;
          if (total <= maxBytes) chunks.push(c);
        });
      } else stream.resume();
      stream.on('end', next);
    });
    try {
      await pipeline(source, ex, { signal });
    } catch (err) {
      if (signal.aborted) throw new BerthError('CANCELLED', `Cancelled: read ${file.path} in container "${id}".`);
      throw new BerthError('COMMAND_FAILED', `Could not read ${file.path} in container "${id}": ${(err as Error).message}`, { cause: err });
    }
    if (total > maxBytes) throw new BerthError('INVALID_INPUT', `${file.path} grew to ${sizeText(total)}; Berth shows files up to ${sizeText(maxBytes)}.`, { hint: 'Download it instead.' });
    const text = decodeText(Buffer.concat(chunks));
    const out: FilesReadResult = { path: normalisePath(p), size: total, binary: text === null };
    if (text !== null) out.text = text;
    return out;
  }

  async download(id: string, p: string, to: string, overwrite: boolean, signal: AbortSignal): Promise<{ path: string; bytes: number }> {
    const target = path.resolve(to);
    const dir = path.dirname(target);
    const dirStat = await fs.promises.stat(dir).catch(() => null);
    if (!dirStat?.isDirectory()) throw new BerthError('INVALID_INPUT', `The folder ${dir} does not exist.`, { hint: 'Save into an existing folder.', details: { path: target } });
    const existing = await fs.promises.lstat(target).catch(() => null);
    if (existing?.isDirectory()) throw new BerthError('INVALID_INPUT', `${target} is a folder; give a file name.`, { details: { path: target } });
    if (existing && !overwrite) throw new BerthError('CONFLICT', `${target} already exists.`, { hint: 'Pick another file name, or allow replacing it.', details: { path: target } });
    const st = await this.b.stat(id, normalisePath(p), signal);
    if (!st) throw new BerthError('NOT_FOUND', `There is no ${normalisePath(p)} in container "${id}".`, { details: { path: normalisePath(p) } });
    const source = await this.b.archive(id, normalisePath(p), signal);
    const tmp = path.join(dir, `.${path.basename(target)}.${crypto.randomBytes(4).toString('hex')}.part`);
    try {
      try {
        await pipeline(source, fs.createWriteStream(tmp, { flags: 'wx' }), { signal });
      } catch (err) {
        if (signal.aborted) throw new BerthError('CANCELLED', `Cancelled: download ${p} from container "${id}".`);
        if ((err as NodeJS.ErrnoException).syscall) throw localFsError(err, target);
        throw new BerthError('COMMAND_FAILED', `Could not download ${p} from container "${id}": ${(err as Error).message}`, { cause: err });
      }
      const { size } = await fs.promises.stat(tmp);
      if (overwrite) await fs.promises.rename(tmp, target);
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

  async upload(id: string, p: string, opts: FilesUploadOptions, signal: AbortSignal): Promise<FilesUploadResult> {
    const folder = await resolveLinks(this.b, id, p, signal);
    if (folder.stat.type !== 'dir') throw new BerthError('INVALID_INPUT', `${folder.path} in container "${id}" is not a folder.`, { details: { path: folder.path } });
    const sources = opts.sources.map((s) => path.resolve(s));
    for (const s of sources) await fs.promises.lstat(s).catch((err: unknown) => Promise.reject(localFsError(err, s)));
    const names = opts.extractTar ? await tarTopNames(sources[0] as string, signal) : sources.map((s) => path.basename(s));
    const dupes = names.filter((n, i) => names.indexOf(n) !== i);
    if (dupes.length) throw new BerthError('INVALID_INPUT', `Two sources have the same name: ${[...new Set(dupes)].join(', ')}.`, { details: { names: dupes } });
    const existing: string[] = [];
    for (const n of names) if (await this.b.stat(id, childPath(folder.path, n), signal)) existing.push(n);
    if (existing.length && !opts.confirm) {
      throw new BerthError('CONFLICT', `${existing.length === 1 ? `${childPath(folder.path, existing[0] as string)} exists` : `${existing.length} of these exist in ${folder.path}`}: replacing needs confirmation.`, {
        hint: 'Confirm to replace them, or upload into another folder.',
        details: { path: folder.path, existing },
      });
    }
    if (opts.extractTar) await this.b.extract(id, folder.path, fs.createReadStream(sources[0] as string), signal);
    else {
      // One archive per host folder the sources are in; owned by the container's root, as `docker cp` does.
      const groups = new Map<string, string[]>();
      for (const s of sources) groups.set(path.dirname(s), [...(groups.get(path.dirname(s)) ?? []), path.basename(s)]);
      for (const [dir, entries] of groups) {
        const pack = tarFs().pack(dir, { entries, map: (h) => ({ ...h, uid: 0, gid: 0, uname: 'root', gname: 'root' }) }) as unknown as Readable;
        // Piped, not Readable.from(pack): that never ends on tar-fs' (streamx) pack, and a consumer that waits for the end hangs.
        await this.b.extract(id, folder.path, pack.pipe(new PassThrough()), signal);
      }
    }
    return { path: folder.path, written: names, overwritten: existing };
  }

  changes(id: string, signal: AbortSignal): Promise<FileChange[]> {
    return this.b.changes(id, signal);
  }
}
