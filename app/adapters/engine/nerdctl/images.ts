import fs from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../../contract/errors';
import type {
  BuildInput,
  ImageDetails,
  ImageFilter,
  ImageHistoryEntry,
  ImageSummary,
  LoadResult,
  PruneResult,
  PullDone,
  PullInput,
  PushDone,
  PushInput,
  RemoveResult,
  SaveInput,
  TransferProgress,
} from '../../../contract/images';
import { formatImageRef, parseImageRef, parseImageTarget, tryParseImageRef } from '../../../core/image-ref';
import { LineSplitter, obj, parseJsonArray, parseJsonLines, str, strMap } from '../../../core/nerdctl-json';
import { imageTargetDigest, parseHistoryRow, parseImageInspect, parseImageRows, PullProgressParser } from '../../../core/nerdctl-images';
import { familiarImage, parsePsRow, PS_FORMAT } from '../../../core/nerdctl-ps';
import type { BuildDone, BuildOutput, ImagesOps } from '../../../ports/engine/images';
import type { ConvertInput, ConvertResult } from '../../../contract/images-lazy';
import type { NerdctlContext } from './context';
import { nerdctlBuild } from './images-build';
import { isEstargzImage } from '../../../core/estargz';
import { readDockerfileStages } from '../dockerfile-read';
import { commandToFile } from './to-file';
import { readArchiveIndex } from './archive-names';
import { findImage, nerdctlRemoveImage, nerdctlTag } from './images-manage';
import { withRequestCredentials } from './images-auth';

const PROGRESS_EVERY_MS = 150;

/** An id or a valid reference, as nerdctl should receive it; INVALID_REFERENCE (Docker's words) before anything runs. */
const checkRef = (ref: string): string => parseImageTarget(ref).value;

export class NerdctlImages implements ImagesOps {
  constructor(private readonly ctx: NerdctlContext) {}

  async list(filter: ImageFilter, signal?: AbortSignal): Promise<ImageSummary[]> {
    const o = signal ? { signal } : {};
    const [images, ps] = await Promise.all([
      this.ctx.exec('list images', undefined, ['images', '--format', 'json'], o),
      this.ctx.exec('list containers', undefined, ['ps', '-a', '--no-trunc', '--format', PS_FORMAT], o),
    ]);
    const uses = new Map<string, number>();
    for (const c of parseJsonLines(ps, 'ps').map(parsePsRow)) uses.set(c.image, (uses.get(c.image) ?? 0) + 1);
    const all = parseImageRows(parseJsonLines(images, 'images'), withShortNames(uses));
    await this.addLabels(all, o);
    switch (filter) {
      case 'inUse':
        return all.filter((i) => i.inUse);
      case 'unused':
        return all.filter((i) => !i.inUse);
      case 'dangling':
        return all.filter((i) => i.dangling);
      default:
        return all;
    }
  }

  /**
   * `nerdctl images` has no labels: one `image inspect` of every image (by a name, or the id of a nameless
   * one; an id with several names is ambiguous to nerdctl) adds them, as Docker's list has them.
   */
  private async addLabels(images: ImageSummary[], o: { signal?: AbortSignal }): Promise<void> {
    const keys = images.map((i) => i.repoTags[0] ?? i.id);
    if (keys.length === 0) return;
    const r = await this.ctx.raw(['image', 'inspect', '--mode=dockercompat', ...keys], o);
    // An image removed meanwhile fails the whole inspect: the list stays without labels rather than failing.
    if (r.exitCode !== 0) {
      this.ctx.log.warn('Image labels could not be read for the list', { error: r.stderr.slice(-500) });
      return;
    }
    const docs = parseJsonArray(r.stdout, 'image inspect');
    images.forEach((img, i) => {
      const labels = obj(obj(docs[i]).Config).Labels;
      img.labels = strMap(labels);
    });
  }

