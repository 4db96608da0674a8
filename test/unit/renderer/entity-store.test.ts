import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BerthError } from '../../../app/contract/errors';
import { createEntityStore, mergeById } from '../../../renderer/lib/entity-store';
import { manualVisibility } from '../../../renderer/lib/visibility';

interface Item {
  id: string;
  state: string;
}

/** A list source the test controls: each fetch returns the current `items` (or throws `fail`). */
function source(initial: Item[]) {
  const s = {
    items: initial,
    fail: null as Error | null,
    calls: 0,
    fetch: async (): Promise<Item[]> => {
      s.calls++;
      if (s.fail) throw s.fail;
      return s.items.map((i) => ({ ...i }));
    },
  };
  return s;
}

describe('mergeById', () => {
  it('keeps unchanged objects and the order array when nothing moved', () => {
    const a = { id: 'a', state: 'up' };
    const b = { id: 'b', state: 'up' };
    const prev = { byId: { a, b }, order: ['a', 'b'] };
    const same = mergeById(prev, [{ ...a }, { ...b }], (x) => x.id);
    expect(same.byId).toBe(prev.byId);
    expect(same.order).toBe(prev.order);

    const changed = mergeById(prev, [{ ...a }, { id: 'b', state: 'down' }], (x) => x.id);
    expect(changed.byId.a).toBe(a);
    expect(changed.byId.b).toEqual({ id: 'b', state: 'down' });
    expect(changed.order).toBe(prev.order);

    const moved = mergeById(prev, [{ ...b }, { ...a }, { id: 'c', state: 'up' }], (x) => x.id);
    expect(moved.order).toEqual(['b', 'a', 'c']);
    expect(moved.byId.a).toBe(a);
  });

  it('drops duplicates and vanished ids', () => {
    const prev = { byId: { a: { id: 'a', state: 'x' } }, order: ['a'] };
    const next = mergeById(prev, [{ id: 'b', state: 'y' }, { id: 'b', state: 'z' }], (x) => x.id);
    expect(next.order).toEqual(['b']);
    expect(next.byId).toEqual({ b: { id: 'b', state: 'y' } });
  });
});

