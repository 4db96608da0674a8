import crypto from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BerthError } from '../../../contract/errors';
import { DEBUG_IMAGE_DEFAULT } from '../../../contract/debug';
import { FILES_HELPER_LABEL, type FileChange, type FileEntry } from '../../../contract/files';
import type { FileStat } from '../../../ports/engine/files';
import type { SpawnedProcess } from '../../../ports/engine/command-runner';
import { normalisePath, tarType } from '../../../core/container-files';
import { parseNerdctlDiff } from '../../../core/nerdctl-diff';
import { HELPER_SIZE_FORMAT, HELPER_STAT_FORMAT, helperListing, parseHelperStats } from '../../../core/nerdctl-files';
import { parseJsonArray } from '../../../core/nerdctl-json';
import { listFromArchive, type ArchiveBackend } from '../files-archive';
import type { NerdctlContext } from './context';
import type { NerdctlDebug } from './debug';
import { tarStream } from '../../lazy-modules';

/** The helper's exit code when the path does not exist in the container. */
const MISSING = 44;

// Scripts of the helper (busybox sh); paths come as arguments, never in the script. `$1` the parent folder, `$2` the name ('' for the root).
// The parent folder is resolved part by part inside the container's root: an absolute link on the way
// (`/var/run` → `/run`) points into the container, not into the helper (at most 40 links, as the kernel allows).
const resolveScript = (path: string) => [
  `R=/proc/1/root; todo=${path}; cur=; n=0`,
  `while [ -n "$todo" ]; do`,
  `  todo=\${todo#/}; c=\${todo%%/*}; case $todo in */*) todo=/\${todo#*/};; *) todo=;; esac`,
  `  case $c in ''|.) continue;; ..) cur=\${cur%/*}; continue;; esac`,
  `  if [ -L "$R$cur/$c" ]; then`,
  `    n=$((n+1)); [ $n -le 40 ] || exit ${MISSING}; t=$(readlink "$R$cur/$c")`,
  `    case $t in /*) cur=; todo=$t$todo;; *) todo=/$t$todo;; esac`,
  `  else cur=$cur/$c; fi`,
  `done`,
].join('\n');
const CD = `${resolveScript('$1')}\ncd "$R$cur/" 2>/dev/null || exit ${MISSING}`;
const EXISTS = `[ -z "$2" ] || [ -e "$2" ] || [ -L "$2" ] || exit ${MISSING}`;
const STAT = `${CD}; ${EXISTS}; stat -c '${HELPER_STAT_FORMAT}' -- "\${2:-.}"`;
// A listed folder is resolved whole: a link to a folder is listed as that folder.
const LIST = `${resolveScript('"$1/$2"')}\ncd "$R$cur/" 2>/dev/null || exit ${MISSING}; find . -xdev -mindepth 1 -maxdepth 1 -exec stat -c '${HELPER_STAT_FORMAT}' {} + && printf '\\0' && find . -xdev -mindepth 2 -type f -exec stat -c '${HELPER_SIZE_FORMAT}' {} +`;
// The root: its entries on the root's own file system (the container's /proc, /sys, /dev and other mounts are left out).
const ARCHIVE = [
  `${CD}; ${EXISTS}`,
  `if [ -n "$2" ]; then exec tar -c -f - -- "$2"; fi`,
  `d=$(stat -c %d .); set --`,
  `for f in .[!.]* ..?* *; do { [ -e "$f" ] || [ -L "$f" ]; } || continue; [ -L "$f" ] || [ "$(stat -c %d "$f")" = "$d" ] || continue; set -- "$@" "$f"; done`,
  `exec tar -c -f - -- "$@"`,
].join('\n');

/**
 * `nerdctl cp <id>:/ -` puts everything under a temporary folder (nerdctl-cp-NNN/): the same archive
 * without it, as a root archive is named everywhere else (hard-link targets too).
 */