  async inspect(ref: string, signal?: AbortSignal): Promise<ImageDetails> {
    const r = checkRef(ref);
    const o = signal ? { signal } : {};
    const [out, native] = await Promise.all([
      this.ctx.exec('inspect the image', ref, ['image', 'inspect', '--mode=dockercompat', r], o),
      this.ctx.exec('inspect the image', ref, ['image', 'inspect', '--mode=native', r], o),
    ]);
    const [doc] = parseJsonArray(out, 'image inspect');
    if (!doc) throw new BerthError('IMAGE_NOT_FOUND', `The image "${ref}" was not found.`, { hint: 'Pull it first, or check the name and tag.' });
    // The id the list shows (containerd's target digest), not dockercompat's config digest.
    const nativeDoc = parseJsonArray(native, 'image inspect')[0] ?? {};
    const id = imageTargetDigest(nativeDoc);
    if (!id.startsWith('sha256:')) throw new BerthError('COMMAND_FAILED', `nerdctl gave no digest for the image "${ref}".`, { details: { native: native.slice(0, 2000) } });
    return { ...parseImageInspect(doc), id, estargz: isEstargzImage(nativeDoc) };
  }

  async history(ref: string, signal?: AbortSignal): Promise<ImageHistoryEntry[]> {
    const r = checkRef(ref);
    const [out, image] = await Promise.all([this.ctx.exec('read the history of', ref, ['history', '--no-trunc', '--format', '{{json .}}', r], signal ? { signal } : {}), this.inspect(ref, signal)]);
    // nerdctl's per-step ids are snapshot digests, not images: as on Docker, the newest step is the image itself
    // (its id and names) and the steps below have no image of their own here.
    return parseJsonLines(out, 'history').map((row, i) => ({ ...parseHistoryRow(row), id: i === 0 ? image.id : null, tags: i === 0 ? image.repoTags : [] }));
  }

