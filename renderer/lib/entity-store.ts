import { useMemo } from 'react';
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { ErrorShape } from '../../app/contract/errors';
import type { ObjectChange } from '../../app/contract/events';
import { toErrorShape } from './errors';
import { documentVisibility, type Visibility } from './visibility';

/**
 * The generic "list of things from the engine" store: containers, images, volumes, networks.
 *
 *   const useVolumes = createEntityStore({ name: 'volumes', fetch: () => call('volumes.list', {}), idOf: (v) => v.name });
 *   useVolumes.getState().load();          // first load (a page mounting)
 *   useVolumes.getState().invalidate();    // something changed (change feed): debounced refetch
 *   useVolumes.getState().runAction(id, 'Removing', () => call('volumes.remove', { name: id }));
 *
 * Refetches merge by id and keep the identity of unchanged rows, so selection and memoized
 * rows survive. A failed refetch keeps the rows it had and sets `error` (never an empty list).
 */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface RowPending {
  /** What is running, as a user reads it: "Stopping", "Removing"... */
  action: string;
  /** Set when the action failed; the row shows it until dismissed or retried. */
  error?: ErrorShape;
}

export type ActionResult<R> = { ok: true; value: R } | { ok: false; error: ErrorShape };

export interface ActionOptions {
  /** Refetch after success: 'now' (default; the pending state stays until the list is fresh), 'debounced' or false. */
  refetch?: 'now' | 'debounced' | false;
}

export interface BulkResult {
  ok: string[];
  failed: Array<{ id: string; error: ErrorShape }>;
}

export interface EntityState<T> {
  byId: Record<string, T>;
  order: string[];
  status: LoadStatus;
  /** The last list failure (with `status: 'error'`); rows from an earlier success are kept. */
  error: ErrorShape | null;
  /** Per-row actions in flight or failed. */
  pending: Record<string, RowPending>;
  /** A refetch is running while rows are shown. */
  refreshing: boolean;
  loadedAt: number | null;
  /** When rows refetched alone (fetchSome) were read; other rows were read at `loadedAt`. */
  rowReadAt: Record<string, number>;
  /** Fetch now (coalesced with a fetch already running). */
  load(): Promise<void>;
  /** Something changed: refetch soon (debounced, capped; just the named row at once with fetchSome), not while hidden, not before the first load. */
  invalidate(change?: ObjectChange): void;
  /** Run an action for one row with pending and error state on that row. */
  runAction<R>(id: string, action: string, fn: () => Promise<R>, opts?: ActionOptions): Promise<ActionResult<R>>;
  /** Run an action over many rows (bounded concurrency), then refetch once. */
  runBulk(ids: readonly string[], action: string, fn: (id: string) => Promise<unknown>, opts?: { concurrency?: number }): Promise<BulkResult>;
  dismissRowError(id: string): void;
}

export interface EntityStoreOptions<T> {
  /** For diagnostics. */
  name: string;
  fetch(): Promise<readonly T[]>;
  idOf(item: T): string;
  /** Whether a refetched item equals the one held (then the old object is kept). Default: the same data (dataEqual). */
  equals?(a: T, b: T): boolean;
  /** Quiet time before a refetch after the last invalidation (ms). Default 250. */
  debounceMs?: number;
  /** A burst of invalidations refetches at least this often (ms). Default 1500. */
  maxWaitMs?: number;
  visibility?: Visibility;
  now?(): number;
  /**
   * Fetch only the rows a change item names (e.g. `containers.list` with `ids`): a change of one
   * container then refetches that container at once instead of the whole list after the debounce.
   * Rows asked for and not returned are gone. Items of other kinds, and more than `maxIds` dirty
   * rows at once, fall back to the whole list.
   */
  fetchSome?: { kind: ObjectChange['kind']; fetch(ids: string[]): Promise<readonly T[]>; maxIds?: number };
}

export type EntityStore<T> = UseBoundStore<StoreApi<EntityState<T>>>;

/**
 * Whether two values decoded from JSON (the core's replies) hold the same data: compared field by
 * field, stopping at the first difference. Two JSON.stringify per row made a refetch of thousands
 * of rows cost milliseconds for nothing (most rows are unchanged). An undefined field counts as
 * absent, as in JSON.
 */
