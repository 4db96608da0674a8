import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BerthError } from '../../../contract/errors';
import type { BuildInput } from '../../../contract/images';
import { BuildkitStream } from '../../../core/buildkit-stream';
import { emulationProblem } from '../../../core/buildkit-emulation';
import { failureSourceLines } from '../../../core/buildkit-failure-source';
import { formatImageRef, parseTagTarget } from '../../../core/image-ref';
import type { BuildDone, BuildOutput } from '../../../ports/engine/images';
import type { BuildSession } from './build-session';
import type * as BuildSessionModule from './build-session';
import type * as BuildkitTraceModule from './buildkit-trace';
import { buildkitForDocker } from './images-buildkit';
import type { DockerContext } from './context';
import { checkBuildContext, packBuildContext } from './images-context';
import { readJsonLines } from './images-stream';


/** `DOCKER_BUILDKIT=0` in the core's environment (the Docker CLI's own switch): build with the classic builder. */
export const classicAsked = (ctx: Pick<DockerContext, 'env'>) => ctx.env.DOCKER_BUILDKIT?.trim() === '0';

/** Whether dockerd's own BuildKit can build here, or why not (Podman's API builds with Buildah; DOCKER_BUILDKIT=0 asks for the classic builder). */
export function engineBuildkit(ctx: Pick<DockerContext, 'env' | 'flavor'>): { ok: true } | { reason: string } {
  if (classicAsked(ctx)) return { reason: 'DOCKER_BUILDKIT=0 asks for the classic builder' };
  if (ctx.flavor === 'podman') return { reason: "Podman's Docker-compatible API builds with Buildah, not BuildKit" };
  return { ok: true };
}

/** The `buildkit` capability: which BuildKit a build on this engine can use (the dialog names it before the build). */
export function dockerBuilders(ctx: DockerContext): { engine: boolean; daemon: boolean } {
  return { engine: !('reason' in engineBuildkit(ctx)), daemon: !classicAsked(ctx) && !('reason' in buildkitForDocker(ctx)) };
}

/** The query of `POST /build?version=2` (dockerode's modem encodes `t` as repeated values, objects as JSON). */
export function engineBuildQuery(input: Omit<BuildInput, 'engineId'>, dockerfile: string, tags: string[], buildId: string): Record<string, unknown> {
  const q: Record<string, unknown> = {
    version: '2',
    buildid: buildId,
    dockerfile,
    t: tags,
    buildargs: input.buildArgs,
    labels: input.labels,
    nocache: input.noCache,
    pull: input.pull,
  };
  if (input.target) q.target = input.target;
  if (input.platforms[0]) q.platform = input.platforms[0];
  return q;
}

type SessionModules = [typeof BuildSessionModule, typeof BuildkitTraceModule];
let sessionModules: Promise<SessionModules> | null = null;
/**
 * The build session and the trace decoder, imported on the first build (gRPC and protobufjs are not needed at start:
 * issue 11, cold start) and kept: later builds do not go through the module loader again.
 */
const loadSessionModules = (): Promise<SessionModules> =>
  (sessionModules ??= Promise.all([import('./build-session'), import('./buildkit-trace')]).catch((err: unknown) => {
    sessionModules = null;
    throw err;
  }));

/** Frontend errors (the Dockerfile cannot be read, a missing target stage) are the input's fault. */
const DOCKERFILE_PROBLEM = /dockerfile parse error|failed to create LLB definition|failed to parse|unknown instruction/i;

function failure(ctx: DockerContext, stream: BuildkitStream, message: string, platforms: string[], subject?: string): BerthError {
  const g = stream.graph();
  const step = g.steps.find((s) => s.id === g.failure?.stepId) ?? g.steps.find((s) => s.state === 'failed');
  const log = (step?.logs ?? []).slice(-50).join('\n');
  const line = g.failure?.line ?? null;
  const where = line !== null ? ` (${g.failure?.file ?? 'Dockerfile'} line ${line})` : '';
  const details = { engineMessage: message, step: step?.name ?? null, line, log, outputTail: log };
  if (!step && DOCKERFILE_PROBLEM.test(message)) {
    return new BerthError('INVALID_INPUT', `The Dockerfile cannot be built: ${message}`, { hint: 'Fix the Dockerfile (or the target stage) and build again.', details });
  }
  // A full disk shows in the step's own output (the RUN's "No space left on device"), not in BuildKit's message.
  const mapped = ctx.fail(new Error(/no space left on device/i.test(log) ? `${message}: no space left on device` : message), 'build image', subject);
  if (mapped instanceof BerthError && mapped.code !== 'COMMAND_FAILED' && mapped.code !== 'INVALID_INPUT' && mapped.code !== 'INTERNAL') {
    return new BerthError(mapped.code, `${mapped.message}${step ? ` It failed at ${step.name}${where}.` : ''}`, { ...(mapped.hint ? { hint: mapped.hint } : {}), details, cause: mapped });
  }
  const emu = emulationProblem(platforms, message, step?.logs ?? []);
  return new BerthError('COMMAND_FAILED', `The build failed${step ? ` at ${step.name}` : ''}${where}: ${emu?.message ?? message}`, {
    hint: emu?.hint ?? 'Read the failed step’s log; fix the Dockerfile or the files it uses, then build again.',
    details,
  });
}

