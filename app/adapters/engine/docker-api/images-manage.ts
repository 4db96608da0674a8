import { BerthError } from '../../../contract/errors';
import type { RemoveResult } from '../../../contract/images';
import { formatImageRef, parseImageTarget, parseTagTarget, repositoryOf } from '../../../core/image-ref';
import type { DockerContext } from './context';

export async function tagImage(ctx: DockerContext, source: string, target: string): Promise<string> {
  const s = parseImageTarget(source);
  const t = parseTagTarget(target);
  await ctx.call('tag image', source, () => ctx.docker.getImage(s.value).tag({ repo: repositoryOf(t), tag: t.tag ?? 'latest' }));
  return formatImageRef(t);
}

/** "container 8ba6219ab5a7 is using…" / "being used by stopped container 8ba6219ab5a7". */
const USER_RE = /(?:container ([0-9a-f]{12,64}) is using|used by (?:running|stopped) container ([0-9a-f]{12,64}))/;

/** Rewords dockerd's image-in-use conflict to name the container, not just its short ID. */
async function explainConflict(ctx: DockerContext, err: BerthError, ref: string): Promise<BerthError> {
  const engineMessage = String(err.details?.engineMessage ?? '');
  const m = USER_RE.exec(engineMessage);
  if (!m) {
    if (/referenced in multiple repositories/.test(engineMessage)) {
      return new BerthError('CONFLICT', `The image "${ref}" has several names; removing it by ID needs force.`, {
        hint: 'Remove its tags one by one, or remove it with force to drop them all.',
        details: err.details ?? {},
      });
    }
    return err;
  }
  const id = (m[1] ?? m[2]) as string;
  let name = id;
  try {
    const c = await ctx.docker.getContainer(id).inspect();
    name = c.Name.replace(/^\//, '');
  } catch {
    // It may be gone already: the ID still names it.
  }
  const running = /running container|cannot be forced/.test(engineMessage);
  return new BerthError('CONFLICT', `The image "${ref}" is used by container "${name}" (${id.slice(0, 12)}).`, {
    hint: running ? 'Stop and remove that container first.' : 'Remove that container first, or remove the image with force (the container itself is kept).',
    details: { ...err.details, container: { id, name } },
  });
}

export async function removeImage(ctx: DockerContext, ref: string, force: boolean): Promise<RemoveResult> {
  const t = parseImageTarget(ref);
  let res: Array<{ Untagged?: string; Deleted?: string }>;
  try {
    res = await ctx.call('remove image', ref, () => ctx.docker.getImage(t.value).remove({ force }));
  } catch (err) {
    if (err instanceof BerthError && err.code === 'CONFLICT') throw await explainConflict(ctx, err, ref);
    throw err;
  }
  return {
    untagged: res.flatMap((r) => (r.Untagged ? [r.Untagged] : [])),
    deleted: res.flatMap((r) => (r.Deleted ? [r.Deleted] : [])),
  };
}
