import { BerthError } from '../../../contract/errors';
import type { RegistryAuth, TransferProgress } from '../../../contract/images';
import { ProgressAggregator, ProgressThrottle, type ProgressMessage } from '../../../core/image-progress';
import { authFromInput, resolveRegistryAuth, type RegistryAuthEnv, type ResolvedAuth } from '../registry-auth';
import type { DockerContext } from './context';
import { readJsonLines } from './images-stream';

/** Where credentials come from: the input, else the Docker config and its helpers. */
export async function credentialsFor(ctx: DockerContext, authEnv: Omit<RegistryAuthEnv, 'runner' | 'log'>, registry: string, given?: RegistryAuth): Promise<ResolvedAuth> {
  if (given) {
    ctx.log.info(`Using registry credentials for ${registry} given with the request`);
    return { auth: authFromInput(given, registry), source: 'input' };
  }
  return resolveRegistryAuth(registry, { ...authEnv, runner: ctx.runner, log: ctx.log });
}

/** Adds what we know about the credentials to an auth failure, so the user knows what was tried. */
export function explainAuth(err: unknown, creds: ResolvedAuth, registry: string): unknown {
  if (!(err instanceof BerthError) || (err.code !== 'AUTH_REQUIRED' && err.code !== 'PULL_DENIED')) return err;
  const tried =
    creds.source === 'none'
      ? `No credentials for ${registry} were found in the Docker config.`
      : creds.source === 'input'
        ? 'The credentials given were refused.'
        : `The credentials from ${creds.source === 'config' ? 'the Docker config' : `docker-credential-${creds.source.slice(7)}`} were refused.`;
  const hint = [err.hint, tried, creds.note ? `(${creds.note})` : ''].filter(Boolean).join(' ');
  return new BerthError(err.code, err.message, { hint, details: { ...err.details, registry, credentials: creds.source }, cause: err });
}

/**
 * Follows a pull or push stream: aggregates progress, emits it throttled and once more at the
 * end, and turns an in-stream error into a BerthError. Returns the aggregate (digest…).
 */
export async function followTransfer(
  ctx: DockerContext,
  stream: NodeJS.ReadableStream,
  op: string,
  subject: string,
  onProgress: (p: TransferProgress) => void,
  signal: AbortSignal,
): Promise<ProgressAggregator> {
  const agg = new ProgressAggregator();
  const throttle = new ProgressThrottle(() => onProgress({ done: false, ...agg.snapshot() }));
  try {
    await readJsonLines(
      stream,
      (m) => {
        agg.apply(m as ProgressMessage);
        if (agg.error !== null) throw ctx.fail(new Error(agg.error), op, subject);
        throttle.poke();
      },
      signal,
      `${op} ${subject}`,
    );
  } catch (err) {
    throttle.stop(false);
    throw err;
  }
  throttle.stop(true);
  return agg;
}
