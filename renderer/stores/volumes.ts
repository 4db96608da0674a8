import { create } from 'zustand';
import type { ErrorShape } from '../../app/contract/errors';
import type { VolumeCreateSpec, VolumePruneResult, VolumeSummary } from '../../app/contract/volumes';
import { registerChangeTarget } from '../lib/change-feed';
import { createEntityStore, type ActionResult, type BulkResult } from '../lib/entity-store';
import { toErrorShape } from '../lib/errors';
import { call } from '../lib/rpc';
import { engineSuspect } from './engines';

/** Why the sizes are unknown (the list itself still loaded), or null. Set with each list fetch. */
export const useVolumeSizeError = create<{ sizeError: ErrorShape | null }>()(() => ({ sizeError: null }));

/** Calls the core; a failure that says the engine is gone makes the frame re-check it. */
async function guarded<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (e) {
    if (toErrorShape(e).code === 'ENGINE_UNREACHABLE') engineSuspect();
    throw e;
  }
}

/** The volumes of the active engine, keyed by name. */
export const useVolumes = createEntityStore<VolumeSummary>({
  name: 'volumes',
  idOf: (v) => v.name,
  fetch: () =>
    guarded(async () => {
      const r = await call('volumes.list', {});
      const prev = useVolumeSizeError.getState().sizeError;
      const next = r.sizeError ?? null;
      if (JSON.stringify(prev) !== JSON.stringify(next)) useVolumeSizeError.setState({ sizeError: next });
      return r.volumes;
    }),
});

// Volume events (create, mount, unmount, destroy) and container changes (a created or removed
// container changes who uses a volume) refetch the list, debounced.
registerChangeTarget(['volume', 'container'], useVolumes);

/** Create a volume; the list is refreshed before this resolves. Rejects with the engine's reason. */
export async function createVolume(spec: VolumeCreateSpec): Promise<VolumeSummary> {
  const v = await guarded(() => call('volumes.create', spec));
  await useVolumes.getState().load();
  return v;
}

/** Remove one volume; pending and any error (VOLUME_IN_USE naming the containers) show on its row. */
export function removeVolume(name: string): Promise<ActionResult<{ name: string }>> {
  return useVolumes.getState().runAction(name, 'Removing', () => guarded(() => call('volumes.remove', { name })));
}

/** Remove several volumes; each failure stays on its row. */
export function removeVolumes(names: readonly string[]): Promise<BulkResult> {
  return useVolumes.getState().runBulk(names, 'Removing', (name) => guarded(() => call('volumes.remove', { name })));
}

/** What a prune would remove now, and the space it would free. Removes nothing. */
export function previewVolumePrune(all: boolean): Promise<VolumePruneResult> {
  return guarded(() => call('volumes.prune', { dryRun: true, all }));
}

/** Remove the unused volumes (anonymous ones; named ones too with `all`), then refresh the list. */
export async function pruneVolumes(all: boolean): Promise<VolumePruneResult> {
  try {
    return await guarded(() => call('volumes.prune', { dryRun: false, all }));
  } finally {
    await useVolumes.getState().load();
  }
}