function withoutTopFolder(source: Readable): Readable {
  const strip = (name: string) => name.replace(/^[^/]*\/?/, '');
  const ex = tarStream().extract();
  const pack = tarStream().pack();
  ex.on('entry', (h, stream, next) => {
    const name = strip(h.name);
    if (!name) {
      stream.on('end', next);
      stream.resume();
      return;
    }
    stream.pipe(pack.entry({ ...h, name, ...(h.type === 'link' && h.linkname ? { linkname: strip(h.linkname) } : {}) }, next));
  });
  pipeline(source, ex).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return (pack as unknown as Readable).pipe(new PassThrough());
}

interface InspectedState {
  Id: string;
  State?: { Running?: boolean };
}

const parentAndName = (p: string): [string, string] => {
  const parts = normalisePath(p).split('/').filter(Boolean);
  const name = parts.pop() ?? '';
  return [`/${parts.join('/')}`, name];
};

/**
 * A container's file system on nerdctl, which has no archive API and whose `cp` follows links and
 * cannot copy a running container's root (it walks into /proc):
 * - running containers: a short-lived helper container from Berth's busybox toolbox image
 *   (`nerdctl run --rm`, labelled FILES_HELPER_LABEL, no network) joins the target's PID namespace and
 *   uses find/stat/tar on /proc/1/root (the target is not touched);
 * - stopped containers: `nerdctl cp <id>:<path> -` (which resolves a link given as the path itself);
 * - uploads: `nerdctl cp - <id>:<folder>` (a tar over stdin, running or stopped); changes: `nerdctl container diff`.
 */
export class NerdctlFiles implements ArchiveBackend {
  constructor(
    private readonly ctx: NerdctlContext,
    private readonly debug: NerdctlDebug,
  ) {}

  private async target(id: string, signal: AbortSignal): Promise<{ id: string; running: boolean }> {
    const r = await this.ctx.raw(['container', 'inspect', id], { signal });
    if (r.exitCode !== 0) throw this.ctx.failure('inspect the container', id, ['container', 'inspect', id], r);
    const [info] = parseJsonArray<InspectedState>(r.stdout, 'container inspect');
    if (!info) throw new BerthError('NOT_FOUND', `There is no container "${id}".`, { details: { container: id } });
    return { id: info.Id, running: info.State?.Running === true };
  }

  private swept = false;
  private imageReady: Promise<void> | null = null;

  /** Helpers a core that went away left behind (killed mid-run, so `--rm` did not remove them): removed once per adapter. */
  private async sweep(signal: AbortSignal): Promise<void> {
    if (this.swept) return;
    const ids = (await this.ctx.exec('list the files helpers', undefined, ['ps', '-a', '-q', '--no-trunc', '--filter', `label=${FILES_HELPER_LABEL}`, '--filter', 'status=exited'], { signal }))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (ids.length) await this.ctx.exec('remove leftover files helpers', ids.join(', '), ['rm', '-f', ...ids], { signal });
    this.swept = true;
  }

  /** The helper's arguments: `nerdctl run --rm` of the toolbox image in the target's PID namespace. */
  private async helperArgs(target: string, name: string, script: string, args: string[], signal: AbortSignal): Promise<string[]> {
    await this.sweep(signal);
    // Checked (and loaded when missing) once; a helper that fails checks again next time.
    this.imageReady ??= this.debug.ensureImage(DEBUG_IMAGE_DEFAULT, true, signal).catch((err: unknown) => {
      this.imageReady = null;
      throw err;
    });
    await this.imageReady;
    return [
      // No log driver: for an attached run nerdctl copies the output to its logger process too, and that logger
      // stops reading when the container exits. Output still unread then (a large tar on a busy machine) fills
      // the logger's pipe and nerdctl blocks for ever, before the end of the output (nerdctl 2.3, cioutil).
      'run', '--rm', '--log-driver', 'none', '--pull=never', '--name', name, '--label', `${FILES_HELPER_LABEL}=${target}`,
      '--pid', `container:${target}`, '--network', 'none', '--user', '0:0',
      // /proc/1/root of a target running as another user needs ptrace access to it.
      '--cap-add', 'SYS_PTRACE',
      '--entrypoint', '/bin/busybox', DEBUG_IMAGE_DEFAULT, 'sh', '-c', script, 'sh', ...args,
    ];
  }