/**
 * dockerd sends the failed step but not the Dockerfile excerpt buildctl prints: add it from the file, so the
 * graph's failure has its line and excerpt on both routes. Nothing is added when the file cannot be read.
 */
async function sourceOfFailure(ctx: DockerContext, stream: BuildkitStream, dir: string, dockerfile: string): Promise<BuildOutput[]> {
  const failed = stream.graph().steps.find((s) => s.state === 'failed');
  if (!failed) return [];
  const file = path.join(dir, dockerfile);
  const text = await fs.promises.readFile(file, 'utf8').catch((err: unknown) => {
    ctx.log.debug('no Dockerfile excerpt for the failed step', { file, error: String(err) });
    return '';
  });
  const out: BuildOutput[] = [];
  for (const line of failureSourceLines(text.slice(0, 1 << 20), dockerfile, failed)) out.push(...stream.pushOther(line));
  return out;
}

/** A session being opened: its id at once (a request can name it), the session once the engine answered (null when refused). */
interface StartedSession {
  id: string;
  opened: Promise<BuildSession | null>;
}

/** Starts the build session serving `dir` (and the Dockerfile's folder); null when the modules cannot load (the caller sends a tar). */
async function startSession(ctx: DockerContext, modules: Promise<SessionModules>, dir: string, dockerfile: string): Promise<StartedSession | null> {
  const noSession = (err: unknown) => {
    ctx.log.info('no build session: the context goes up as a tar', { error: String(err) });
    return null;
  };
  try {
    const [{ startBuildSession, sessionSharedKey }] = await modules;
    const s = startBuildSession(ctx, { context: dir, dockerfile: path.dirname(path.resolve(dir, dockerfile)) }, sessionSharedKey(dir));
    return { id: s.id, opened: s.opened.catch(noSession) };
  } catch (err) {
    return noSession(err);
  }
}

/** `POST /build`: the response stream once the engine answered. */
function dialBuild(ctx: DockerContext, body: { file: NodeJS.ReadableStream; options: Record<string, unknown> } | { query: Record<string, unknown> }, signal: AbortSignal, subject: string) {
  return ctx.call('build image', subject, () =>
    new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      ctx.docker.modem.dial(
        {
          path: '/build?',
          method: 'POST',
          // No body: the modem would send the query as a JSON body without `_body`.
          ...('file' in body ? body : { options: { _query: body.query, _body: {} } }),
          isStream: true,
          abortSignal: signal,
          statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
        },
        (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as NodeJS.ReadableStream)),
      );
    }),
  );
}

/** Asks dockerd to stop a build (its builder-next keeps building when only the connection drops). */
function cancelOnEngine(ctx: DockerContext, buildId: string): void {
  ctx.docker.modem.dial({ path: '/build/cancel?', method: 'POST', options: { id: buildId }, statusCodes: { 200: true, 500: 'server error' } }, (err: unknown) => {
    if (err) ctx.log.warn('build cancel was refused', { buildId, error: String(err) });
  });
}

/**
 * A build with dockerd's own BuildKit (builder-next, API ≥ 1.39): BuildKit reads the folder from a client session
 * (a tar body when the engine refuses one), the image lands in dockerd's store, and the progress comes back as BuildKit's status
 * (protobuf in `moby.buildkit.trace` messages), turned into the same step graph as the buildctl route.
 * Aborting `signal` asks dockerd to cancel the build (`/build/cancel`) and closes the request.
 */
