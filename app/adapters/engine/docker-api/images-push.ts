import { BerthError } from '../../../contract/errors';
import type { PushDone, PushInput, TransferProgress } from '../../../contract/images';
import { formatImageRef, parseImageRef, registryOf, repositoryOf } from '../../../core/image-ref';
import type { RegistryAuthEnv } from '../registry-auth';
import type { DockerContext } from './context';
import { credentialsFor, explainAuth, followTransfer } from './images-transfer';

/** Pushes `ref` (a missing tag means `latest`) with progress; resolves with the manifest digest. */
export async function pushImage(
  ctx: DockerContext,
  authEnv: Omit<RegistryAuthEnv, 'runner' | 'log'>,
  input: Omit<PushInput, 'engineId'>,
  onProgress: (p: TransferProgress) => void,
  signal: AbortSignal,
): Promise<PushDone> {
  const r = parseImageRef(input.ref);
  if (r.digest) {
    throw new BerthError('INVALID_REFERENCE', `"${input.ref}" has a digest; push a tag instead.`, { hint: 'Tag the image (name:tag) and push that tag.' });
  }
  const ref = formatImageRef(r);
  // The engine reports a missing image in the middle of the stream; say it plainly first.
  await ctx.call('push image', ref, () => ctx.docker.getImage(ref).inspect());
  const registry = registryOf(r);
  const creds = await credentialsFor(ctx, authEnv, registry, input.auth);
  try {
    // dockerd wants an X-Registry-Auth header on a push, even an empty one (as the CLI sends).
    const opts: Record<string, unknown> = { tag: r.tag ?? 'latest', abortSignal: signal, authconfig: creds.auth ?? {} };
    const stream = await ctx.call('push image', ref, () => ctx.docker.getImage(repositoryOf(r)).push(opts) as Promise<NodeJS.ReadableStream>);
    const agg = await followTransfer(ctx, stream, 'push image', ref, onProgress, signal);
    if (!agg.digest) throw new BerthError('COMMAND_FAILED', `The engine finished pushing "${ref}" without reporting a digest.`);
    return { done: true, ref, digest: agg.digest };
  } catch (err) {
    throw explainAuth(err, creds, registry);
  }
}
