import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BerthError } from '../../../contract/errors';
import type { LoadResult, SaveInput } from '../../../contract/images';
import { parseImageTarget } from '../../../core/image-ref';
import type { DockerContext } from './context';
import { readJsonLines } from './images-stream';

// dockerode has GET /images/get (several images in one tar) but its types do not declare it.
type WithGetImages = { getImages(opts: { names: string[]; abortSignal?: AbortSignal }): Promise<NodeJS.ReadableStream> };

const invalid = (message: string, hint?: string) => new BerthError('INVALID_INPUT', message, hint ? { hint } : {});

/** Writes the images to a tar: streamed to a temporary file next to it, then moved in place. */
export async function saveImages(ctx: DockerContext, input: Omit<SaveInput, 'engineId'>, signal?: AbortSignal): Promise<{ path: string; bytes: number }> {
  const names = input.refs.map((r) => parseImageTarget(r).value);
  if (!path.isAbsolute(input.path)) throw invalid(`The file must be an absolute path ("${input.path}" is not).`);
  const file = path.resolve(input.path);
  const dir = path.dirname(file);
  const dst = await fs.promises.stat(dir).catch(() => null);
  if (!dst?.isDirectory()) throw invalid(`The folder ${dir} does not exist.`);
  const existing = await fs.promises.lstat(file).catch(() => null);
  if (existing?.isDirectory()) throw invalid(`${file} is a folder.`, 'Give the name of a file to write.');
  if (existing && !input.overwrite) {
    throw new BerthError('CONFLICT', `${file} already exists.`, { hint: 'Choose another file name, or allow overwriting it.', details: { path: file } });
  }
  // Missing images are named before anything is written.
  for (const n of names) await ctx.call('save image', n, () => ctx.docker.getImage(n).inspect());

  const tmp = path.join(dir, `.${path.basename(file)}.${crypto.randomBytes(4).toString('hex')}.part`);
  try {
    const stream = await ctx.call('save images', names.join(', '), () => (ctx.docker as unknown as WithGetImages).getImages(signal ? { names, abortSignal: signal } : { names }));
    await pipeline(stream, fs.createWriteStream(tmp, { flags: 'wx', mode: 0o644 }), signal ? { signal } : {}).catch((err: unknown) => {
      throw ctx.fail(err, 'save images', names.join(', '));
    });
    if (input.overwrite) await fs.promises.rename(tmp, file);
    else {
      // link() fails if the file appeared meanwhile: never clobber what we were told to keep.
      await fs.promises.link(tmp, file).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') throw new BerthError('CONFLICT', `${file} already exists.`, { hint: 'Choose another file name, or allow overwriting it.' });
        throw err;
      });
      await fs.promises.unlink(tmp);
    }
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  const st = await fs.promises.stat(file);
  return { path: file, bytes: st.size };
}

/** Loads a `docker save` tar; returns the references and IDs it brought. */
export async function loadImages(ctx: DockerContext, file: string, signal?: AbortSignal): Promise<LoadResult> {
  if (!path.isAbsolute(file)) throw invalid(`The file must be an absolute path ("${file}" is not).`);
  const st = await fs.promises.stat(file).catch(() => null);
  if (!st) throw invalid(`There is no file at ${file}.`);
  if (!st.isFile()) throw invalid(`${file} is not a file.`);
  const sig = signal ?? new AbortController().signal;
  const refs: string[] = [];
  const ids = new Set<string>();
  let error: string | null = null;
  const stream = await ctx.call('load images', file, () =>
    ctx.docker.loadImage(fs.createReadStream(file), { quiet: true, abortSignal: sig } as object) as Promise<NodeJS.ReadableStream>,
  );
  await readJsonLines(
    stream,
    (m) => {
      const e = (m.errorDetail as { message?: string } | undefined)?.message ?? (typeof m.error === 'string' ? m.error : null);
      if (e) error = e;
      const s = typeof m.stream === 'string' ? m.stream.trim() : '';
      const ref = /^Loaded image: (.+)$/.exec(s)?.[1];
      const id = /^Loaded image ID: (.+)$/.exec(s)?.[1];
      if (ref) refs.push(ref);
      if (id) ids.add(id);
    },
    sig,
    `load ${file}`,
  );
  if (error !== null) {
    const mapped = ctx.fail(new Error(error), 'load images', file);
    if (mapped instanceof BerthError && mapped.code === 'DISK_FULL') throw mapped;
    throw new BerthError('INVALID_INPUT', `${file} could not be loaded as an image archive: ${error}`, {
      hint: 'Choose a tar written by "docker save" (or Berth\'s Save).',
      details: { engineMessage: error },
    });
  }
  for (const r of refs) {
    const img = await ctx.call('inspect image', r, () => ctx.docker.getImage(r).inspect());
    ids.add(img.Id);
  }
  return { refs, ids: [...ids] };
}