describe('createEntityStore', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads, then keeps rows and reports the error when a refetch fails', async () => {
    const src = source([{ id: 'a', state: 'up' }]);
    const store = createEntityStore({ name: 't', fetch: src.fetch, idOf: (x) => x.id, visibility: manualVisibility() });
    expect(store.getState().status).toBe('idle');
    const p = store.getState().load();
    expect(store.getState().status).toBe('loading');
    await p;
    expect(store.getState().status).toBe('ready');
    expect(store.getState().order).toEqual(['a']);

    src.fail = new BerthError('ENGINE_UNREACHABLE', 'engine gone', { hint: 'start it' });
    await store.getState().load();
    const s = store.getState();
    expect(s.status).toBe('error');
    expect(s.error).toMatchObject({ code: 'ENGINE_UNREACHABLE', message: 'engine gone', hint: 'start it' });
    expect(s.order).toEqual(['a']);
  });

  it('debounces invalidations, caps a burst, and ignores them before the first load', async () => {
    const src = source([{ id: 'a', state: 'up' }]);
    const store = createEntityStore({ name: 't', fetch: src.fetch, idOf: (x) => x.id, debounceMs: 200, maxWaitMs: 500, visibility: manualVisibility() });
    store.getState().invalidate();
    await vi.advanceTimersByTimeAsync(1000);
    expect(src.calls).toBe(0);

    await store.getState().load();
    expect(src.calls).toBe(1);
    for (let i = 0; i < 5; i++) {
      store.getState().invalidate();
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(src.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(src.calls).toBe(2);

    // A steady stream of events still refetches every maxWaitMs.
    for (let i = 0; i < 12; i++) {
      store.getState().invalidate();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(src.calls).toBeGreaterThanOrEqual(4);
    expect(src.calls).toBeLessThanOrEqual(5);
  });

  it('does not refetch while hidden and catches up once when visible', async () => {
    const vis = manualVisibility();
    const src = source([{ id: 'a', state: 'up' }]);
    const store = createEntityStore({ name: 't', fetch: src.fetch, idOf: (x) => x.id, debounceMs: 100, visibility: vis });
    await store.getState().load();
    vis.set(true);
    src.items = [{ id: 'a', state: 'down' }];
    store.getState().invalidate();
    store.getState().invalidate();
    await vi.advanceTimersByTimeAsync(1000);
    expect(src.calls).toBe(1);
    vis.set(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(src.calls).toBe(2);
    expect(store.getState().byId.a?.state).toBe('down');
    vis.set(true);
    vis.set(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(src.calls).toBe(2);
  });

  it('coalesces loads requested while one is running into one more fetch', async () => {
    const src = source([{ id: 'a', state: 'up' }]);
    const store = createEntityStore({ name: 't', fetch: src.fetch, idOf: (x) => x.id, visibility: manualVisibility() });
    await Promise.all([store.getState().load(), store.getState().load(), store.getState().load()]);
    expect(src.calls).toBe(2);
  });

  // The Containers page's badges (~1 page load in 15 on Docker): rows mounted by a render that a reply's `set` scheduled
  // ask for their badges in a microtask; one that lands after the runner's last check, before it let go of the fetch
  // in flight, was answered with that finished fetch and never asked for: the rows kept their placeholder for good.
  it('a load asked for in any microtask after a fetch settles gets a fetch of its own', async () => {
    for (let depth = 0; depth < 12; depth++) {
      let calls = 0;
      let settle: () => void = () => undefined;
      const store = createEntityStore<Item>({
        name: 't',
        fetch: () => {
          calls++;
          if (calls > 1) return Promise.resolve([{ id: 'b', state: 'up' }]);
          return new Promise<Item[]>((resolve) => (settle = () => resolve([{ id: 'a', state: 'up' }])));
        },
        idOf: (x) => x.id,
        visibility: manualVisibility(),
      });
      const first = store.getState().load();
      let later: Promise<void> | null = null;
      const after = (n: number): Promise<void> => (n === 0 ? Promise.resolve().then(() => void (later = store.getState().load())) : Promise.resolve().then(() => after(n - 1)));
      settle();
      const asked = after(depth);
      await first;
      await asked;
      await later;
      expect({ depth, calls, order: store.getState().order }).toEqual({ depth, calls: 2, order: ['b'] });
    }
  });

  it('tracks a row action: pending until the list is fresh, the error on the row when it fails', async () => {
    const src = source([
      { id: 'a', state: 'up' },
      { id: 'b', state: 'up' },
    ]);
    const store = createEntityStore({ name: 't', fetch: src.fetch, idOf: (x) => x.id, visibility: manualVisibility() });
    await store.getState().load();
    const rowA = store.getState().byId.a;

    let release!: () => void;
    const action = store.getState().runAction('b', 'Stopping', () => new Promise<void>((r) => (release = r)).then(() => void (src.items = [{ id: 'a', state: 'up' }, { id: 'b', state: 'down' }])));
    expect(store.getState().pending.b).toEqual({ action: 'Stopping' });
    release();
    const r = await action;
    expect(r.ok).toBe(true);
    expect(store.getState().pending.b).toBeUndefined();
    expect(store.getState().byId.b?.state).toBe('down');
    expect(store.getState().byId.a).toBe(rowA);

    const failed = await store.getState().runAction('a', 'Removing', async () => {
      throw new BerthError('CONTAINER_RUNNING', 'a is running', { hint: 'Stop it first' });
    });
    expect(failed).toEqual({ ok: false, error: { code: 'CONTAINER_RUNNING', message: 'a is running', hint: 'Stop it first' } });
    expect(store.getState().pending.a?.error?.code).toBe('CONTAINER_RUNNING');
    store.getState().dismissRowError('a');
    expect(store.getState().pending.a).toBeUndefined();
  });

  it('runs a bulk action with one refetch and reports each failure', async () => {
    const src = source([
      { id: 'a', state: 'up' },
      { id: 'b', state: 'up' },
      { id: 'c', state: 'up' },
    ]);
    const store = createEntityStore({ name: 't', fetch: src.fetch, idOf: (x) => x.id, visibility: manualVisibility() });
    await store.getState().load();
    const result = await store.getState().runBulk(['a', 'b', 'c'], 'Removing', async (id) => {
      if (id === 'b') throw new BerthError('CONFLICT', 'b is in use');
      src.items = src.items.filter((i) => i.id !== id);
    });
    expect(result.ok.sort()).toEqual(['a', 'c']);
    expect(result.failed).toEqual([{ id: 'b', error: { code: 'CONFLICT', message: 'b is in use' } }]);
    expect(src.calls).toBe(2);
    expect(store.getState().order).toEqual(['b']);
    expect(Object.keys(store.getState().pending)).toEqual(['b']);
  });

  it('with fetchSome, a change of one row refetches that row at once and patches it in; gone rows leave; other kinds use the whole list', async () => {
    const src = source([
      { id: 'a', state: 'up' },
      { id: 'b', state: 'up' },
    ]);
    const asked: string[][] = [];
    const store = createEntityStore({
      name: 't',
      fetch: src.fetch,
      idOf: (x) => x.id,
      debounceMs: 200,
      visibility: manualVisibility(),
      now: () => 1000 + asked.length,
      fetchSome: {
        kind: 'container',
        fetch: async (ids) => {
          asked.push(ids);
          return src.items.filter((i) => ids.includes(i.id)).map((i) => ({ ...i }));
        },
      },
    });
    await store.getState().load();
    const keepA = store.getState().byId.a;
    const change = (action: string, id: string) => ({ engineId: 'e', kind: 'container' as const, action, id });

    src.items = [{ id: 'a', state: 'up' }, { id: 'b', state: 'down' }, { id: 'c', state: 'up' }];
    store.getState().invalidate(change('die', 'b'));
    store.getState().invalidate(change('create', 'c'));
    await vi.advanceTimersByTimeAsync(0);
    expect(src.calls).toBe(1);
    expect(asked.flat().sort()).toEqual(['b', 'c']);
    expect(store.getState().order).toEqual(['a', 'b', 'c']);
    expect(store.getState().byId.b?.state).toBe('down');
    expect(store.getState().byId.a).toBe(keepA);
    expect(Object.keys(store.getState().rowReadAt).sort()).toEqual(['b', 'c']);

    src.items = [{ id: 'a', state: 'up' }, { id: 'c', state: 'up' }];
    store.getState().invalidate(change('destroy', 'b'));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().order).toEqual(['a', 'c']);
    expect(store.getState().byId.b).toBeUndefined();

    // An item of another kind (a network this list also follows) refetches the whole list, debounced.
    store.getState().invalidate({ engineId: 'e', kind: 'network', action: 'connect', id: 'n1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(src.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(src.calls).toBe(2);
    expect(store.getState().rowReadAt).toEqual({});
  });

  it('with fetchSome, a failing row fetch falls back to the whole list (which reports the error)', async () => {
    const src = source([{ id: 'a', state: 'up' }]);
    const store = createEntityStore({
      name: 't',
      fetch: src.fetch,
      idOf: (x) => x.id,
      visibility: manualVisibility(),
      fetchSome: {
        kind: 'container',
        fetch: async () => {
          throw new BerthError('ENGINE_UNREACHABLE', 'gone');
        },
      },
    });
    await store.getState().load();
    src.fail = new BerthError('ENGINE_UNREACHABLE', 'gone');
    store.getState().invalidate({ engineId: 'e', kind: 'container', action: 'start', id: 'a' });
    await vi.advanceTimersByTimeAsync(0);
    expect(src.calls).toBe(2);
    expect(store.getState().error?.code).toBe('ENGINE_UNREACHABLE');
    expect(store.getState().order).toEqual(['a']);
  });
});
