import { BerthError } from '../../../contract/errors';
import type { ImageSummary, RemoveResult } from '../../../contract/images';
import { formatImageRef, parseImageRef, parseImageTarget, parseTagTarget } from '../../../core/image-ref';
import { parseJsonLines } from '../../../core/nerdctl-json';
import { familiarImage, parsePsRow, PS_FORMAT } from '../../../core/nerdctl-ps';
import type { NerdctlContext } from './context';

/** A reference as the images list names it (`docker.io/library/x` → `x:latest`). */
const familiar = (ref: string) => familiarImage(formatImageRef(parseImageRef(ref)));

const notFound = (ref: string) => new BerthError('IMAGE_NOT_FOUND', `The image "${ref}" was not found.`, { hint: 'Pull it first, or check the name and tag.' });

/** The image a reference or id (full, `sha256:` prefix or bare hex prefix) names in the list, or null. */
export function findImage(images: ImageSummary[], ref: string): ImageSummary | null {
  const t = parseImageTarget(ref);
  const byId = (hex: string) => {
    const hits = images.filter((i) => i.id.replace(/^sha256:/, '').startsWith(hex));
    if (hits.length > 1) throw new BerthError('INVALID_REFERENCE', `"${ref}" is the start of several image IDs; give more of it.`);
    return hits[0] ?? null;
  };
  if (t.kind === 'id') return byId(t.value.replace(/^sha256:/, ''));
  // A bare hex prefix (`ab12cd`) is also a valid name (`ab12cd:latest`): a name wins, as on Docker, then the id.
  const named = images.find((i) => i.repoTags.includes(familiar(t.value)));
  return named ?? (/^[0-9a-f]{1,63}$/.test(t.value) ? byId(t.value) : null);
}

/**
 * `nerdctl tag` accepts names only (an id is "not found"): an id is tagged through one of its names.
 * A digest in the target is INVALID_REFERENCE, as on Docker.
 */
export async function nerdctlTag(ctx: NerdctlContext, list: () => Promise<ImageSummary[]>, source: string, target: string, signal?: AbortSignal): Promise<string> {
  const s = parseImageTarget(source);
  const t = formatImageRef(parseTagTarget(target));
  let from = source;
  if (s.kind === 'id') {
    const img = findImage(await list(), source);
    if (!img) throw notFound(source);
    from = img.repoTags[0] ?? '';
    if (!from) throw new BerthError('INVALID_INPUT', `The image "${source}" has no name to tag it by.`, { hint: 'nerdctl tags images by name: pull or load it with a name first.' });
  }
  await ctx.exec('tag the image', source, ['tag', from, t], signal ? { signal } : {});
  return t;
}

/**
 * Removes an image the way Docker's adapter does: by name it untags that name (and deletes the image
 * when it was the last); by id it needs force when the image has several names; an image a container
 * uses is CONFLICT naming the container unless forced (the container is kept). nerdctl's own `rmi` of an
 * id with several names fails ("multiple IDs found"), and its "Deleted:" lines name layers even when the
 * image stays, so Berth resolves names first and reports the image id as deleted only once it is gone.
 */
export async function nerdctlRemoveImage(ctx: NerdctlContext, list: () => Promise<ImageSummary[]>, ref: string, force: boolean, signal?: AbortSignal): Promise<RemoveResult> {
  const t = parseImageTarget(ref);
  const o = signal ? { signal } : {};
  const before = await list();
  const img = findImage(before, ref);
  if (!img) {
    // Let nerdctl say it (IMAGE_NOT_FOUND through the error mapping).
    await ctx.exec('remove the image', ref, ['rmi', t.value], o);
    throw notFound(ref);
  }
  const byId = !img.repoTags.includes(t.kind === 'id' ? '' : familiar(t.value));
  if (byId && img.repoTags.length > 1 && !force) {
    throw new BerthError('CONFLICT', `The image "${ref}" has several names; removing it by ID needs force.`, {
      hint: 'Remove its tags one by one, or remove it with force to drop them all.',
      details: { names: img.repoTags },
    });
  }
  const lastName = byId || img.repoTags.length <= 1;
  if (lastName && img.containers > 0 && !force) {
    const ps = parseJsonLines(await ctx.exec('list containers', undefined, ['ps', '-a', '--no-trunc', '--format', PS_FORMAT], o), 'ps').map(parsePsRow);
    const user = ps.find((c) => img.repoTags.includes(familiar(c.image)) || c.image === img.id);
    if (user) {
      const running = user.state === 'running' || user.state === 'paused';
      throw new BerthError('CONFLICT', `The image "${ref}" is used by container "${user.name}" (${user.id.slice(0, 12)}).`, {
        hint: running ? 'Stop and remove that container first.' : 'Remove that container first, or remove the image with force (the container itself is kept).',
        details: { container: { id: user.id, name: user.name } },
      });
    }
  }
  const names = byId ? img.repoTags : [img.repoTags.find((n) => n === familiar(t.value)) ?? t.value];
  const targets = names.length > 0 ? names : [img.id];
  for (const n of targets) await ctx.exec('remove the image', ref, ['rmi', ...(force ? ['--force'] : []), n], o);
  const gone = !(await list()).some((i) => i.id === img.id);
  return { untagged: names, deleted: gone ? [img.id] : [] };
}
