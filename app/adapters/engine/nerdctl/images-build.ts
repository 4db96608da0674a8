import fs from 'node:fs';
import path from 'node:path';
import { BerthError } from '../../../contract/errors';
import type { BuildInput } from '../../../contract/images';
import { BuildkitStream } from '../../../core/buildkit-stream';
import { emulationProblem } from '../../../core/buildkit-emulation';
import type { BuildDone, BuildOutput } from '../../../ports/engine/images';
import type { NerdctlContext } from './context';


/**
 * nerdctl's build arguments (BuildKit through the buildkitd nerdctl finds). Secrets go by reference
 * (`id=…,src=FILE` or `id=…,env=VAR`): their values are never on the command line nor in Berth's logs.
 */
export function nerdctlBuildArgs(input: Omit<BuildInput, 'engineId'>, dir: string): string[] {
  const args = ['build', '--progress', 'rawjson', '-f', path.join(dir, input.dockerfile ?? 'Dockerfile')];
  for (const t of input.tags) args.push('-t', t);
  for (const [k, v] of Object.entries(input.buildArgs)) args.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of Object.entries(input.labels)) args.push('--label', `${k}=${v}`);
  if (input.target) args.push('--target', input.target);
  if (input.noCache) args.push('--no-cache');
  if (input.pull) args.push('--pull');
  if (input.platforms.length) args.push('--platform', input.platforms.join(','));
  for (const s of input.secrets) args.push('--secret', s.src !== undefined ? `id=${s.id},src=${path.resolve(s.src)}` : `id=${s.id},env=${s.env ?? ''}`);
  for (const s of input.ssh) args.push('--ssh', s);
  for (const c of input.cacheFrom) args.push('--cache-from', c);
  for (const c of input.cacheTo) args.push('--cache-to', c);
  if (input.sourceDateEpoch !== undefined) {
    // nerdctl still loads the result into containerd and names it by the -t tags; the exporter rewrites the timestamps.
    args.push('--build-arg', `SOURCE_DATE_EPOCH=${input.sourceDateEpoch}`);
    args.push('--output', `type=${input.platforms.length > 1 ? 'oci' : 'docker'},rewrite-timestamp=true`);
  }
  args.push(dir);
  return args;
}

/** A path's stat, or null when it is missing or cannot be read. */
const statOrNull = (p: string): fs.Stats | null => {
  try {
    return fs.statSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
};

/**
 * Checks what a build refers to on this host before nerdctl runs (a clear error instead of BuildKit's). The stats are
 * read synchronously (microseconds each, as dockerd's route checks its folder): no trip through the thread pool, whose
 * threads a loaded machine may not run at once, before nerdctl can start.
 */
function checkInput(input: Omit<BuildInput, 'engineId'>, env: Record<string, string | undefined>): string {
  const dir = path.resolve(input.contextDir);
  const st = statOrNull(dir);
  if (!st?.isDirectory()) throw new BerthError('INVALID_INPUT', `The build context ${dir} is not a folder.`);
  const ids = new Set<string>();
  for (const s of input.secrets) {
    if (ids.has(s.id)) throw new BerthError('INVALID_INPUT', `The secret id "${s.id}" is given twice.`);
    ids.add(s.id);
    if (s.src !== undefined) {
      const f = statOrNull(path.resolve(s.src));
      if (!f?.isFile()) throw new BerthError('INVALID_INPUT', `The file of secret "${s.id}" (${path.resolve(s.src)}) does not exist or is not a file.`);
    } else if (s.env !== undefined && (env[s.env] ?? process.env[s.env]) === undefined) {
      throw new BerthError('INVALID_INPUT', `The environment variable ${s.env} of secret "${s.id}" is not set where Berth runs.`);
    }
  }
  if (input.push && !input.tags.length) throw new BerthError('INVALID_INPUT', 'Push after build needs at least one tag.');
  return dir;
}

/**
 * `nerdctl build --progress rawjson`: stderr is BuildKit's SolveStatus stream, turned into log/step items
 * and graph snapshots (at most every 150 ms, and the final one). Then the optional push of each tag.
 */
export async function nerdctlBuild(
  ctx: NerdctlContext,
  input: Omit<BuildInput, 'engineId'>,
  onOutput: (item: BuildOutput) => void,
  signal: AbortSignal,
  imageId: (ref: string) => Promise<string>,
): Promise<BuildDone> {
  const dir = checkInput(input, ctx.env);
  const args = nerdctlBuildArgs(input, dir);
  onOutput({ kind: 'builder', builder: 'buildkit' });
  const stream = new BuildkitStream();
  const dec = new TextDecoder();
  const flushGraph = (force: boolean) => {
    const graph = stream.update(Date.now(), force);
    if (graph) onOutput({ kind: 'graph', graph });
  };
  // The exporter names the digest containerd will call the image by (a manifest list's for several platforms):
  // read from the progress, it spares two `image inspect` processes after the build.
  const exported = { manifest: '', list: '' };
  let tail = '';
  const proc = await ctx.spawn(args, {
    signal,
    onStderr: (c) => {
      const text = dec.decode(c, { stream: true });
      const seen = tail + text;
      for (const m of seen.matchAll(/exporting manifest (list )?(sha256:[0-9a-f]{64})/g)) exported[m[1] ? 'list' : 'manifest'] = m[2] ?? '';
      tail = seen.slice(-200);
      for (const item of stream.push(text)) onOutput(item);
      flushGraph(false);
    },
  });
  let stdout = '';
  const outDec = new TextDecoder();
  for await (const c of proc.stdout) stdout += outDec.decode(c, { stream: true });
  const exit = await proc.exit;
  for (const item of stream.end()) onOutput(item);
  for (const l of stdout.split('\n').filter((x) => x.trim())) onOutput({ kind: 'log', text: l });
  flushGraph(true);
  if (signal.aborted) throw new BerthError('CANCELLED', 'Cancelled: build.');
  if (exit.exitCode !== 0) {
    const g = stream.graph();
    const f = g.failure;
    if (!f) throw ctx.failure('build the image', input.tags[0] ?? dir, args, exit);
    const step = g.steps.find((s) => s.id === f.stepId);
    const where = f.line !== null ? ` (${f.file ?? 'Dockerfile'} line ${f.line})` : '';
    const emu = emulationProblem(input.platforms, f.message, step?.logs ?? []);
    throw new BerthError('COMMAND_FAILED', `The build failed${step ? ` at ${step.name}` : ''}${where}: ${emu?.message ?? f.message}`, {
      ...(emu ? { hint: emu.hint } : {}),
      details: { command: 'nerdctl build', exitCode: exit.exitCode, line: f.line, step: step?.name ?? null, log: (step?.logs ?? []).slice(-50).join('\n') },
    });
  }
  const fromProgress = exported.list || exported.manifest;
  const id = input.tags[0] ? fromProgress || (await imageId(input.tags[0])) : fromProgress;
  if (input.push) {
    for (const tag of input.tags) {
      onOutput({ kind: 'log', text: `Pushing ${tag}` });
      const pushArgs = input.platforms.length > 1 ? ['push', '--all-platforms', tag] : ['push', tag];
      const r = await ctx.raw(pushArgs, { signal });
      if (r.exitCode !== 0) throw ctx.failure('push the built image', tag, pushArgs, r);
      onOutput({ kind: 'log', text: `Pushed ${tag}` });
    }
  }
  return { kind: 'done', id, tags: input.tags, builder: 'buildkit' };
}
