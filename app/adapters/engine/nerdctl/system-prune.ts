import type { PruneKindResult, SystemPruneResult, SystemPruneSpec } from '../../../contract/system';
import { toErrorShapeSafe } from '../../../core/error-shape';
import { parseJsonLines, str } from '../../../core/nerdctl-json';
import { parsePsRow } from '../../../core/nerdctl-ps';
import { parseSize, parseSizePair } from '../../../core/nerdctl-units';
import { pruneStepper, type Done } from '../docker-api/system-prune';
import type { NerdctlContext } from './context';
import type { NerdctlImages } from './images';
import type { NerdctlNetworks } from './networks';
import type { NerdctlVolumes } from './volumes';

/** `ps -a --size` rows: each container's state and the size of its writable layer (`8.0 KiB (virtual 1.9 MiB)`). */
export async function containerSizes(ctx: NerdctlContext, signal?: AbortSignal): Promise<Array<{ id: string; state: string; size: number }>> {
  const out = await ctx.exec('list containers', undefined, ['ps', '-a', '--no-trunc', '--size', '--format', 'json'], signal ? { signal } : {});
  return parseJsonLines(out, 'ps').map((r) => {
    const [rw] = parseSizePair(str(r.Size).replace(/\s*\(virtual\s+(.*)\)\s*$/, ' / $1'));
    return { id: str(r.ID), state: parsePsRow(r).state, size: rw ?? 0 };
  });
}

/** `container prune -f`: "Deleted Containers:" and one full id a line. */
const prunedIds = (out: string) =>
  out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[0-9a-f]{64}$/.test(l));

/**
 * A system prune in the Docker CLI's order, from nerdctl's parts: stopped containers (`container prune`),
 * unused networks and volumes (the adapter's own prunes, so they match networks.prune and volumes.prune),
 * images (images.prune: dangling, or every unused one with `all`), then BuildKit's cache (`builder prune`,
 * which reports only the total it freed). A failed step stops the prune naming what went; an unreachable
 * BuildKit is a failure of that step alone (the rest is done).
 */
export async function nerdctlSystemPrune(ctx: NerdctlContext, parts: { images: NerdctlImages; networks: NerdctlNetworks; volumes: NerdctlVolumes }, spec: SystemPruneSpec): Promise<SystemPruneResult> {
  const done: Done = {};
  const step = pruneStepper(done);
  const containers = await step('containers', async () => {
    const before = new Map((await containerSizes(ctx)).map((c) => [c.id, c.size]));
    const removed = prunedIds(await ctx.exec('remove stopped containers', undefined, ['container', 'prune', '--force']));
    return { removed, spaceReclaimed: removed.reduce((a, id) => a + (before.get(id) ?? 0), 0), failed: [] };
  });
  const networks = await step('networks', async () => {
    const r = await parts.networks.prune({ dryRun: false });
    return { removed: r.removed.map((n) => n.name), spaceReclaimed: 0, failed: r.failed.map((f) => ({ name: f.name, error: f.error })) };
  });
  let volumes: PruneKindResult | null = null;
  if (spec.volumes) {
    volumes = await step('volumes', async () => {
      const r = await parts.volumes.prune({ dryRun: false, all: spec.all });
      return { removed: r.removed.map((v) => v.name), spaceReclaimed: r.spaceReclaimed, failed: r.failed };
    });
  } else done.volumes = null;
  const images = await step('images', async () => {
    const r = await parts.images.prune({ all: spec.all, dryRun: false });
    return { removed: [...r.untagged, ...r.removed.map((i) => i.id)], spaceReclaimed: r.spaceReclaimed, failed: [] };
  });
  const buildCache = await step('buildCache', async () => {
    const args = ['builder', 'prune', '--force', ...(spec.all ? ['--all'] : [])];
    const r = await ctx.raw(args);
    if (r.exitCode !== 0) return { removed: [], spaceReclaimed: 0, failed: [{ name: 'build cache', error: toErrorShapeSafe(ctx.failure('remove build cache', undefined, args, r), 'remove build cache') }] };
    // `Total:  2.956MiB`: nerdctl names no records.
    return { removed: [], spaceReclaimed: parseSize(/^Total:\s*(\S+)/m.exec(r.stdout)?.[1]) ?? 0, failed: [] };
  });
  const total = [containers, networks, volumes, images, buildCache].reduce((a, r) => a + (r?.spaceReclaimed ?? 0), 0);
  return { containers, networks, volumes, images, buildCache, spaceReclaimed: total };
}
