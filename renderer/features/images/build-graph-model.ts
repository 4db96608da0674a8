import type { BuildGraph } from '../../../app/contract/images-build';

export type GraphStep = BuildGraph['steps'][number];

/** `1.2 s`, `340 ms`, `2 min 5 s`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The headline: total time and the share from cache. */
export function graphSummary(g: BuildGraph): string {
  const parts = [];
  if (g.totalMs !== null) parts.push(formatDuration(g.totalMs));
  if (g.stepCount) parts.push(`${g.cachedCount} of ${g.stepCount} steps from cache (${Math.round(g.cachedShare * 100)}%)`);
  return parts.join(' · ');
}

/** The Dockerfile stages with their steps (BuildKit's internal work left to a last, collapsed group). */
export function graphColumns(g: BuildGraph): { name: string; label: string; state: string; steps: GraphStep[]; internal: boolean }[] {
  const byId = new Map(g.steps.map((s) => [s.id, s]));
  return g.stages.map((st) => ({
    name: st.name,
    label: st.name === 'internal' ? 'BuildKit' : st.name || 'image',
    state: st.state,
    internal: st.name === 'internal',
    steps: st.stepIds.flatMap((id) => byId.get(id) ?? []),
  }));
}

export const STATE_LABEL: Record<GraphStep['state'], string> = { waiting: 'Waiting', running: 'Running', done: 'Done', cached: 'Cached', failed: 'Failed' };
