import type { PullDone, PullInput, TransferProgress } from '../../../contract/images';
import { formatImageRef, parseImageRef, registryOf, repositoryOf } from '../../../core/image-ref';
import type { RegistryAuthEnv } from '../registry-auth';
import type { DockerContext } from './context';
import { credentialsFor, explainAuth, followTransfer } from './images-transfer';

/**
 * Pulls `ref` (a missing tag means `latest`) with aggregated progress. Aborting `signal` closes
 * the request; dockerd then stops the download and the image is not created.
 */
export async function pullImage(
  ctx: DockerContext,
  authEnv: Omit<RegistryAuthEnv, 'runner' | 'log'>,
  input: Omit<PullInput, 'engineId'>,
  onProgress: (p: TransferProgress) => void,
  signal: AbortSignal,
): Promise<PullDone> {
  const r = parseImageRef(input.ref);
  const ref = formatImageRef(r);
  const registry = registryOf(r);
  const creds = await credentialsFor(ctx, authEnv, registry, input.auth);
  const opts: Record<string, unknown> = { fromImage: repositoryOf(r), tag: r.digest ?? r.tag ?? 'latest', abortSignal: signal };
  if (input.platform) opts.platform = input.platform;
  try {
    const stream = await ctx.call('pull image', ref, () => ctx.docker.createImage(creds.auth ?? undefined, opts) as Promise<NodeJS.ReadableStream>);
    const agg = await followTransfer(ctx, stream, 'pull image', ref, onProgress, signal);
    const local = r.digest ? `${repositoryOf(r)}@${r.digest}` : ref;
    const img = await ctx.call('inspect image', local, () => ctx.docker.getImage(local).inspect());
    const done: PullDone = { done: true, id: img.Id, ref };
    const digest = agg.digest ?? r.digest;
    if (digest) done.digest = digest;
    return done;
  } catch (err) {
    throw explainAuth(err, creds, registry);
  }
}
