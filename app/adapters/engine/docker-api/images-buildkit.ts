import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BerthError } from '../../../contract/errors';
import type { BuildInput } from '../../../contract/images';
import { BuildkitStream } from '../../../core/buildkit-stream';
import { emulationProblem } from '../../../core/buildkit-emulation';
import { formatImageRef, parseTagTarget } from '../../../core/image-ref';
import type { BuildDone, BuildOutput } from '../../../ports/engine/images';
import type { ProcessSpawner } from '../../../ports/process';
import type { DockerContext } from './context';
import { loadImages } from './images-archive';
import { checkBuildContext } from './images-context';


/** Where a BuildKit daemon for a dockerd engine is: `BUILDKIT_HOST` of the core's environment (buildctl's own variable). */
export interface BuildkitForDocker {
  address: string;
  /** buildctl: `BERTH_BUILDCTL` or `buildctl` on PATH. */
  buildctl: string;
  spawner: ProcessSpawner;
}

/** The BuildKit daemon to build with, or why there is none (the build then uses dockerd's classic builder and says so). */
export function buildkitForDocker(ctx: DockerContext): BuildkitForDocker | { reason: string } {
  const address = ctx.env.BUILDKIT_HOST?.trim();
  if (!address) return { reason: 'no BuildKit daemon is configured for this engine (set BUILDKIT_HOST to a buildkitd address)' };
  const runner = ctx.runner as Partial<ProcessSpawner>;
  if (typeof runner.spawn !== 'function') return { reason: 'this engine cannot run buildctl' };
  return { address, buildctl: ctx.env.BERTH_BUILDCTL?.trim() || 'buildctl', spawner: runner as ProcessSpawner };
}

/** buildctl's arguments for a Dockerfile build exported as a docker archive to `dest`. */
export function buildctlArgs(bk: { address: string }, input: Omit<BuildInput, 'engineId'>, ctxDir: string, dockerfile: string, tags: string[], dest: string): string[] {
  const df = path.resolve(ctxDir, dockerfile);
  const args = ['--addr', bk.address, 'build', '--progress', 'rawjson', '--frontend', 'dockerfile.v0', '--local', `context=${ctxDir}`, '--local', `dockerfile=${path.dirname(df)}`,
    '--opt', `filename=${path.basename(df)}`];
  for (const [k, v] of Object.entries(input.buildArgs)) args.push('--opt', `build-arg:${k}=${v}`);
  for (const [k, v] of Object.entries(input.labels)) args.push('--opt', `label:${k}=${v}`);
  if (input.target) args.push('--opt', `target=${input.target}`);
  if (input.platforms[0]) args.push('--opt', `platform=${input.platforms[0]}`);
  if (input.pull) args.push('--opt', 'image-resolve-mode=pull');
  if (input.noCache) args.push('--no-cache');
  if (input.sourceDateEpoch !== undefined) args.push('--opt', `build-arg:SOURCE_DATE_EPOCH=${input.sourceDateEpoch}`);
  for (const s of input.secrets) args.push('--secret', s.src !== undefined ? `id=${s.id},src=${path.resolve(s.src)}` : `id=${s.id},env=${s.env ?? ''}`);
  for (const s of input.ssh) args.push('--ssh', s);
  for (const c of input.cacheFrom) args.push('--import-cache', c);
  for (const c of input.cacheTo) args.push('--export-cache', c);
  // A CSV field: several names are quoted together.
  const name = tags.length ? `,"name=${tags.join(',')}"` : '';
  args.push('--output', `type=docker${name},dest=${dest}${input.sourceDateEpoch !== undefined ? ',rewrite-timestamp=true' : ''}`);
  return args;
}

