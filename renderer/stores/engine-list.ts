import { registerChangeTarget, type ChangeSpec } from '../lib/change-feed';
import { createEntityStore, type EntityStore, type EntityStoreOptions } from '../lib/entity-store';
import { toErrorShape } from '../lib/errors';
import { engineSuspect } from './engines';

/** Calls the core; a failure that says the engine is gone makes the frame re-check it. */
export async function engineCall<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (e) {
    if (toErrorShape(e).code === 'ENGINE_UNREACHABLE') engineSuspect();
    throw e;
  }
}

export interface EngineListOptions<T> extends EntityStoreOptions<T> {
  /** The change-feed kinds that make this list refetch (debounced). */
  changes: ChangeSpec | readonly ChangeSpec[];
}

/**
 * The list of one kind of engine object (images, volumes, networks, containers): an entity
 * store whose fetch goes through `engineCall`, refreshed by the change feed (never on a timer).
 */
export function createEngineList<T>({ changes, fetch, fetchSome, ...opts }: EngineListOptions<T>): EntityStore<T> {
  const some = fetchSome && { ...fetchSome, fetch: (ids: string[]) => engineCall(() => fetchSome.fetch(ids)) };
  const store = createEntityStore<T>({ ...opts, fetch: () => engineCall(fetch), ...(some ? { fetchSome: some } : {}) });
  registerChangeTarget(changes, store);
  return store;
}

/** Runs an engine call, then refetches the list, whether the call worked or not (a prune, a load). */
export async function thenReload<T, R>(store: EntityStore<T>, fn: () => Promise<R>): Promise<R> {
  try {
    return await engineCall(fn);
  } finally {
    await store.getState().load();
  }
}
