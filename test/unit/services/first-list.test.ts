import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChangeEvent } from '../../../app/contract/events';
import type { ContainerEngine } from '../../../app/ports/engine';
import type { EarlyContainerList } from '../../../app/ports/early-list';
import { FirstList, KEEP_MS, WAIT_UP_MS } from '../../../app/services/first-list';
import { checkedAgainst } from '../../../app/contract/checked';
import { containersApi, type ContainerSummary } from '../../../app/contract/containers';

/** One active engine 'e1' whose list counts its calls; a feed the test drives. */
function world(opts: { states?: ChangeEvent[]; rows?: unknown[]; opensWindow?: boolean; early?: EarlyContainerList; active?: string | null } = {}) {
  const calls: Array<{ all: boolean; ids?: readonly string[] }> = [];
  let fail: Error | null = null;
  const engine = {
    id: 'e1',
    endpoint: 'unix:///run/e1.sock',
    containers: {
      list: async (o: { all: boolean; ids?: readonly string[] }) => {
        calls.push(o);
        if (fail) throw fail;
        return opts.rows ?? [{ id: `c${calls.length}` }];
      },
    },
  } as unknown as ContainerEngine;
  const listeners: Array<(e: ChangeEvent) => void> = [];
  let unsubscribed = 0;
  const changes = {
    subscribe: (_id: string | undefined, l: (e: ChangeEvent) => void) => {
      for (const s of opts.states ?? []) l(s);
      listeners.push(l);
      return () => void unsubscribed++;
    },
  };
  const engines = {
    resolve: (id?: string) => {
      if (id !== undefined && id !== 'e1') throw new Error(`no engine ${id}`);
      return engine;
    },
    activeEngineId: () => (opts.active === undefined ? 'e1' : opts.active),
  };
  const first = new FirstList(engines, changes, { opensWindow: opts.opensWindow ?? true, early: opts.early ?? null });
  return {
    first,
    calls,
    unsubscribed: () => unsubscribed,
    emit: (e: ChangeEvent) => listeners.forEach((l) => l(e)),
    failWith: (e: Error) => (fail = e),
  };
}

const up: ChangeEvent = { engineId: 'e1', kind: 'engine', action: 'up' };
const resync: ChangeEvent = { engineId: 'e1', kind: 'engine', action: 'resync' };

