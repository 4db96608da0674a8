import { BerthError } from '../../../contract/errors';
import { hasStargzSnapshotter, isEstargzImage } from '../../../core/estargz';
import { parseJsonArray, parseJsonLines } from '../../../core/nerdctl-json';
import type { NerdctlContext } from './context';

/**
 * Containers of lazily pulled images. A lazy pull (`--snapshotter stargz pull`) of an eStargz image mounts its
 * layers through the stargz snapshotter and never downloads them into containerd's content store; nerdctl's
 * usual snapshotter (overlayfs) would have to unpack those layers and fails ("content digest … not found").
 * So an eStargz image is created on the stargz snapshotter wherever containerd has it; the container keeps its
 * snapshotter, so start, inspect and remove need nothing more. Other images run on nerdctl's default.
 */

/** Whether containerd has the stargz snapshotter, read from `nerdctl info` once if the engine's information was not read yet. */
export async function knowsStargz(ctx: NerdctlContext, signal?: AbortSignal): Promise<boolean> {
  if (ctx.stargz === undefined) {
    const info = await ctx.exec('read the engine information', undefined, ['info', '--format', '{{json .}}'], signal ? { signal } : {});
    ctx.stargz = hasStargzSnapshotter(parseJsonLines(info, 'info')[0] ?? {});
  }
  return ctx.stargz;
}

/**
 * nerdctl's global flags for creating a container of `image`: `--snapshotter stargz` when the image is eStargz
 * (it can have been pulled lazily) and containerd has the stargz snapshotter; none otherwise. A missing image
 * gives none: create then names it as missing, as it does for every image.
 */
export async function snapshotterArgs(ctx: NerdctlContext, image: string): Promise<string[]> {
  if (!(await knowsStargz(ctx))) return [];
  const r = await ctx.raw(['image', 'inspect', '--mode=native', image]);
  if (r.exitCode !== 0) {
    const err = ctx.failure('inspect the image', image, ['image', 'inspect'], r);
    if (err.code === 'IMAGE_NOT_FOUND' || err.code === 'NOT_FOUND' || err.code === 'INVALID_REFERENCE') return [];
    throw err;
  }
  const doc = parseJsonArray(r.stdout, 'image inspect')[0];
  return doc && isEstargzImage(doc) ? ['--snapshotter', 'stargz'] : [];
}

/** containerd's words when a layer's content is not in its content store (the unpack of a lazily pulled image). */
const MISSING_CONTENT = /failed to extract layer (sha256:[0-9a-f]{64}): failed to get reader from content store: content digest (sha256:[0-9a-f]{64}): not found/;

/**
 * The error for a create that failed because the image is here but a layer's content is not (it was pulled
 * lazily and now runs where there is no stargz snapshotter, or its content was removed); null for any other failure.
 */
export function missingContentError(ctx: NerdctlContext, image: string, r: { exitCode: number; stderr: string }): BerthError | null {
  const x = MISSING_CONTENT.exec(r.stderr);
  if (!x) return null;
  const details = { engineMessage: x[0], layer: x[1], content: x[2], exitCode: r.exitCode, stderr: r.stderr.slice(-2000) };
  const message = `The image "${image}" is here, but its layer ${(x[2] ?? '').slice(7, 19)} is not in containerd's content store: an image pulled lazily (eStargz) keeps its layers in the registry, and only the stargz snapshotter runs it.`;
  return ctx.stargz
    ? new BerthError('COMMAND_FAILED', `${message} containerd could not unpack it.`, { hint: 'Remove the image and pull it again without lazy pulling, then run it.', details })
    : new BerthError('NOT_SUPPORTED', `${message} This containerd has no stargz snapshotter.`, {
        hint: 'Turn on lazy pulling (the stargz snapshotter) for the VM, or remove the image and pull it again without lazy pulling.',
        details,
      });
}
