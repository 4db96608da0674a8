import { BerthError } from '../../../contract/errors';
import type { PruneKindResult, SystemPruneResult, SystemPruneSpec } from '../../../contract/system';
import type { DockerContext } from './context';
import type { DockerNetworks } from './networks';
import type { DockerVolumes } from './volumes';

export type Kind = 'containers' | 'networks' | 'volumes' | 'images' | 'buildCache';
export type Done = Partial<Record<Kind, PruneKindResult | null>>;

interface RawImagesPrune {
  ImagesDeleted?: Array<{ Untagged?: string; Deleted?: string }> | null;
  SpaceReclaimed?: number;
}
interface RawBuilderPrune {
  CachesDeleted?: string[] | null;
  SpaceReclaimed?: number;
}

const LABEL: Record<Kind, string> = { containers: 'containers', networks: 'networks', volumes: 'volumes', images: 'images', buildCache: 'build cache' };

function summary(done: Done): string {
  const parts = (Object.entries(done) as Array<[Kind, PruneKindResult | null]>)
    .filter(([, r]) => r && r.removed.length)
    .map(([k, r]) => `${r?.removed.length} ${LABEL[k]}`);
  return parts.length ? `Already removed: ${parts.join(', ')}.` : 'Nothing was removed before that.';
}

function stoppedAt(kind: Kind, err: unknown, done: Done): BerthError {
  const inner = err instanceof BerthError ? err : new BerthError('INTERNAL', err instanceof Error ? err.message : String(err));
  const opts: { hint?: string; details: Record<string, unknown>; cause: unknown } = {
    details: { ...inner.details, step: kind, removedSoFar: done },
    cause: err,
  };
  if (inner.hint) opts.hint = inner.hint;
  return new BerthError(inner.code, `The system prune stopped while removing ${LABEL[kind]}: ${inner.message} ${summary(done)}`, opts);
}

/** Runs one prune step, recording it in `done`; a failure becomes an error naming the step and what went before it. */
export function pruneStepper(done: Done) {
  return async (kind: Kind, fn: () => Promise<PruneKindResult>): Promise<PruneKindResult> => {
    try {
      const r = await fn();
      done[kind] = r;
      return r;
    } catch (err) {
      throw stoppedAt(kind, err, done);
    }
  };
}

/**
 * A system prune in the Docker CLI's order: stopped containers, unused networks, volumes (if
 * asked), images (dangling, or every unused one with `all`), build cache (all of it with `all`).
 * Networks and volumes use the adapter's own prunes, so their semantics match networks.prune
 * and volumes.prune exactly. A failed step stops the prune with an error naming what went.
 */
export async function systemPrune(ctx: DockerContext, nets: DockerNetworks, vols: DockerVolumes, spec: SystemPruneSpec): Promise<SystemPruneResult> {
  const done: Done = {};
  const step = pruneStepper(done);

  const containers = await step('containers', async () => {
    const r = await ctx.call('remove stopped containers', undefined, () => ctx.docker.pruneContainers());
    return { removed: r.ContainersDeleted ?? [], spaceReclaimed: r.SpaceReclaimed ?? 0, failed: [] };
  });
  const networks = await step('networks', async () => {
    const r = await nets.prune({ dryRun: false });
    return { removed: r.removed.map((n) => n.name), spaceReclaimed: 0, failed: r.failed.map((f) => ({ name: f.name, error: f.error })) };
  });
  let volumes: PruneKindResult | null = null;
  if (spec.volumes) {
    volumes = await step('volumes', async () => {
      const r = await vols.prune({ dryRun: false, all: spec.all });
      return { removed: r.removed.map((v) => v.name), spaceReclaimed: r.spaceReclaimed, failed: r.failed };
    });
  } else done.volumes = null;
  const images = await step('images', async () => {
    const filters = { dangling: [spec.all ? 'false' : 'true'] };
    const r = (await ctx.call('remove unused images', undefined, () => ctx.docker.pruneImages({ filters }))) as RawImagesPrune;
    const removed = (r.ImagesDeleted ?? []).flatMap((d) => [d.Untagged, d.Deleted].filter((x): x is string => !!x));
    return { removed, spaceReclaimed: r.SpaceReclaimed ?? 0, failed: [] };
  });
  const buildCache = await step('buildCache', async () => {
    const opts = spec.all ? ({ all: true } as Record<string, unknown>) : {};
    const r = (await ctx.call('remove build cache', undefined, () => ctx.docker.pruneBuilder(opts))) as RawBuilderPrune;
    return { removed: r.CachesDeleted ?? [], spaceReclaimed: r.SpaceReclaimed ?? 0, failed: [] };
  });
  const total = [containers, networks, volumes, images, buildCache].reduce((a, r) => a + (r?.spaceReclaimed ?? 0), 0);
  return { containers, networks, volumes, images, buildCache, spaceReclaimed: total };
}
