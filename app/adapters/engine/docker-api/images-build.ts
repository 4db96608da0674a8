import { BerthError } from '../../../contract/errors';
import type { BuildInput } from '../../../contract/images';
import { buildkitDaemonNeeds } from '../../../contract/images-build';
import { BuildOutputParser, stripAnsi, type BuildMessage } from '../../../core/image-build';
import { formatImageRef, parseTagTarget } from '../../../core/image-ref';
import type { BuildDone, BuildOutput } from '../../../ports/engine/images';
import type { DockerContext } from './context';
import { checkBuildContext, packBuildContext } from './images-context';
import { readJsonLines } from './images-stream';
import { buildkitForDocker, buildWithBuildkit } from './images-buildkit';
import { buildWithEngineBuildkit, classicAsked, engineBuildkit } from './images-buildkit-engine';
import { chooseBuildRoute } from './images-build-route';

const TAIL_LINES = 20;

/** A build failure: the engine's code when it has one (disk full…), else COMMAND_FAILED naming the step. */
function buildError(ctx: DockerContext, p: BuildOutputParser, subject: string): BerthError {
  const e = p.error ?? { message: 'the build stopped without a result' };
  const tail = stripAnsi(p.stepOutput).trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
  const mapped = ctx.fail(new Error(/no space left on device/i.test(tail) ? `${e.message}: no space left on device` : e.message), 'build image', subject);
  const where = p.step ? `step ${p.step.index}/${p.step.total} (${p.step.instruction})` : 'the start';
  const details: Record<string, unknown> = { engineMessage: e.message, outputTail: tail };
  if (p.step) details.step = { ...p.step };
  if (e.code !== undefined) details.exitCode = e.code;
  if (mapped instanceof BerthError && mapped.code !== 'COMMAND_FAILED' && mapped.code !== 'INVALID_INPUT') {
    return new BerthError(mapped.code, `${mapped.message} It failed at ${where}.`, { ...(mapped.hint ? { hint: mapped.hint } : {}), details, cause: mapped });
  }
  return new BerthError('COMMAND_FAILED', `The build failed at ${where}: ${e.message}`, {
    hint: 'Read the step output above; fix the Dockerfile or the files it uses, then build again.',
    details,
  });
}

/**
 * Builds on a Docker-API engine: with dockerd's own BuildKit when it can take the options; else with a
 * configured BuildKit daemon (its result loaded into dockerd); else with the classic builder (Podman,
 * DOCKER_BUILDKIT=0), whose output is streamed as whole lines and step markers. Every route says which
 * builder runs and why in its first item; aborting `signal` stops the build.
 */
export async function buildImage(ctx: DockerContext, input: Omit<BuildInput, 'engineId'>, onOutput: (i: BuildOutput) => void, signal: AbortSignal): Promise<BuildDone> {
  await ctx.knownFlavor(signal);
  const own = engineBuildkit(ctx);
  const bk = classicAsked(ctx) ? { reason: 'DOCKER_BUILDKIT=0 leaves the BuildKit daemon unused' } : buildkitForDocker(ctx);
  const route = chooseBuildRoute({ ownWhyNot: 'reason' in own ? own.reason : null, daemonWhyNot: 'reason' in bk ? bk.reason : null, needs: buildkitDaemonNeeds(input), daemonAsked: ctx.env.BERTH_DOCKER_BUILDKIT?.trim() === 'daemon', push: input.push });
  if (route.route === 'engine') return buildWithEngineBuildkit(ctx, input, onOutput, signal, route.reason);
  if (route.route === 'daemon' && !('reason' in bk)) return buildWithBuildkit(ctx, bk, input, onOutput, signal, route.reason);
  // The classic builder cannot take these; refuse rather than build something else than asked.
  const classicLacks = [
    input.secrets.length ? 'secrets' : '',
    input.ssh.length ? 'SSH forwarding' : '',
    input.platforms.length ? 'platforms' : '',
    input.cacheFrom.length || input.cacheTo.length ? 'cache import/export' : '',
    input.push ? 'push after build' : '',
    input.sourceDateEpoch !== undefined ? 'reproducible timestamps (rewrite-timestamp)' : '',
  ].filter(Boolean);
  if (classicLacks.length) throw new BerthError('NOT_SUPPORTED', `The classic builder has no ${classicLacks.join(', ')}: ${route.reason}, and ${'reason' in bk ? bk.reason : ''}.`, { hint: 'Configure a BuildKit daemon for this engine (BUILDKIT_HOST), or build on the containerd engine.' });
  onOutput({ kind: 'builder', builder: 'classic', reason: route.reason });
  const tags = input.tags.map((t) => formatImageRef(parseTagTarget(t)));
  const context = await checkBuildContext(input.contextDir, input.dockerfile);
  const subject = tags[0] ?? context.dir;
  const opts: Record<string, unknown> = {
    dockerfile: context.dockerfile,
    t: tags,
    buildargs: input.buildArgs,
    labels: input.labels,
    nocache: input.noCache,
    pull: input.pull,
    rm: true,
    forcerm: true,
    abortSignal: signal,
  };
  if (input.target) opts.target = input.target;
  const tarStream = await packBuildContext(context);
  const stopTar = () => tarStream.destroy();
  signal.addEventListener('abort', stopTar, { once: true });
  const parser = new BuildOutputParser();
  try {
    const stream = await ctx.call('build image', subject, () => ctx.docker.buildImage(tarStream, opts) as Promise<NodeJS.ReadableStream>);
    await readJsonLines(
      stream,
      (m) => {
        for (const item of parser.push(m as BuildMessage)) onOutput(item);
      },
      signal,
      `build ${subject}`,
    );
    for (const item of parser.end()) onOutput(item);
  } finally {
    signal.removeEventListener('abort', stopTar);
    tarStream.destroy();
  }
  if (parser.error || !parser.imageId) throw buildError(ctx, parser, subject);
  return { kind: 'done', id: parser.imageId, tags, builder: 'classic' };
}