  async pull(input: Omit<PullInput, 'engineId'>, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<PullDone> {
    const ref = checkRef(input.ref);
    if (input.lazy && this.ctx.stargz === false) {
      throw new BerthError('NOT_SUPPORTED', 'This containerd has no stargz snapshotter, so it cannot pull lazily.', {
        hint: 'Turn on lazy pulling (the stargz snapshotter) for the VM, or pull normally.',
      });
    }
    // Lazy: the stargz snapshotter mounts eStargz layers before they are downloaded (non-eStargz layers are fetched as usual).
    const args = [...(input.lazy ? ['--snapshotter', 'stargz'] : []), 'pull', ...(input.platform ? ['--platform', input.platform] : []), ref];
    await withRequestCredentials(this.ctx, ref, input.auth, 'a pull', (env) => this.transfer('pull the image', ref, args, onProgress, signal, env));
    const d = await this.inspect(ref);
    const digest = d.repoDigests[0]?.split('@')[1];
    return { done: true, id: d.id, ref: d.repoTags[0] ?? ref, ...(digest ? { digest } : {}) };
  }

  async push(input: Omit<PushInput, 'engineId'>, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<PushDone> {
    const parsed = parseImageRef(input.ref);
    if (parsed.digest) throw new BerthError('INVALID_REFERENCE', `"${input.ref}" has a digest; push a tag instead.`, { hint: 'Tag the image (name:tag) and push that tag.' });
    // As Docker reports it: no tag means :latest.
    const ref = formatImageRef(parsed);
    const out = await withRequestCredentials(this.ctx, ref, input.auth, 'a push', (env) => this.transfer('push the image', ref, ['push', ref], onProgress, signal, env));
    const digest = /(sha256:[0-9a-f]{64})/.exec(out)?.[1] ?? (await this.inspect(ref)).repoDigests.find((x) => x.includes('@'))?.split('@')[1] ?? '';
    return { done: true, ref, digest };
  }

  /** Runs a pull or push, parsing containerd's progress table into throttled TransferProgress; returns stdout. */
  private async transfer(op: string, ref: string, args: string[], onProgress: (p: TransferProgress) => void, signal: AbortSignal, env?: Record<string, string>): Promise<string> {
    const parser = new PullProgressParser();
    const errSplit = new LineSplitter();
    let last = 0;
    const feed = (lines: string[]) => {
      let changed = false;
      for (const l of lines) changed = parser.push(l) || changed;
      const now = Date.now();
      if (changed && now - last >= PROGRESS_EVERY_MS) {
        last = now;
        onProgress(parser.snapshot());
      }
    };
    const proc = await this.ctx.spawn(args, { signal, onStderr: (c) => feed(errSplit.push(c)), ...(env ? { env } : {}) });
    const outSplit = new LineSplitter();
    let stdout = '';
    for await (const c of proc.stdout) {
      const lines = outSplit.push(c);
      stdout += lines.join('\n') + '\n';
      feed(lines);
    }
    const exit = await proc.exit;
    if (signal.aborted) throw new BerthError('CANCELLED', `Cancelled: ${op} "${ref}".`);
    if (exit.exitCode !== 0) throw this.ctx.failure(op, ref, args, exit);
    onProgress(parser.snapshot(true));
    return stdout;
  }

  tag(source: string, target: string, signal?: AbortSignal): Promise<string> {
    return nerdctlTag(this.ctx, () => this.list('all', signal), source, target, signal);
  }

  remove(ref: string, force: boolean, signal?: AbortSignal): Promise<RemoveResult> {
    return nerdctlRemoveImage(this.ctx, () => this.list('all', signal), ref, force, signal);
  }

  async prune(opts: { all: boolean; dryRun: boolean }, signal?: AbortSignal): Promise<PruneResult> {
    const images = await this.list('all', signal);
    const victims = images.filter((i) => !i.inUse && (opts.all || i.dangling));
    const removed: PruneResult['removed'] = [];
    let space = 0;
    if (!opts.dryRun) {
      for (const v of victims) {
        const refs = v.repoTags.length > 0 ? v.repoTags : [v.id];
        for (const ref of refs) await this.ctx.exec('remove the image', ref, ['rmi', ref], signal ? { signal } : {});
        removed.push({ id: v.id, tags: v.repoTags });
        space += v.size;
      }
    } else {
      for (const v of victims) {
        removed.push({ id: v.id, tags: v.repoTags });
        space += v.size;
      }
    }
    return { dryRun: opts.dryRun, removed, untagged: removed.flatMap((r) => r.tags), spaceReclaimed: space };
  }

  build(input: Omit<BuildInput, 'engineId'>, onOutput: (item: BuildOutput) => void, signal: AbortSignal): Promise<BuildDone> {
    return nerdctlBuild(this.ctx, input, onOutput, signal, async (ref) => (await this.inspect(ref)).id);
  }

  buildStages(contextDir: string, dockerfile: string, signal?: AbortSignal) {
    return readDockerfileStages(contextDir, dockerfile, signal);
  }

  async convert(input: Omit<ConvertInput, 'engineId'>, signal?: AbortSignal): Promise<ConvertResult> {
    const source = checkRef(input.source);
    const target = checkRef(input.target);
    // --oci: eStargz layers carry their TOC digest as an annotation, which Docker schema 2 manifests cannot hold.
    await this.ctx.exec('convert the image to eStargz', source, ['image', 'convert', '--estargz', '--oci', source, target], signal ? { signal } : {});
    return { target, id: (await this.inspect(target, signal)).id, format: 'estargz' };
  }

  async save(input: Omit<SaveInput, 'engineId'>, signal?: AbortSignal): Promise<{ path: string; bytes: number }> {
    const refs = input.refs.map(checkRef);
    if (!path.isAbsolute(input.path)) throw new BerthError('INVALID_INPUT', `The file must be an absolute path ("${input.path}" is not).`);
    const st = await fs.stat(input.path).catch(() => null);
    if (st?.isDirectory()) throw new BerthError('INVALID_INPUT', `${path.resolve(input.path)} is a folder.`, { hint: 'Give the name of a file to write.' });
    // Missing images are named before anything is written (nerdctl names them all together).
    for (const r of input.refs) await this.inspect(r, signal);
    // An id is saved under one of its names: by digest alone nerdctl may match the image's index record too and then
    // write no manifest.json (seen intermittently).
    const all = refs.some((r) => parseImageTarget(r).kind === 'id') ? await this.list('all', signal) : [];
    const named = refs.map((r) => (parseImageTarget(r).kind === 'id' ? (findImage(all, r)?.repoTags[0] ?? r) : r));
    return commandToFile(this.ctx, 'save the images', refs.join(', '), ['save', ...named], { path: input.path, overwrite: input.overwrite, ...(signal ? { signal } : {}) });
  }

  async load(file: string, signal?: AbortSignal): Promise<LoadResult> {
    const target = path.resolve(file);
    const st = await fs.stat(target).catch(() => null);
    if (!st) throw new BerthError('INVALID_INPUT', `There is no file at ${target}.`, { details: { path: target } });
    if (!st.isFile()) throw new BerthError('INVALID_INPUT', `${target} is not a file.`, { details: { path: target } });
    // A local nerdctl reads the file itself: over a socket stdin (how Node gives a child its stdin) nerdctl sees
    // no bytes yet and refuses ("stdin is empty"). In the VM the archive goes over stdin (a pipe through ssh).
    const local = this.ctx.runner.sharesHostFiles === true;
    const args = local ? ['load', '-i', target] : ['load'];
    const proc = await this.ctx.spawn(args, signal ? { signal } : {});
    if (!local) {
      const fh = await fs.open(target, 'r');
      try {
        for await (const chunk of fh.createReadStream()) {
          proc.write(chunk as Uint8Array);
          await proc.drain();
        }
      } finally {
        await fh.close();
      }
    }
    proc.closeInput();
    let out = '';
    const dec = new TextDecoder();
    for await (const c of proc.stdout) out += dec.decode(c, { stream: true });
    const exit = await proc.exit;
    if (exit.exitCode !== 0) {
      const failure = this.ctx.failure('load the images', target, args, exit);
      if (failure.code !== 'COMMAND_FAILED') throw failure;
      const engineMessage = String(failure.details?.engineMessage ?? failure.message.replace(/^Could not load the images "[^"]*": /, ''));
      throw new BerthError('INVALID_INPUT', `${target} could not be loaded as an image archive: ${engineMessage}`, {
        hint: 'Choose a tar written by "nerdctl save", "docker save" or Berth\'s Save.',
        details: { ...failure.details, engineMessage },
      });
    }
    // nerdctl's "Loaded image:" lines can miss names (see readArchiveNames): the archive's own names count too, and
    // when it names any, only they do. containerd's transfer service may also report `import@sha256:…`, the name it
    // gives an image while importing it: that name is gone once the archive's own names are set, so only the names that
    // exist are reported. Another load at the same moment in this namespace may set one of these names to its own image
    // by the time it is inspected: a name index.json gives a digest for is reported as that digest, this archive's image.
    const printed = [...out.matchAll(/Loaded image: (\S+)/g)].map((m) => str(m[1]));
    const archive = await readArchiveIndex(target, signal);
    const own = new Set(archive.names.map(familiarImage));
    const targets = new Map([...archive.targets].map(([name, digest]) => [familiarImage(name), digest]));
    const refs: string[] = [];
    const ids: string[] = [];
    // nerdctl prints a name once per platform and index level: each is reported once.
    for (const r of new Set([...(own.size ? printed.filter((p) => own.has(familiarImage(p))) : printed), ...archive.names])) {
      const ref = familiarImage(r);
      try {
        const id = targets.get(ref) ?? (await this.inspect(r)).id;
        if (!ids.includes(id)) ids.push(id);
        if (!refs.includes(ref)) refs.push(ref);
      } catch (err) {
        const gone = err instanceof BerthError && err.code === 'IMAGE_NOT_FOUND';
        if (!(gone && (r.startsWith('import@') || !printed.includes(r)))) throw err;
      }
    }
    return { refs, ids };
  }
}

/** Containers name their image as given (`busybox`): count them under the normalized name too. */
function withShortNames(uses: Map<string, number>): Map<string, number> {
  const out = new Map(uses);
  for (const [name, n] of uses) {
    const r = tryParseImageRef(name);
    if (!r.ok) continue;
    const full = name.includes('/') && name.split('/')[0]?.includes('.') ? name : `docker.io/${name.includes('/') ? '' : 'library/'}${name}`;
    const withTag = /:[^/]+$/.test(full) || full.includes('@') ? full : `${full}:latest`;
    out.set(withTag, (out.get(withTag) ?? 0) + n);
  }
  return out;
}