  /** A helper that did not end by itself (cancelled, or nerdctl failed around it) is removed. */
  private async removeHelper(name: string): Promise<void> {
    this.imageReady = null;
    const r = await this.ctx.raw(['rm', '-f', name]);
    if (r.exitCode !== 0 && !/no such container|not found/i.test(r.stderr)) this.ctx.log.warn('Could not remove a files helper', { name, stderr: r.stderr.slice(-500) });
  }

  private helperName = () => `berth-files-${crypto.randomBytes(5).toString('hex')}`;

  /** Runs a helper to completion: its stdout, or null when the path does not exist. */
  private async helper(op: string, target: string, script: string, args: string[], signal: AbortSignal): Promise<string | null> {
    const name = this.helperName();
    const argv = await this.helperArgs(target, name, script, args, signal);
    const r = await this.ctx.raw(argv, { signal }).catch(async (err: unknown) => {
      await this.removeHelper(name);
      throw err;
    });
    if (r.exitCode === MISSING) return null;
    if (r.exitCode !== 0) {
      await this.removeHelper(name);
      if (signal.aborted) throw new BerthError('CANCELLED', `Cancelled: ${op} in container "${target}".`);
      throw this.ctx.failure(op, target, argv, r);
    }
    return r.stdout;
  }

  async list(id: string, folder: string, signal: AbortSignal): Promise<FileEntry[]> {
    const path = normalisePath(folder);
    const t = await this.target(id, signal);
    if (t.running) {
      const out = await this.helper('list the folder', t.id, LIST, parentAndName(path), signal);
      if (out === null) throw new BerthError('NOT_FOUND', `There is no ${path} in container "${id}".`, { details: { path } });
      try {
        return helperListing(path, out);
      } catch (err) {
        throw new BerthError('COMMAND_FAILED', `Could not list ${path} in container "${id}": ${(err as Error).message}`, { cause: err });
      }
    }
    try {
      return await listFromArchive(path, this.stoppedArchive(t.id, path, signal), signal);
    } catch (err) {
      throw this.streamFailure('list the folder', id, path, err, signal);
    }
  }

  async stat(id: string, path: string, signal: AbortSignal): Promise<FileStat | null> {
    const t = await this.target(id, signal);
    if (t.running) {
      const out = await this.helper('read the file information', t.id, STAT, parentAndName(path), signal);
      if (out === null) return null;
      const [s] = parseHelperStats(out);
      if (!s) throw new BerthError('COMMAND_FAILED', `The files helper said nothing about ${path} in container "${id}".`);
      const st: FileStat = { name: parentAndName(path)[1], size: s.size, mode: s.mode, type: s.type };
      if (s.linkTarget !== undefined) st.linkTarget = s.linkTarget;
      return st;
    }
    if (normalisePath(path) === '/') return { name: '', size: 0, mode: 0o755, type: 'dir' };
    // The first header of `cp`'s archive is the path itself (a link given as the path is followed by cp).
    const ctrl = new AbortController();
    const both = AbortSignal.any([signal, ctrl.signal]);
    let first: FileStat | null = null;
    const ex = tarStream().extract();
    ex.on('entry', (h, stream, next) => {
      first ??= { name: parentAndName(path)[1], size: h.size ?? 0, mode: (h.mode ?? 0) & 0o7777, type: tarType(h.type), ...(h.linkname ? { linkTarget: h.linkname } : {}) };
      stream.resume();
      ctrl.abort();
      next();
    });
    try {
      await pipeline(this.copyOut(t.id, path, both), ex, { signal: both });
    } catch (err) {
      if (first) return first;
      if (err instanceof BerthError && err.code === 'NOT_FOUND') return null;
      throw this.streamFailure('read the file information', id, path, err, signal);
    }
    return first;
  }