export async function buildWithEngineBuildkit(
  ctx: DockerContext,
  input: Omit<BuildInput, 'engineId'>,
  onOutput: (i: BuildOutput) => void,
  signal: AbortSignal,
  reason: string,
): Promise<BuildDone> {
  const tags = input.tags.map((t) => formatImageRef(parseTagTarget(t)));
  // The folders go up through a client session (BuildKit keeps its synced copy: a rebuild sends what changed);
  // an engine that refuses the session gets the whole context as the request's tar body. Nothing goes to the engine
  // before the folder and the Dockerfile are checked (two stats, no wait).
  const modules = loadSessionModules();
  // Loading while the folder is checked: a check that fails leaves this promise unawaited, and its own failure (the
  // process shutting down meanwhile) must not become an unhandled rejection. Whoever awaits it still gets the error.
  modules.catch(() => undefined);
  const context = await checkBuildContext(input.contextDir, input.dockerfile);
  const [started, [, { decodeBuildkitTrace }]] = await Promise.all([startSession(ctx, modules, context.dir, context.dockerfile), modules]);
  const subject = tags[0] ?? context.dir;
  let buildId = `berth-${crypto.randomUUID()}`;
  onOutput({ kind: 'builder', builder: 'buildkit', via: 'engine', reason });
  const stream = new BuildkitStream();
  const flushGraph = (force: boolean) => {
    const graph = stream.update(Date.now(), force);
    if (graph) onOutput({ kind: 'graph', graph });
  };
  let session: BuildSession | null = null;
  let tarStream: Awaited<ReturnType<typeof packBuildContext>> | null = null;
  const cancelBuild = () => {
    tarStream?.destroy();
    session?.close();
    cancelOnEngine(ctx, buildId);
  };
  signal.addEventListener('abort', cancelBuild, { once: true });
  let imageId = '';
  let error: string | null = null;
  // A request stopped by the cancel fails with the transport's abort error: the caller is told it was cancelled.
  const cancelled = (err: unknown) => {
    throw signal.aborted ? new BerthError('CANCELLED', `Cancelled: build ${subject}.`) : err;
  };
  // BuildKit's status is decoded and turned into items in a batch after the I/O waiting in this turn of the event
  // loop (setImmediate), not as each line arrives: the session's requests (BuildKit asking for the Dockerfile and the
  // folder, which the build waits for) that came in with it are answered first, and a burst of lines is one batch.
  // Any other line, and the response's end, first takes the lines before it, so the order is kept.
  const traces: string[] = [];
  let batch: NodeJS.Immediate | null = null;
  const takeTraces = () => {
    if (batch) clearImmediate(batch);
    batch = null;
    if (!traces.length) return;
    for (const aux of traces.splice(0)) for (const item of stream.pushStatus(decodeBuildkitTrace(aux))) onOutput(item);
    flushGraph(false);
  };
  let res: NodeJS.ReadableStream | null = null;
  const takeLater = () => {
    try {
      takeTraces();
    } catch (err) {
      // Not a StatusResponse: the response is read no further, and its reader fails with this error.
      (res as (NodeJS.ReadableStream & { destroy(e: Error): void }) | null)?.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  };
  try {
    if (started) {
      // POST /build goes while POST /session is being answered, as the Docker CLI sends them (one round trip less):
      // dockerd's BuildKit waits for a session it does not know yet. The response is read only once the session is up.
      const attempt = new AbortController();
      const pending = dialBuild(ctx, { query: { ...engineBuildQuery(input, path.basename(context.dockerfile), tags, buildId), remote: 'client-session', session: started.id } }, AbortSignal.any([signal, attempt.signal]), subject);
      pending.catch(() => undefined);
      session = await started.opened;
      if (session) res = await pending.catch(cancelled);
      else {
        // Refused (a socket proxy's 403): that request waits for a session that will not come. Stop it; the tar goes instead.
        attempt.abort();
        cancelOnEngine(ctx, buildId);
        buildId = `berth-${crypto.randomUUID()}`;
      }
    }
    if (!res) {
      if (signal.aborted) cancelled(null);
      tarStream = await packBuildContext(context);
      res = await dialBuild(ctx, { file: tarStream, options: engineBuildQuery(input, context.dockerfile, tags, buildId) }, signal, subject).catch(cancelled);
    }
    await readJsonLines(
      res,
      (m) => {
        if (m.id === 'moby.buildkit.trace' && typeof m.aux === 'string') {
          traces.push(m.aux);
          batch ??= setImmediate(takeLater);
          return;
        }
        takeTraces();
        if (m.id === 'moby.image.id' && m.aux && typeof m.aux === 'object') {
          imageId = String((m.aux as { ID?: unknown }).ID ?? '');
        } else if (m.error !== undefined || m.errorDetail !== undefined) {
          error = String((m.errorDetail as { message?: unknown } | undefined)?.message ?? m.error ?? 'the build failed');
          for (const item of stream.pushOther(`error: ${error}`)) onOutput(item);
        } else if (typeof m.stream === 'string' && m.stream.trim()) {
          onOutput({ kind: 'log', text: m.stream.trimEnd() });
        }
      },
      signal,
      `build ${subject}`,
    );
    takeTraces();
    if (error !== null) for (const item of await sourceOfFailure(ctx, stream, context.dir, context.dockerfile)) onOutput(item);
  } finally {
    // A response cut short (a cancel, a dropped connection) still has its last status lines told.
    try {
      takeTraces();
    } catch (err) {
      ctx.log.warn('build status that could not be decoded', { error: String(err) });
    }
    signal.removeEventListener('abort', cancelBuild);
    tarStream?.destroy();
    session?.close();
    for (const item of stream.end()) onOutput(item);
    flushGraph(true);
  }
  if (error !== null || !imageId) throw failure(ctx, stream, error ?? 'the build stopped without an image', input.platforms, subject);
  return { kind: 'done', id: imageId, tags, builder: 'buildkit' };
}
