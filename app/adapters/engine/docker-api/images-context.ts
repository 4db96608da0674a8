import fs from 'node:fs';
import path from 'node:path';
import { BerthError } from '../../../contract/errors';
import { DockerIgnore } from '../../../core/image-dockerignore';
import { tarFs } from '../../lazy-modules';

/** A build context folder on this host, checked, with its Dockerfile path inside it ("/" separated). */
export interface BuildContext {
  dir: string;
  dockerfile: string;
}

const invalid = (message: string, hint?: string) => new BerthError('INVALID_INPUT', message, hint ? { hint } : {});

const statOrNull = (p: string): fs.Stats | null => {
  try {
    return fs.statSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    // Not readable (EACCES, a broken mount): told as missing, like a path that is not there.
    return null;
  }
};

/** Checks the folder and the Dockerfile before anything reaches the engine. */
export async function checkBuildContext(contextDir: string, dockerfile = 'Dockerfile'): Promise<BuildContext> {
  if (!path.isAbsolute(contextDir)) throw invalid(`The build folder must be an absolute path ("${contextDir}" is not).`);
  const dir = path.resolve(contextDir);
  const abs = path.resolve(dir, dockerfile);
  const rel = path.relative(dir, abs);
  const inside = !(rel === '' || rel.startsWith('..') || path.isAbsolute(rel));
  // Two stats, read synchronously (as the build session walks the folder): no trip through the thread pool before the
  // build can go. The folder's problem is told first.
  const [st, df] = [statOrNull(dir), inside ? statOrNull(abs) : null];
  if (!st) throw invalid(`The build folder ${dir} does not exist.`, 'Pick an existing folder.');
  if (!st.isDirectory()) throw invalid(`${dir} is not a folder.`, 'The build context is a folder holding the Dockerfile.');
  if (!inside) {
    throw invalid(`The Dockerfile must be inside the build folder ("${dockerfile}" is not).`);
  }
  if (!df?.isFile()) throw invalid(`There is no Dockerfile at ${abs}.`, 'Check the Dockerfile path (it is relative to the build folder).');
  return { dir, dockerfile: rel.split(path.sep).join('/') };
}

/**
 * The context as a tar stream, honouring .dockerignore the way the Docker CLI does (the
 * Dockerfile and .dockerignore are always sent; excluded folders are not entered unless an
 * exception points inside them).
 */
export async function packBuildContext(ctx: BuildContext): Promise<NodeJS.ReadableStream & { destroy(err?: Error): void }> {
  const ignoreFile = path.join(ctx.dir, '.dockerignore');
  const text = await fs.promises.readFile(ignoreFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw invalid(`Could not read ${ignoreFile}: ${err.message}`);
  });
  const rules = new DockerIgnore(text, [ctx.dockerfile, '.dockerignore']);
  const relOf = (abs: string) => path.relative(ctx.dir, abs).split(path.sep).join('/');
  return tarFs().pack(ctx.dir, {
    ignore: (abs: string) => {
      const rel = relOf(abs);
      if (!rules.excludes(rel)) return false;
      // An excluded folder is entered only when an exception may match inside it.
      let isDir = false;
      try {
        isDir = fs.lstatSync(abs).isDirectory();
      } catch {
        return true;
      }
      return !(isDir && rules.mayIncludeUnder(rel));
    },
    // Owner and group as the CLI sends them (root), so COPY does not carry host IDs.
    map: (h) => {
      h.uid = 0;
      h.gid = 0;
      return h;
    },
  });
}