export function dataEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!dataEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let na = 0;
  for (const k in ra) {
    if (ra[k] === undefined) continue;
    na++;
    if (!dataEqual(ra[k], rb[k])) return false;
  }
  let nb = 0;
  for (const k in rb) if (rb[k] !== undefined) nb++;
  return na === nb;
}


/** Merge a fresh list into the held one: keep unchanged objects, keep arrays when nothing moved. */
export function mergeById<T>(
  prev: { byId: Record<string, T>; order: string[] },
  items: readonly T[],
  idOf: (item: T) => string,
  equals: (a: T, b: T) => boolean = dataEqual,
): { byId: Record<string, T>; order: string[] } {
  const byId: Record<string, T> = {};
  const order: string[] = [];
  let changed = items.length !== prev.order.length;
  for (const item of items) {
    const id = idOf(item);
    if (Object.prototype.hasOwnProperty.call(byId, id)) continue;
    const old = prev.byId[id];
    const keep = old !== undefined && equals(old, item);
    byId[id] = keep ? old : item;
    if (!keep || prev.order[order.length] !== id) changed = true;
    order.push(id);
  }
  if (!changed && order.length === prev.order.length) return { byId: prev.byId, order: prev.order };
  const sameOrder = order.length === prev.order.length && order.every((id, i) => prev.order[i] === id);
  return { byId, order: sameOrder ? prev.order : order };
}

async function mapLimit(ids: readonly string[], limit: number, fn: (id: string) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      await fn(id);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, ids.length)) }, worker));
}

