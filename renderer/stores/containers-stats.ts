import { useEffect } from 'react';
import { create } from 'zustand';
import { DEFAULT_STATS_INTERVAL_SECONDS } from '../../app/contract/settings';
import type { ContainerStats } from '../../app/contract/stats';
import { registerChangeTarget } from '../lib/change-feed';
import { toErrorShape } from '../lib/errors';
import { call } from '../lib/rpc';
import { documentVisibility } from '../lib/visibility';
import { useApp } from './app';
import { StatsSampler, type SamplerState } from './stats-sampler';

/**
 * Live CPU and memory of the containers whose rows are on screen, read with `stats.sample` every
 * `ui.statsIntervalSeconds` (Preferences), and not at all while the window is hidden. See
 * stats-sampler.ts. The detail pane's charts stream their one container (stores/stats.ts).
 */
export const useContainerStats = create<SamplerState>()(() => ({ byId: {}, error: null }));

const intervalSeconds = () => useApp.getState().settings?.ui.statsIntervalSeconds ?? DEFAULT_STATS_INTERVAL_SECONDS;

export const containerStatsSampler = new StatsSampler({
  sample: (ids) => call('stats.sample', { ids }),
  intervalMs: () => intervalSeconds() * 1000,
  visibility: documentVisibility(),
  onState: (next) => useContainerStats.setState(next),
  getState: () => useContainerStats.getState(),
  toError: toErrorShape,
});

// An unreachable engine stops the sampling; read again when the engine's state changes.
registerChangeTarget('engine', { invalidate: () => containerStatsSampler.refresh() });

// A new period applies now rather than after the old one.
let lastSeconds = intervalSeconds();
useApp.subscribe(() => {
  const s = intervalSeconds();
  if (s === lastSeconds) return;
  lastSeconds = s;
  containerStatsSampler.refresh();
});

/**
 * The live figures of container `id` while the calling cell is mounted (on screen) and `enabled`
 * (the container is up). Re-renders when a new sample of it arrives.
 */
export function useSampledStats(id: string, enabled: boolean) {
  useEffect(() => (enabled ? containerStatsSampler.watch(id) : undefined), [id, enabled]);
  const s = useContainerStats((st) => st.byId[id]);
  const error = useContainerStats((st) => st.error);
  return { s: enabled ? s : undefined, error };
}

/**
 * Like useSampledStats, but re-renders only when what the cell shows changes: `pick` turns a
 * sample into the cell's text (a primitive), so an idle container's "0.0%" does not repaint on
 * every sample. Undefined while there is no sample (or `enabled` is false).
 */
export function useSampledValue<R extends string | number | null>(id: string, enabled: boolean, pick: (s: ContainerStats) => R): R | undefined {
  useEffect(() => (enabled ? containerStatsSampler.watch(id) : undefined), [id, enabled]);
  return useContainerStats((st) => {
    const s = st.byId[id];
    return enabled && s ? pick(s) : undefined;
  });
}

/** Why there are no live figures (the last sample failed), as text for a tooltip; null when they flow. */
export const useSampleError = (): string | null => useContainerStats((st) => st.error?.message ?? null);
