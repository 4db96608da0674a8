import crypto from 'node:crypto';
import type Docker from 'dockerode';
import { BerthError } from '../../../contract/errors';
import { runOptionsIssues, runOptionsWarnings, type RunChanges, type RunResult } from '../../../contract/containers';
import { detailsToRunOptions, mergeRunChanges } from '../../../contract/containers-options';
import type { DockerContext } from './context';
import { toDetails } from './containers-map';
import { applyRunOptions, resolveRunFiles } from './containers-run';
import { cloneContainer } from './containers-recreate';
import { createRaw, sentence, withFreePort } from './containers-create';

const isNotModified = (err: unknown) => (err as { statusCode?: number } | null)?.statusCode === 304;

/**
 * Recreate: stop the old one (remembering whether it ran) → rename it aside → create the copy
 * under the original name → connect its other networks → start it if the old one ran → remove
 * the old one. If the copy cannot be created, connected or started: remove the copy, rename the
 * old one back, start it again if it ran, and throw the copy's error saying the original was kept.
 */
export async function recreateContainer(ctx: DockerContext, id: string, changes: RunChanges, opts: { timeoutSeconds?: number; keepOriginalAs?: string } = {}): Promise<RunResult> {
  const raw = await ctx.call('inspect the container', id, () => ctx.docker.getContainer(id).inspect());
  const oldName = raw.Name.replace(/^\//, '');
  const merged = mergeRunChanges(detailsToRunOptions(toDetails(raw)), changes);
  const issues = runOptionsIssues(merged);
  if (issues.length) {
    throw new BerthError('INVALID_INPUT', `Cannot recreate "${oldName}" with these changes: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`, {
      details: { issues },
    });
  }
  const wasRunning = raw.State.Running || raw.State.Restarting;
  if (wasRunning && raw.HostConfig.AutoRemove) {
    throw new BerthError('CONFLICT', `"${oldName}" runs with auto-remove: stopping it would delete it, so it cannot be replaced safely.`, {
      hint: 'Stop it (it is removed) and run it again with the new settings.',
    });
  }
  const files = await resolveRunFiles(changes, ctx.env);
  const image = await ctx.docker.getImage(raw.Image).inspect().catch(() => null);
  const clone = cloneContainer(raw, image);
  applyRunOptions(clone.body, changes, files);
  if (changes.network !== undefined) clone.extraNetworks = [];
  const newName = changes.name ?? oldName;
  const asideName = opts.keepOriginalAs ?? `${oldName}-berth-old-${crypto.randomBytes(3).toString('hex')}`;
  const old = ctx.docker.getContainer(raw.Id);

  if (wasRunning) {
    await ctx.call('stop the container', oldName, () => old.stop(opts.timeoutSeconds === undefined ? {} : { t: opts.timeoutSeconds }).catch((e: unknown) => (isNotModified(e) ? undefined : Promise.reject(e))));
  }
  try {
    await ctx.call('rename the container', oldName, () => old.rename({ name: asideName }));
  } catch (err) {
    if (wasRunning) await old.start().catch(() => undefined);
    throw err;
  }

  let newId: string | undefined;
  let warnings: string[] = [];
  try {
    const created = await createRaw(ctx, newName, clone.body);
    newId = created.id;
    warnings = created.warnings;
    for (const n of clone.extraNetworks) {
      await ctx.call('connect the container', n.name, () => ctx.docker.getNetwork(n.name).connect({ Container: created.id, EndpointConfig: n.config }));
    }
    if (wasRunning) await ctx.call('start the container', newName, () => ctx.docker.getContainer(created.id).start());
  } catch (err) {
    throw await rollback(ctx, await withFreePort(err, merged.ports ?? []), { old, oldName, asideName, wasRunning, newId });
  }

  if (opts.keepOriginalAs) return { id: newId, name: newName, warnings: [...warnings, ...runOptionsWarnings(merged)] };
  try {
    await old.remove({ force: true, v: false });
  } catch (err) {
    warnings.push(`The previous container is still there as "${asideName}" (${ctx.fail(err, 'remove the container').message}); remove it when you are done.`);
  }
  return { id: newId, name: newName, warnings: [...warnings, ...runOptionsWarnings(merged)] };
}

interface RollbackState {
  old: Docker.Container;
  oldName: string;
  asideName: string;
  wasRunning: boolean;
  newId: string | undefined;
}

async function rollback(ctx: DockerContext, cause: unknown, s: RollbackState): Promise<BerthError> {
  const problems: string[] = [];
  const step = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      problems.push(`${what}: ${ctx.fail(err, what).message}`);
    }
  };
  if (s.newId) {
    const newId = s.newId;
    await step('remove the new container', () => ctx.docker.getContainer(newId).remove({ force: true, v: false }));
  }
  await step(`rename "${s.asideName}" back`, () => s.old.rename({ name: s.oldName }));
  if (s.wasRunning) await step('start the original again', () => s.old.start());
  const e = cause instanceof BerthError ? cause : (ctx.fail(cause, 'recreate the container', s.oldName) as BerthError);
  const kept = problems.length === 0;
  const message = kept
    ? `${sentence(e.message)} The original container "${s.oldName}" was kept${s.wasRunning ? ' and is running again' : ''}.`
    : `${sentence(e.message)} Putting the original back failed too (${problems.join('; ')}); it may be named "${s.asideName}".`;
  ctx.log.warn(`Recreate of ${s.oldName} failed; ${kept ? 'original restored' : 'restore incomplete'}`, { error: e.message, problems });
  return new BerthError(e.code, message, { ...(e.hint ? { hint: e.hint } : {}), details: { ...e.details, originalKept: kept, ...(kept ? {} : { asideName: s.asideName }) }, cause });
}
