import crypto from 'node:crypto';
import { BerthError } from '../../../contract/errors';
import { runOptionsIssues, runOptionsWarnings, type RunChanges, type RunResult } from '../../../contract/containers';
import { detailsToRunOptions, mergeRunChanges } from '../../../contract/containers-options';
import type { ContainersOps } from '../../../ports/engine/containers';
import type { NerdctlContext } from './context';
import { withFreePort } from '../docker-api/containers-create';

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/**
 * Recreate with rollback, engine-neutral steps over the adapter's own operations: stop the old one
 * (remembering whether it ran) → rename it aside → create the copy under the name → start it if
 * the old one ran → remove the old one. If the copy fails: remove it, rename the old one back,
 * start it again if it ran, and throw the copy's error saying the original was kept. With
 * `keepOriginalAs` the old one is renamed to that name and kept, stopped, as a backup.
 */
export async function recreateNerdctl(ops: ContainersOps, ctx: NerdctlContext, id: string, changes: RunChanges, opts: { timeoutSeconds?: number; keepOriginalAs?: string }): Promise<RunResult> {
  const d = await ops.inspect(id);
  const merged = mergeRunChanges(detailsToRunOptions(d), changes);
  const issues = runOptionsIssues(merged);
  if (issues.length) {
    throw new BerthError('INVALID_INPUT', `Cannot recreate "${d.name}" with these changes: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`, { details: { issues } });
  }
  const wasRunning = d.state.running || d.state.restarting;
  if (wasRunning && d.hostConfig.autoRemove) {
    throw new BerthError('CONFLICT', `"${d.name}" runs with auto-remove: stopping it would delete it, so it cannot be replaced safely.`, {
      hint: 'Stop it (it is removed) and run it again with the new settings.',
    });
  }
  const aside = opts.keepOriginalAs ?? `${d.name}-berth-old-${crypto.randomBytes(3).toString('hex')}`;
  if (wasRunning) await ops.stop(d.id, opts.timeoutSeconds === undefined ? {} : { timeoutSeconds: opts.timeoutSeconds });
  try {
    await ops.rename(d.id, aside);
  } catch (err) {
    if (wasRunning) await ops.start(d.id).catch(() => undefined);
    throw err;
  }
  let created: RunResult | undefined;
  try {
    created = await ops.create({ ...merged, name: merged.name ?? d.name });
    if (wasRunning) await ops.start(created.id);
  } catch (err) {
    const problems: string[] = [];
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (e) {
        problems.push(`${what}: ${(e as Error).message}`);
      }
    };
    if (created) {
      const newId = created.id;
      await step('remove the new container', () => ops.remove(newId, { force: true }));
    }
    await step(`rename "${aside}" back`, () => ops.rename(d.id, d.name));
    if (wasRunning) await step('start the original again', () => ops.start(d.id));
    const withPort = await withFreePort(err, merged.ports ?? []);
    const e = withPort instanceof BerthError ? withPort : new BerthError('COMMAND_FAILED', (err as Error).message);
    const kept = problems.length === 0;
    ctx.log.warn(`Recreate of ${d.name} failed; ${kept ? 'original restored' : 'restore incomplete'}`, { error: e.message, problems });
    throw new BerthError(
      e.code,
      kept
        ? `${sentence(e.message)} The original container "${d.name}" was kept${wasRunning ? ' and is running again' : ''}.`
        : `${sentence(e.message)} Putting the original back failed too (${problems.join('; ')}); it may be named "${aside}".`,
      { ...(e.hint ? { hint: e.hint } : {}), details: { ...e.details, originalKept: kept, ...(kept ? {} : { asideName: aside }) }, cause: err },
    );
  }
  const warnings = [...created.warnings];
  // Kept as a backup (hardening): the original stays, stopped, under that name.
  if (opts.keepOriginalAs) return { id: created.id, name: created.name, warnings: [...new Set([...warnings, ...runOptionsWarnings(merged)])] };
  try {
    await ops.remove(d.id, { force: true });
  } catch (err) {
    warnings.push(`The previous container is still there as "${aside}" (${(err as Error).message}); remove it when you are done.`);
  }
  return { id: created.id, name: created.name, warnings: [...new Set([...warnings, ...runOptionsWarnings(merged)])] };
}