export function createEntityStore<T>(opts: EntityStoreOptions<T>): EntityStore<T> {
  const visibility = opts.visibility ?? documentVisibility();
  const debounceMs = opts.debounceMs ?? 250;
  const maxWaitMs = opts.maxWaitMs ?? 1500;
  const now = opts.now ?? (() => Date.now());
  let inflight: Promise<void> | null = null;
  /** A whole-list fetch is wanted; rows to fetch alone. One runner does both, in order. */
  let fullWanted = false;
  const dirty = new Set<string>();
  const some = opts.fetchSome;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let burstStart: number | null = null;
  let missedWhileHidden = false;

  return create<EntityState<T>>()((set, get) => {
    const fetchOnce = async () => {
      const s = get();
      set(s.loadedAt === null ? { status: 'loading', refreshing: false } : { refreshing: true });
      try {
        const items = await opts.fetch();
        const cur = get();
        const merged = mergeById(cur, items, opts.idOf, opts.equals);
        // Row errors of rows that are gone are moot; in-flight actions stay until they settle.
        const pending = Object.fromEntries(Object.entries(cur.pending).filter(([id, p]) => !p.error || id in merged.byId));
        set({ ...merged, pending, status: 'ready', error: null, refreshing: false, loadedAt: now(), rowReadAt: {} });
      } catch (e) {
        set({ status: 'error', error: toErrorShape(e), refreshing: false });
      }
    };

    /** Refetch just `ids` and patch them in (new rows go last; the pages sort). A failure falls back to the whole list. */
    const patchOnce = async (ids: string[]) => {
      if (!some) return;
      let items: readonly T[];
      try {
        items = await some.fetch(ids);
      } catch {
        fullWanted = true;
        return;
      }
      const cur = get();
      const byId = { ...cur.byId };
      const rowReadAt = { ...cur.rowReadAt };
      const t = now();
      const fresh = new Map(items.map((i) => [opts.idOf(i), i]));
      const equals = opts.equals ?? dataEqual;
      let order = cur.order;
      for (const id of ids) {
        const item = fresh.get(id);
        if (item === undefined) {
          if (!(id in byId)) continue;
          delete byId[id];
          delete rowReadAt[id];
          order = order.filter((x) => x !== id);
          continue;
        }
        const old = byId[id];
        if (old === undefined) order = [...order, id];
        byId[id] = old !== undefined && equals(old, item) ? old : item;
        rowReadAt[id] = t;
      }
      set({ byId, order, rowReadAt });
    };

    /**
     * The one runner: fetches until nothing is wanted. It lets go of `inflight` in the same step as its last check (not
     * in a `.finally` a few microtasks later): a load asked for in between was answered with the finished run and never
     * fetched (rows mounted by the render a reply scheduled kept their badge placeholder for good).
     */
    const drain = async (): Promise<void> => {
      try {
        while (fullWanted || dirty.size > 0) {
          if (fullWanted) {
            fullWanted = false;
            dirty.clear();
            await fetchOnce();
          } else {
            const ids = [...dirty];
            dirty.clear();
            await patchOnce(ids);
          }
        }
      } finally {
        inflight = null;
      }
    };

    const run = (): Promise<void> => {
      // drain() awaits before it ends whenever it starts with something wanted, so it clears `inflight` after this sets it.
      if (!inflight && (fullWanted || dirty.size > 0)) inflight = drain();
      return inflight ?? Promise.resolve();
    };

    const fetchNow = (): Promise<void> => {
      fullWanted = true;
      return run();
    };

    const fire = () => {
      timer = null;
      burstStart = null;
      if (visibility.hidden()) missedWhileHidden = true;
      else void fetchNow();
    };

    // A refetch that was due when the window hid waits for it to show again: no timer runs while hidden.
    visibility.onHidden(() => {
      if (!timer) return;
      clearTimeout(timer);
      timer = null;
      burstStart = null;
      missedWhileHidden = true;
    });

    visibility.onVisible(() => {
      if (!missedWhileHidden) return;
      missedWhileHidden = false;
      void fetchNow();
    });

    const setPending = (id: string, p: RowPending | null) =>
      set((s) => {
        const pending = { ...s.pending };
        if (p) pending[id] = p;
        else delete pending[id];
        return { pending };
      });

    return {
      byId: {},
      order: [],
      status: 'idle',
      error: null,
      pending: {},
      refreshing: false,
      loadedAt: null,
      rowReadAt: {},
      load: fetchNow,
      invalidate(change) {
        if (get().status === 'idle') return;
        if (visibility.hidden()) {
          missedWhileHidden = true;
          return;
        }
        // One row changed: fetch it now (a fetch already running is followed by this one).
        if (some && change && change.kind === some.kind && get().loadedAt !== null && dirty.size < (some.maxIds ?? 50)) {
          dirty.add(change.id);
          void run();
          return;
        }
        const t = now();
        burstStart ??= t;
        if (timer) clearTimeout(timer);
        timer = setTimeout(fire, Math.max(0, Math.min(debounceMs, burstStart + maxWaitMs - t)));
      },
      async runAction<R>(id: string, action: string, fn: () => Promise<R>, actionOpts: ActionOptions = {}): Promise<ActionResult<R>> {
        const refetch = actionOpts.refetch ?? 'now';
        setPending(id, { action });
        try {
          const value = await fn();
          if (refetch === 'now') await fetchNow();
          else if (refetch === 'debounced') get().invalidate();
          setPending(id, null);
          return { ok: true, value };
        } catch (e) {
          const error = toErrorShape(e);
          setPending(id, { action, error });
          return { ok: false, error };
        }
      },
      async runBulk(ids, action, fn, bulkOpts = {}) {
        const result: BulkResult = { ok: [], failed: [] };
        const succeeded: string[] = [];
        await mapLimit(ids, bulkOpts.concurrency ?? 4, async (id) => {
          const r = await get().runAction(id, action, () => fn(id), { refetch: false });
          if (r.ok) {
            succeeded.push(id);
            // Keep the row marked until the refetch below shows its new state.
            setPending(id, { action });
          } else result.failed.push({ id, error: r.error });
        });
        if (succeeded.length > 0) await fetchNow();
        for (const id of succeeded) setPending(id, null);
        result.ok = succeeded;
        return result;
      },
      dismissRowError(id) {
        if (get().pending[id]?.error) setPending(id, null);
      },
    };
  });
}

/** The rows in order, memoized on the store's arrays. */
export function useEntityRows<T>(store: EntityStore<T>): T[] {
  const byId = store((s) => s.byId);
  const order = store((s) => s.order);
  return useMemo(() => order.map((id) => byId[id] as T), [byId, order]);
}
