import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { statsApi, ContainerStats, StatsSample } from '../contract/stats';
import type { StatsOps } from '../ports/engine/stats';

/** An engine without a one-shot read: the first sample of each container's stream, then the stream is closed. */
async function firstSamples(stats: StatsOps, ids: readonly string[], signal: AbortSignal): Promise<StatsSample> {
  const unique = [...new Set(ids)];
  const got = await Promise.all(
    unique.map(async (id): Promise<ContainerStats | null> => {
      const ctrl = new AbortController();
      const sig = AbortSignal.any([signal, ctrl.signal]);
      try {
        for await (const s of stats.container(id, sig)) return s;
        return null;
      } catch (err) {
        if ((err as { code?: string }).code === 'NOT_FOUND') return null;
        throw err;
      } finally {
        ctrl.abort();
      }
    }),
  );
  const containers: ContainerStats[] = [];
  const missing: string[] = [];
  got.forEach((s, i) => (s ? containers.push(s) : missing.push(unique[i] as string)));
  return { ts: new Date().toISOString(), containers, missing };
}

export const statsHandlers = (s: Services): Handlers<typeof statsApi> => ({
  'stats.container': async (input, emit, signal) => {
    for await (const item of s.engines.resolve(input.engineId).stats.container(input.id, signal)) {
      if (signal.aborted) return;
      emit(item);
    }
  },
  'stats.sample': async (input, { signal }) => {
    const stats = s.engines.resolve(input.engineId).stats;
    return stats.sample ? stats.sample(input.ids, signal) : firstSamples(stats, input.ids, signal);
  },
  'stats.all': async (input, emit, signal) => {
    for await (const snap of s.engines.resolve(input.engineId).stats.all(signal)) {
      if (signal.aborted) return;
      emit(snap);
    }
  },
});