async function checkSecrets(input: Omit<BuildInput, 'engineId'>, env: Record<string, string | undefined>): Promise<void> {
  for (const s of input.secrets) {
    if (s.src !== undefined) {
      const f = await fs.stat(path.resolve(s.src)).catch(() => null);
      if (!f?.isFile()) throw new BerthError('INVALID_INPUT', `The file of secret "${s.id}" (${path.resolve(s.src)}) does not exist or is not a file.`);
    } else if (s.env !== undefined && env[s.env] === undefined) {
      throw new BerthError('INVALID_INPUT', `The environment variable ${s.env} of secret "${s.id}" is not set where Berth runs.`);
    }
  }
}

/**
 * A dockerd build through a BuildKit daemon: buildctl exports a docker archive, which is loaded into dockerd.
 * The step graph streams as on containerd. dockerd's image store holds one platform per image.
 */
export async function buildWithBuildkit(
  ctx: DockerContext,
  bk: BuildkitForDocker,
  input: Omit<BuildInput, 'engineId'>,
  onOutput: (i: BuildOutput) => void,
  signal: AbortSignal,
  reason?: string,
): Promise<BuildDone> {
  if (input.platforms.length > 1) {
    throw new BerthError('NOT_SUPPORTED', 'dockerd keeps one platform per image, so a multi-platform build cannot be loaded into it.', {
      hint: 'Build one platform at a time here, or use the containerd (nerdctl) engine, whose image store holds several.',
    });
  }
  const tags = input.tags.map((t) => formatImageRef(parseTagTarget(t)));
  const context = await checkBuildContext(input.contextDir, input.dockerfile);
  await checkSecrets(input, ctx.env);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-bk-'));
  try {
    const dest = path.join(tmp, 'image.tar');
    const args = buildctlArgs(bk, input, context.dir, context.dockerfile, tags, dest);
    onOutput({ kind: 'builder', builder: 'buildkit', via: 'daemon', ...(reason ? { reason } : {}) });
    const stream = new BuildkitStream();
    const dec = new TextDecoder();
    const flushGraph = (force: boolean) => {
      const graph = stream.update(Date.now(), force);
      if (graph) onOutput({ kind: 'graph', graph });
    };
    const proc = await bk.spawner.spawn(bk.buildctl, args, {
      signal,
      env: ctx.env,
      onStderr: (c) => {
        for (const item of stream.push(dec.decode(c, { stream: true }))) onOutput(item);
        flushGraph(false);
      },
    });
    for await (const _ of proc.stdout) {
      // buildctl writes the archive to the file; stdout carries nothing we need.
    }
    const exit = await proc.exit;
    for (const item of stream.end()) onOutput(item);
    flushGraph(true);
    if (signal.aborted) throw new BerthError('CANCELLED', 'Cancelled: build.');
    if (exit.exitCode !== 0) {
      const g = stream.graph();
      const f = g.failure;
      const step = g.steps.find((s) => s.id === f?.stepId);
      const where = f && f.line !== null ? ` (${f.file ?? 'Dockerfile'} line ${f.line})` : '';
      const message = f?.message || exit.stderr.trim().split('\n').at(-1) || `buildctl exited with code ${exit.exitCode}`;
      const emu = emulationProblem(input.platforms, message, step?.logs ?? []);
      throw new BerthError(exit.exitCode === 127 ? 'NOT_SUPPORTED' : 'COMMAND_FAILED', `The build failed${step ? ` at ${step.name}` : ''}${where}: ${emu?.message ?? message}`, {
        ...(emu ? { hint: emu.hint } : {}),
        details: { command: `${bk.buildctl} build`, exitCode: exit.exitCode, line: f?.line ?? null, step: step?.name ?? null, log: (step?.logs ?? []).slice(-50).join('\n') },
      });
    }
    onOutput({ kind: 'log', text: 'Loading the image into dockerd' });
    const loaded = await loadImages(ctx, dest, signal);
    const id = loaded.ids[0] ?? (tags[0] ? String((await ctx.call('inspect image', tags[0], () => ctx.docker.getImage(tags[0] ?? '').inspect())).Id) : '');
    return { kind: 'done', id, tags, builder: 'buildkit' };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
