import { BerthError } from '../contract/errors';
import { detailsToRunOptions } from '../contract/containers-options';
import type { HardeningPreview, HardeningResult, HealthGate } from '../contract/security';
import { planHardening } from '../core/posture/hardening';
import type { Limits, RestartPolicy, RunChanges, RunOptions } from '../contract/containers';
import type { ContainerEngine } from '../ports/engine';
import type { Logger } from '../ports/logger';
import type { AckStore } from '../ports/security-acks';
import { securityOf, type SecurityService } from './security';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a failed health gate says, in a sentence. */
class GateFailure extends Error {}

/**
 * Hardening of one container: in-place items through `update`, the others through a recreate
 * that keeps the original stopped as a backup, then a health gate; a failed gate rolls back to
 * the original (the new container is removed without its volumes, the backup gets its name back
 * and runs again). Compose-managed containers get the override snippet instead of a recreate.
 */
export class HardeningService {
  constructor(
    private readonly security: SecurityService,
    private readonly acks: AckStore,
    private readonly log: Logger,
  ) {}

  private async input(engineId: string | undefined, id: string) {
    const d = await this.security.detail(engineId, id);
    const sec = securityOf(d.engine);
    const notSupported = (err: unknown) => {
      if (err instanceof BerthError && err.code === 'NOT_SUPPORTED') return [] as string[];
      throw err;
    };
    // An engine that cannot list a container's changes: a read-only root gets /tmp only.
    const [details, changedPaths, runtimes] = await Promise.all([d.engine.containers.inspect(id), sec.changedPaths(id).catch(notSupported), sec.runtimes()]);
    return {
      engine: d.engine,
      inp: { view: d.view, ctx: d.ctx, current: detailsToRunOptions(details), changedPaths, runtimes: runtimes.map((r) => r.name), acks: this.acks.get(d.engine.id, d.view.name) },
      running: details.state.running || details.state.restarting,
    };
  }

  async preview(engineId: string | undefined, id: string, selected?: string[]): Promise<HardeningPreview> {
    const { engine, inp } = await this.input(engineId, id);
    const { unknown, ...plan } = planHardening(inp, selected);
    if (unknown.length) throw new BerthError('INVALID_INPUT', `Unknown or not applicable hardening items: ${unknown.join(', ')}.`, { details: { unknown, available: plan.items.map((i) => i.id) } });
    return foldInPlace(engine, inp, plan);
  }

  async harden(engineId: string | undefined, id: string, selected: string[], gate: HealthGate): Promise<HardeningResult> {
    const { engine, inp, running } = await this.input(engineId, id);
    const { unknown, ...planned } = planHardening(inp, selected);
    if (unknown.length) throw new BerthError('INVALID_INPUT', `Unknown or not applicable hardening items: ${unknown.join(', ')}.`, { details: { unknown, available: planned.items.map((i) => i.id) } });
    const plan = foldInPlace(engine, inp, planned);
    if (plan.recreate && plan.composeManaged) {
      throw new BerthError('CONFLICT', `"${plan.name}" is managed by compose (project "${inp.view.composeProject}"): recreating it here would be undone by the next \`compose up\`.`, {
        hint: 'Put the compose snippet of the preview in compose.override.yaml and run `docker compose up -d`.',
        details: { compose: plan.compose },
      });
    }
    const warnings = [...plan.warnings.filter((w) => !w.startsWith('Strict'))];
    const applied: string[] = [];
    if (plan.update) {
      const u: Parameters<ContainerEngine['containers']['update']>[1] = {};
      if (plan.update.limits) u.limits = plan.update.limits;
      if (plan.update.restartPolicy) u.restartPolicy = plan.update.restartPolicy as NonNullable<typeof u.restartPolicy>;
      const r = await engine.containers.update(inp.view.id, u);
      warnings.push(...r.warnings);
      applied.push(...plan.selected.filter((s) => plan.items.find((i) => i.id === s)?.class === 'in-place'));
    }
    this.security.invalidate(engine.id, inp.view.id);
    if (!plan.recreate) {
      return { id: inp.view.id, name: inp.view.name, applied, backupName: null, warnings, levelAfter: (await this.security.posture(engine.id, inp.view.id)).level };
    }

    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
    const backupName = `${inp.view.name}-berth-backup-${stamp}`;
    const res = await engine.containers.recreate(inp.view.id, plan.recreate, { keepOriginalAs: backupName, timeoutSeconds: 10 });
    warnings.push(...res.warnings.filter((w) => !warnings.includes(w)));
    const kept = await engine.containers.inspect(backupName).then(
      () => true,
      (err: unknown) => {
        if (err instanceof BerthError && err.code === 'NOT_FOUND') return false;
        throw err;
      },
    );
    if (!kept) warnings.push(`${engine.name} does not keep the original as a backup: it was replaced.`);
    try {
      if (running) await this.gate(engine, res.id, gate);
    } catch (err) {
      const why = err instanceof GateFailure ? err.message : err instanceof Error ? err.message : String(err);
      if (!kept) throw new BerthError('COMMAND_FAILED', `The hardened container failed its health check (${why}), and the original is gone: this engine does not keep a backup. Undo the changes in the Edit tab.`, { details: { rolledBack: false, reason: why } });
      throw await this.rollback(engine, { newId: res.id, name: res.name, backupName, running, why });
    }
    // In-place items are applied here too when they went with the recreate (no in-place update on this engine).
    applied.push(...plan.selected.filter((s) => plan.update === null || plan.items.find((i) => i.id === s)?.class !== 'in-place'));
    this.log.info(`Hardened ${res.name}`, { applied, backupName });
    const after = await this.security.posture(engine.id, res.id);
    return { id: res.id, name: res.name, applied, backupName: kept ? backupName : null, warnings, levelAfter: after.level };
  }