  async archive(id: string, path: string, signal: AbortSignal): Promise<Readable> {
    const t = await this.target(id, signal);
    if (!t.running) return this.stoppedArchive(t.id, path, signal);
    const name = this.helperName();
    const argv = await this.helperArgs(t.id, name, ARCHIVE, parentAndName(path), signal);
    const proc = await this.ctx.spawn(argv, { signal });
    return Readable.from(this.output(proc, 'read from the container', id, path, argv, () => this.removeHelper(name)));
  }

  async extract(id: string, folder: string, tar: Readable, signal: AbortSignal): Promise<void> {
    const t = await this.target(id, signal);
    const args = ['cp', '-', `${t.id}:${normalisePath(folder)}`];
    const proc = await this.ctx.spawn(args, { signal });
    const drain = (async () => {
      for await (const chunk of proc.stdout) void chunk;
    })();
    const input = new Writable({
      write(chunk: Buffer, _enc, cb) {
        proc.write(chunk);
        // Backpressure: the next chunk is read once nerdctl cp has taken this one.
        proc.drain().then(() => cb(), cb);
      },
      final(cb) {
        proc.closeInput();
        cb();
      },
    });
    try {
      await pipeline(tar, input, { signal });
    } catch (err) {
      proc.kill();
      throw this.streamFailure('copy into', id, folder, err, signal);
    }
    await drain;
    const exit = await proc.exit;
    if (signal.aborted) throw new BerthError('CANCELLED', `Cancelled: copy into ${folder} of container "${id}".`);
    if (exit.exitCode !== 0) throw this.ctx.failure('copy into the container', id, args, exit);
  }

  async changes(id: string, signal: AbortSignal): Promise<FileChange[]> {
    const out = await this.ctx.exec('read the changes of the container', id, ['container', 'diff', id], { signal });
    try {
      return parseNerdctlDiff(out);
    } catch (err) {
      throw new BerthError('COMMAND_FAILED', `nerdctl's diff of "${id}" could not be read: ${(err as Error).message}`, { cause: err });
    }
  }

  /** A stopped container's path as an archive named as the archive of a running one. */
  private stoppedArchive(id: string, path: string, signal: AbortSignal): Readable {
    const source = this.copyOut(id, path, signal);
    return normalisePath(path) === '/' ? withoutTopFolder(source) : source;
  }

  /** `nerdctl cp <id>:<path> -` as a stream (a stopped container). */
  private copyOut(id: string, path: string, signal: AbortSignal): Readable {
    const args = ['cp', `${id}:${normalisePath(path)}`, '-'];
    return Readable.from(
      (async function* (self: NerdctlFiles) {
        const proc = await self.ctx.spawn(args, { signal });
        yield* self.output(proc, 'read from the container', id, path, args);
      })(this),
    );
  }

  /** A command's stdout, then its exit judged: NOT_FOUND for a missing path, the command's failure otherwise. */
  private async *output(proc: SpawnedProcess, op: string, id: string, path: string, args: string[], onFail?: () => Promise<void>): AsyncGenerator<Uint8Array> {
    let ok = false;
    try {
      for await (const chunk of proc.stdout) yield chunk;
      const exit = await proc.exit;
      if (exit.exitCode === MISSING || /source does not exist/.test(exit.stderr)) {
        throw new BerthError('NOT_FOUND', `There is no ${normalisePath(path)} in container "${id}".`, { details: { path: normalisePath(path) } });
      }
      if (exit.exitCode !== 0) throw this.ctx.failure(op, id, args, exit);
      ok = true;
    } finally {
      if (!ok) {
        proc.kill();
        await onFail?.();
      }
    }
  }

  private streamFailure(op: string, id: string, path: string, err: unknown, signal: AbortSignal): BerthError {
    if (signal.aborted) return new BerthError('CANCELLED', `Cancelled: ${op} ${path} in container "${id}".`);
    if (err instanceof BerthError) return err;
    return new BerthError('COMMAND_FAILED', `Could not ${op} ${path} in container "${id}": ${(err as Error).message}`, { cause: err });
  }
}
