import { create } from 'zustand';
import type { ErrorShape } from '../../app/contract/errors';
import type { VolumeCreateSpec, VolumePruneResult, VolumeSummary } from '../../app/contract/volumes';
import type { ActionResult, BulkResult } from '../lib/entity-store';
import { call } from '../lib/rpc';
import { createEngineList, engineCall, thenReload } from './engine-list';

/** Why the sizes are unknown (the list itself still loaded), or null. Set with each list fetch. */
export const useVolumeSizeError = create<{ sizeError: ErrorShape | null }>()(() => ({ sizeError: null }));

/** The volumes of the active engine, keyed by name. */
export const useVolumes = createEngineList<VolumeSummary>({
  name: 'volumes',
  idOf: (v) => v.name,
  fetch: async () => {
    const r = await call('volumes.list', {});
    const prev = useVolumeSizeError.getState().sizeError;
    const next = r.sizeError ?? null;
    if (JSON.stringify(prev) !== JSON.stringify(next)) useVolumeSizeError.setState({ sizeError: next });
    return r.volumes;
  },
  // A volume created or removed, or a container created, removed or renamed (who uses a volume),
  // refetch the list, debounced. Mounts and unmounts (every container start and stop) change nothing
  // the list shows, and each refetch also reads the engine's disk usage: they are left out.
  changes: [
    { kind: 'volume', actions: ['create', 'destroy'] },
    { kind: 'container', actions: ['create', 'destroy', 'rename'] },
  ],
});

/** Create a volume; the list is refreshed before this resolves. Rejects with the engine's reason. */
export async function createVolume(spec: VolumeCreateSpec): Promise<VolumeSummary> {
  const v = await engineCall(() => call('volumes.create', spec));
  await useVolumes.getState().load();
  return v;
}

/** Remove one volume; pending and any error (VOLUME_IN_USE naming the containers) show on its row. */
export function removeVolume(name: string): Promise<ActionResult<{ name: string }>> {
  return useVolumes.getState().runAction(name, 'Removing', () => engineCall(() => call('volumes.remove', { name })));
}

/** Remove several volumes; each failure stays on its row. */
export function removeVolumes(names: readonly string[]): Promise<BulkResult> {
  return useVolumes.getState().runBulk(names, 'Removing', (name) => engineCall(() => call('volumes.remove', { name })));
}

/** What a prune would remove now, and the space it would free. Removes nothing. */
export function previewVolumePrune(all: boolean): Promise<VolumePruneResult> {
  return engineCall(() => call('volumes.prune', { dryRun: true, all }));
}

/** Remove the unused volumes (anonymous ones; named ones too with `all`), then refresh the list. */
export function pruneVolumes(all: boolean): Promise<VolumePruneResult> {
  return thenReload(useVolumes, () => call('volumes.prune', { dryRun: false, all, confirm: true })); // confirmed in the prune dialog
}