  /** Running (not restarting) for `seconds`, healthy when it has a health check, and the exec command exits 0. */
  private async gate(engine: ContainerEngine, id: string, gate: HealthGate): Promise<void> {
    const deadline = Date.now() + gate.seconds * 1000;
    const first = await engine.containers.inspect(id);
    const restarts = first.restartCount;
    for (;;) {
      const d = await engine.containers.inspect(id);
      if (!d.state.running || d.state.restarting || d.restartCount !== restarts) {
        throw new GateFailure(`the hardened container ${d.state.restarting || d.restartCount !== restarts ? 'kept restarting' : `stopped (exit code ${d.state.exitCode}${d.state.error ? `: ${d.state.error}` : ''})`}`);
      }
      if (d.state.health?.status === 'unhealthy') throw new GateFailure('the hardened container became unhealthy');
      // An engine that does not run health checks by itself (healthChecks false: Podman without systemd) never reports healthy.
      const healthy = !d.state.health || d.state.health.status === 'healthy' || engine.capabilities.healthChecks === false;
      if (Date.now() >= deadline && healthy) break;
      if (Date.now() >= deadline + 60_000) throw new GateFailure('the hardened container did not become healthy within a minute');
      await sleep(250);
    }
    if (gate.exec) {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), 30_000);
      try {
        const p = await engine.exec.start({ container: id, cmd: gate.exec, tty: false }, ac.signal);
        let out = '';
        for await (const o of p.output()) out = (out + o.data).slice(-500);
        const code = await p.exitCode();
        p.close();
        if (code !== 0) throw new GateFailure(`the health command \`${gate.exec.join(' ')}\` exited with ${code ?? 'an unknown code'}${out.trim() ? `: ${out.trim().slice(-200)}` : ''}`);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  private async rollback(engine: ContainerEngine, s: { newId: string; name: string; backupName: string; running: boolean; why: string }): Promise<BerthError> {
    const problems: string[] = [];
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    // Volumes are never removed: the new container goes without its (shared, by name) volumes.
    await step('remove the hardened container', () => engine.containers.remove(s.newId, { force: true, volumes: false }));
    await step(`rename "${s.backupName}" back`, () => engine.containers.rename(s.backupName, s.name));
    if (s.running) await step('start the original again', () => engine.containers.start(s.name));
    const kept = problems.length === 0;
    this.log.warn(`Hardening of ${s.name} rolled back`, { why: s.why, problems });
    return new BerthError(
      'COMMAND_FAILED',
      kept
        ? `Hardening rolled back: ${s.why}. The original "${s.name}" is back${s.running ? ' and running' : ''}, with its volumes.`
        : `Hardening failed (${s.why}) and putting the original back failed too (${problems.join('; ')}); it may be named "${s.backupName}".`,
      { details: { rolledBack: kept, reason: s.why, ...(kept ? {} : { backupName: s.backupName }) } },
    );
  }
}

/**
 * On an engine that cannot update a container in place (capability containerUpdate false: Podman), the
 * in-place items (limits, restart policy) go with the recreate instead, and the preview says so.
 */
function foldInPlace<P extends HardeningPreview>(engine: ContainerEngine, inp: { current: RunOptions }, plan: P): P {
  if (engine.capabilities.containerUpdate !== false || !plan.update) return plan;
  const rc: RunChanges = { ...(plan.recreate ?? {}) };
  const u = plan.update as { limits?: Limits; restartPolicy?: RestartPolicy };
  if (u.limits) rc.limits = { ...(inp.current.limits ?? {}), ...u.limits };
  if (u.restartPolicy) rc.restartPolicy = u.restartPolicy;
  const note = `${engine.name} cannot change limits or the restart policy in place (Podman has no container update): they are applied by recreating the container.`;
  return { ...plan, update: null, recreate: rc, warnings: [...plan.warnings, note] };
}