describe('the first containers list, fetched while the window loads', () => {
  it('is listed once the engine is up and answers the first full list once; later calls ask the engine', async () => {
    const w = world();
    expect(w.first.take(undefined, { all: true })).toBeNull();
    w.emit(up);
    w.emit(resync);
    expect(w.calls).toEqual([{ all: true }]);
    expect(await w.first.take(undefined, { all: true })).toEqual([{ id: 'c1' }]);
    expect(w.first.take(undefined, { all: true })).toBeNull();
    expect(w.first.served).toBe(1);
    // Still kept for the core's own view of the containers (seed), then let go.
    expect(w.unsubscribed()).toBe(0);
    expect(await w.first.seed('e1')).toEqual([{ id: 'c1' }]);
    expect(w.first.seed('e1')).toBeNull();
    expect(w.unsubscribed()).toBe(1);
    expect(w.calls.length).toBe(1);
  });

  it('seeds the core\'s view of the containers once, before or after the window takes it, under the same rule', async () => {
    const before = world();
    before.emit(up);
    expect(before.first.seed('other')).toBeNull();
    expect(await before.first.seed('e1')).toEqual([{ id: 'c1' }]);
    expect(before.first.seed('e1')).toBeNull();
    expect(before.unsubscribed()).toBe(0);
    expect(await before.first.take(undefined, { all: true })).toEqual([{ id: 'c1' }]);
    expect(before.unsubscribed()).toBe(1);
    expect(before.first.seeded).toBe(1);

    // A container change after the window took it: no seed (the view lists for itself).
    const changed = world();
    changed.emit(up);
    changed.emit(resync);
    expect(changed.first.take(undefined, { all: true })).not.toBeNull();
    changed.emit({ engineId: 'e1', kind: 'container', action: 'destroy', id: 'c1' });
    expect(changed.first.seed('e1')).toBeNull();
    expect(changed.unsubscribed()).toBe(1);
  });

  it('seeds only while nothing about the engine or its containers arrived since the listing began', async () => {
    for (const [item, seeds] of [
      [{ engineId: 'e1', kind: 'container', action: 'start', id: 'x' }, false],
      [{ engineId: 'e1', kind: 'engine', action: 'down' }, false],
      [resync, false],
      [{ engineId: 'e1', kind: 'engine', action: 'connecting' }, true],
      [{ engineId: 'e2', kind: 'container', action: 'create', id: 'y' }, true],
      [{ engineId: 'e1', kind: 'image', action: 'pull', id: 'busybox' }, true],
    ] as Array<[ChangeEvent, boolean]>) {
      const w = world();
      w.emit(up);
      w.emit(resync);
      w.emit(item);
      const seeded = w.first.seed('e1');
      expect(seeded !== null, JSON.stringify(item)).toBe(seeds);
      if (seeded) expect(await seeded).toEqual([{ id: 'c1' }]);
    }
    // The resync that follows the `up` the listing started on is no change (it comes at once in the feed).
    const w = world();
    w.emit(up);
    w.emit(resync);
    expect(await w.first.seed('e1')).toEqual([{ id: 'c1' }]);
    // Disposed: nothing is handed out.
    const d = world();
    d.emit(up);
    d.first.dispose();
    expect(d.first.seed('e1')).toBeNull();
    expect(d.unsubscribed()).toBe(1);
  });

  it('an engine up when the core subscribed (its resync told before): a later resync is a change', () => {
    const w = world({ states: [up] });
    expect(w.calls.length).toBe(1);
    w.emit(resync);
    expect(w.first.take(undefined, { all: true })).toBeNull();
  });

  it('a core that opens no window at start does no such work: nothing listed, nothing served, no subscription', () => {
    const w = world({ opensWindow: false, states: [up] });
    w.emit(up);
    w.emit(resync);
    expect(w.calls).toEqual([]);
    expect(w.first.take(undefined, { all: true })).toBeNull();
    w.first.dispose();
    expect(w.unsubscribed()).toBe(0);
  });

  it('starts from the current state told at subscription (engine already up)', async () => {
    const w = world({ states: [up] });
    expect(w.calls.length).toBe(1);
    expect(await w.first.take('e1', { all: true })).toEqual([{ id: 'c1' }]);
  });

  it('is dropped by any container change, another resync, or the engine going down', () => {
    for (const item of [
      { engineId: 'e1', kind: 'container', action: 'create', id: 'x' },
      { engineId: 'e1', kind: 'container', action: 'start', id: 'x' },
      resync,
      { engineId: 'e1', kind: 'engine', action: 'down' },
    ] as ChangeEvent[]) {
      const w = world();
      w.emit(up);
      w.emit(resync);
      w.emit(item);
      expect(w.first.take(undefined, { all: true })).toBeNull();
      // Never started again: the window's calls list as usual.
      w.emit(up);
      expect(w.calls.length).toBe(1);
    }
  });

  it('answers only a list of every container of its engine', () => {
    const w = world();
    w.emit(up);
    expect(w.first.take(undefined, { all: false })).toBeNull();
    expect(w.first.take(undefined, { all: true, ids: ['a'] })).toBeNull();
    expect(w.first.take('other', { all: true })).toBeNull();
    expect(w.first.take('e1', { all: true })).not.toBeNull();
  });

  it('a failed listing is dropped, not served', async () => {
    const w = world();
    w.failWith(new Error('engine unreachable'));
    w.emit(up);
    await new Promise((r) => setTimeout(r, 0));
    expect(w.first.take(undefined, { all: true })).toBeNull();
  });

  it('nothing is listed for an engine that is not the active one', () => {
    const w = world();
    w.emit({ engineId: 'e2', kind: 'engine', action: 'up' });
    expect(w.calls.length).toBe(0);
  });

  it('the list is checked against the reply schema while the window loads (the RPC server does not parse it again); one that breaks it is served as it came', async () => {
    const row: ContainerSummary = {
      id: 'c1', name: 'web', image: 'busybox', imageId: 'sha256:1', command: 'sh', created: '2026-12-05T10:00:00Z', state: 'running',
      status: 'Up 1 minute', health: null, ports: [], labels: {}, compose: null, mounts: [], networks: ['bridge'],
    };
    const schema = containersApi['containers.list'].output;
    const good = world({ rows: [row] });
    good.emit(up);
    const served = await good.first.take(undefined, { all: true });
    expect(served).toEqual([row]);
    expect(checkedAgainst(schema, served)).toBe(true);

    const bad = world({ rows: [{ ...row, state: 'sleeping' }] });
    bad.emit(up);
    const asCame = await bad.first.take(undefined, { all: true });
    expect(asCame).toEqual([{ ...row, state: 'sleeping' }]);
    expect(checkedAgainst(schema, asCame)).toBe(false);
  });

  describe('with the list the entry asked the engine for at process start', () => {
    /** An early list of `endpoint` whose take() gives `answer` (a list, null: changed since, or an Error). */
    const early = (answer: unknown[] | null | Error, endpoint = 'unix:///run/e1.sock') => {
      const seen = { takes: 0, released: 0 };
      const list: EarlyContainerList = {
        endpoint,
        take: () => {
          seen.takes++;
          return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer as ContainerSummary[] | null);
        },
        release: () => void seen.released++,
      };
      return { list, seen };
    };

    it('is the first list when it is the active engine\'s and nothing changed since: the engine is not asked again', async () => {
      const e = early([{ id: 'early' }]);
      const w = world({ early: e.list });
      w.emit(up);
      expect(await w.first.take(undefined, { all: true })).toEqual([{ id: 'early' }]);
      expect(w.calls).toEqual([]);
      expect(e.seen.takes).toBe(1);
      expect([w.first.earlyUsed, w.first.earlyRelisted]).toEqual([1, 0]);
    });

    it('a change since it was asked for, or its failure: the engine is listed again', async () => {
      for (const answer of [null, new Error('socket closed')]) {
        const e = early(answer);
        const w = world({ early: e.list });
        w.emit(up);
        expect(await w.first.take(undefined, { all: true })).toEqual([{ id: 'c1' }]);
        expect(w.calls).toEqual([{ all: true }]);
        expect([w.first.earlyUsed, w.first.earlyRelisted]).toEqual([0, 1]);
      }
    });

    it("another engine's, or a core that opens no window, or never started: let go, not taken", async () => {
      const other = early([{ id: 'early' }], 'unix:///run/other.sock');
      const w = world({ early: other.list });
      w.emit(up);
      expect(await w.first.take(undefined, { all: true })).toEqual([{ id: 'c1' }]);
      expect(other.seen).toEqual({ takes: 0, released: 1 });

      const noWindow = early([{ id: 'early' }]);
      world({ opensWindow: false, early: noWindow.list });
      expect(noWindow.seen).toEqual({ takes: 0, released: 1 });

      const never = early([{ id: 'early' }]);
      world({ early: never.list }).first.dispose();
      expect(never.seen).toEqual({ takes: 0, released: 1 });
    });
  });
  describe('a full list asked for before the engine is up (the page\'s socket is served as soon as the core exists)', () => {
    afterEach(() => vi.useRealTimers());

    /** What a containers.list call does (app/api/containers.ts): wait for the start, take, else list itself. */
    const call = async (w: ReturnType<typeof world>, engineId?: string) => {
      const started = w.first.waitForStart(engineId, { all: true });
      if (started) await started;
      return w.first.take(engineId, { all: true }) ?? { listedItself: true };
    };

    it('waits for `up` and takes the list started then: the engine is listed once', async () => {
      const w = world();
      const first = call(w);
      const second = call(w, 'e1');
      await new Promise((r) => setTimeout(r, 10));
      expect(w.calls).toEqual([]);
      w.emit(up);
      expect(await first).toEqual([{ id: 'c1' }]);
      // One list to take: a second early caller lists for itself, as before.
      expect(await second).toEqual({ listedItself: true });
      expect(w.calls).toEqual([{ all: true }]);
      expect(w.first.served).toBe(1);
    });

    it('the engine going down wakes it at once (the call asks the engine and gets its error)', async () => {
      const w = world();
      const first = call(w);
      w.emit({ engineId: 'e1', kind: 'engine', action: 'down' });
      expect(await first).toEqual({ listedItself: true });
    });

    it(`waits at most WAIT_UP_MS (${WAIT_UP_MS} ms), and not at all once it is let go`, async () => {
      vi.useFakeTimers();
      const w = world();
      let woke = false;
      void w.first.waitForStart(undefined, { all: true })?.then(() => (woke = true));
      await vi.advanceTimersByTimeAsync(WAIT_UP_MS - 1);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(woke).toBe(true);
      const d = world();
      let dropped = false;
      void d.first.waitForStart(undefined, { all: true })?.then(() => (dropped = true));
      d.first.dispose();
      await vi.advanceTimersByTimeAsync(0);
      expect(dropped).toBe(true);
      expect(d.first.waitForStart(undefined, { all: true })).toBeNull();
    });

    it('nothing to wait for: not a full list of the active engine, no active engine, no window, or already started', () => {
      const w = world();
      expect(w.first.waitForStart(undefined, { all: false })).toBeNull();
      expect(w.first.waitForStart(undefined, { all: true, ids: ['a'] })).toBeNull();
      expect(w.first.waitForStart('other', { all: true })).toBeNull();
      expect(world({ active: null }).first.waitForStart(undefined, { all: true })).toBeNull();
      expect(world({ opensWindow: false }).first.waitForStart(undefined, { all: true })).toBeNull();
      w.emit(up);
      expect(w.first.waitForStart(undefined, { all: true })).toBeNull();
    });
  });

  describe('let go after KEEP_MS (FirstList is the one owner of that rule)', () => {
    afterEach(() => vi.useRealTimers());

    it('the prefetched list not asked for within KEEP_MS of the engine coming up is dropped', () => {
      vi.useFakeTimers();
      const w = world();
      w.emit(up);
      vi.advanceTimersByTime(KEEP_MS - 1);
      expect(w.unsubscribed()).toBe(0);
      vi.advanceTimersByTime(1);
      expect(w.unsubscribed()).toBe(1);
      expect(w.first.take(undefined, { all: true })).toBeNull();
      expect(w.first.seed('e1')).toBeNull();
    });

    it('the early list is released KEEP_MS after the core started when the engine did not come up, and not before', () => {
      vi.useFakeTimers();
      const released = { n: 0 };
      const early: EarlyContainerList = { endpoint: 'unix:///run/e1.sock', take: () => Promise.resolve([]), release: () => void released.n++ };
      const w = world({ early });
      vi.advanceTimersByTime(KEEP_MS - 1);
      expect(released.n).toBe(0);
      vi.advanceTimersByTime(1);
      expect(released.n).toBe(1);
      // Up later: the engine is listed (the early list is gone).
      w.emit(up);
      expect(w.calls).toEqual([{ all: true }]);
    });
  });
});
