import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../app/contract/events';
import { SecurityService } from '../../../app/services/security';
import type { EngineRegistry } from '../../../app/services/engine-registry';
import type { ChangeFeed } from '../../../app/services/change-feed';
import type { ContainerEngine } from '../../../app/ports/engine';
import type { SecurityOps } from '../../../app/ports/engine/security';
import type { AckStore, AckRecord } from '../../../app/ports/security-acks';
import { BerthError } from '../../../app/contract/errors';
import { plainView, nativeCtx } from '../core/posture/view-fixture';

/** An engine whose containers list and security view count their calls. */
function fakeWorld(n: number, batched?: { fail?: boolean; cancelled?: boolean; batch?: number }, seed?: ConstructorParameters<typeof SecurityService>[3]) {
  const calls = { list: 0, view: 0, views: [] as number[] };
  let ids = Array.from({ length: n }, (_, i) => `c${i}`);
  const users = new Map<string, string>();
  const security: SecurityOps = {
    view: async (id) => {
      calls.view++;
      if (!ids.includes(id)) throw new BerthError('NOT_FOUND', `No such container: ${id}`);
      return plainView({ id, name: `n-${id}`, user: users.get(id) ?? '' });
    },
    ...(batched
      ? {
          ...(batched.batch ? { viewsBatch: batched.batch } : {}),
          views: async (want: readonly string[]) => {
            calls.views.push(want.length);
            if (batched.fail) throw new BerthError('COMMAND_FAILED', 'inspect failed');
            if (batched.cancelled) throw new BerthError('CANCELLED', 'Cancelled: nerdctl (Berth is stopping)');
            return new Map(want.filter((id) => ids.includes(id)).map((id) => [id, plainView({ id, name: `n-${id}`, user: users.get(id) ?? '' })]));
          },
        }
      : {}),
    context: async () => nativeCtx,
    runtimes: async () => [],
    changedPaths: async () => [],
    imageMinimality: async () => {
      throw new BerthError('NOT_SUPPORTED', 'no');
    },
  };
  const engine = {
    id: 'e1',
    name: 'fake',
    security,
    containers: {
      list: async () => {
        calls.list++;
        return ids.map((id) => ({ id }));
      },
    },
  } as unknown as ContainerEngine;
  const registry = { resolve: () => engine } as unknown as EngineRegistry;
  let emit: (e: ChangeEvent) => void = () => undefined;
  const feed = {
    subscribe: (_id: string | undefined, l: (e: ChangeEvent) => void) => {
      emit = l;
      return () => undefined;
    },
  } as unknown as ChangeFeed;
  const acks: Record<string, Record<string, AckRecord>> = {};
  const store: AckStore = {
    get: (e, c) => ({ ...(acks[`${e}/${c}`] ?? {}) }),
    set: async (e, c, check, ack) => {
      const k = `${e}/${c}`;
      acks[k] = { ...(acks[k] ?? {}) };
      if (ack) acks[k][check] = ack;
      else delete acks[k][check];
    },
  };
  return {
    calls,
    service: new SecurityService(registry, feed, store, seed),
    emit: (e: { action: string; id: string }) => emit({ engineId: 'e1', kind: 'container', ...e }),
    setIds: (next: string[]) => (ids = next),
    setUser: (id: string, u: string) => users.set(id, u),
  };
}

describe('posture badges are computed once per change', () => {
  it('a second fetch with nothing changed reads nothing from the engine', async () => {
    const w = fakeWorld(50);
    expect((await w.service.badges(undefined)).length).toBe(50);
    expect(w.calls).toEqual({ list: 1, view: 50, views: [] });
    await w.service.badges(undefined);
    expect(w.calls).toEqual({ list: 1, view: 50, views: [] });
  });
  it('a change to one container recomputes that one only; a create inspects the new one only (no list again)', async () => {
    const w = fakeWorld(10);
    await w.service.badges(undefined);
    w.setUser('c3', '1000');
    w.emit({ action: 'update', id: 'c3' });
    const b = await w.service.badges(undefined);
    expect(w.calls).toEqual({ list: 1, view: 11, views: [] });
    expect(b.find((x) => x.id === 'c3')?.open).toBeLessThan(b.find((x) => x.id === 'c4')?.open ?? 0);
    w.setIds([...Array.from({ length: 10 }, (_, i) => `c${i}`), 'c10']);
    w.emit({ action: 'create', id: 'c10' });
    expect((await w.service.badges(undefined)).map((b) => b.id)).toEqual(['c10', ...Array.from({ length: 10 }, (_, i) => `c${i}`)]);
    expect(w.calls).toEqual({ list: 1, view: 12, views: [] });
  });
  it('badges of some ids (the rows on screen) read only those, in that order, and are cached for the whole list', async () => {
    const w = fakeWorld(2000);
    const b = await w.service.badges(undefined, ['c7', 'c3', 'c7', 'gone']);
    expect(b.map((x) => x.id)).toEqual(['c7', 'c3']);
    // No container list, one read per id asked (the unknown one included: it may be new), none for the other 1,998.
    expect(w.calls).toEqual({ list: 0, view: 3, views: [] });
    await w.service.badges(undefined, ['c3', 'c8']);
    expect(w.calls).toEqual({ list: 0, view: 4, views: [] });
    w.setUser('c3', '1000');
    w.emit({ action: 'update', id: 'c3' });
    const again = await w.service.badges(undefined, ['c3', 'c8']);
    expect(w.calls).toEqual({ list: 0, view: 5, views: [] });
    expect(again[0]!.open).toBeLessThan(again[1]!.open);
    expect(await w.service.badges(undefined, [])).toEqual([]);
    // The whole list reuses what the rows read.
    expect((await w.service.badges(undefined)).length).toBe(2000);
    expect(w.calls).toEqual({ list: 1, view: 2000 - 3 + 5, views: [] });
  });
  it('an id a batch left out (gone) is not read again one by one, and gets no badge', async () => {
    const w = fakeWorld(5, {});
    expect((await w.service.badges(undefined, ['c1', 'gone', 'c2'])).map((x) => x.id)).toEqual(['c1', 'c2']);
    expect(w.calls).toMatchObject({ view: 0, views: [3] });
    w.setIds(['c0', 'c1', 'c3', 'c4']);
    w.emit({ action: 'destroy', id: 'c2' });
    const s = await w.service.summary(undefined);
    expect(s.containers.map((c) => c.id)).toEqual(['c0', 'c1', 'c3', 'c4']);
    expect(s.errors).toEqual([]);
    expect(w.calls.view).toBe(0);
  });
  it('a batch cancelled because Berth is stopping ends the call: nothing is read one by one', async () => {
    const w = fakeWorld(5, { cancelled: true });
    await expect(w.service.badges(undefined, ['c1', 'c2'])).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(w.service.summary(undefined)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(w.calls.view).toBe(0);
  });
  it('badges of some ids on an engine that reads views together: one batch of the uncached ones', async () => {
    const w = fakeWorld(600, {});
    expect((await w.service.badges(undefined, ['c1', 'c2', 'c3'])).map((x) => x.id)).toEqual(['c1', 'c2', 'c3']);
    expect(w.calls).toMatchObject({ list: 0, view: 0, views: [3] });
    // One new row: one id, read the same way.
    expect((await w.service.badges(undefined, ['c1', 'c4'])).map((x) => x.id)).toEqual(['c1', 'c4']);
    expect(w.calls).toMatchObject({ list: 0, view: 0, views: [3, 1] });
  });
  it("every container's posture (the Security page) takes its ids from a list offered at start (the window's first): no listing", async () => {
    const offered: string[] = [];
    const first = Array.from({ length: 300 }, (_, i) => ({ id: `c${i}`, imageId: 'img' }));
    const w = fakeWorld(300, { batch: Number.MAX_SAFE_INTEGER }, (engineId) => (offered.push(engineId), engineId === 'e1' ? Promise.resolve(first) : null));
    // The rows on screen first: no ids needed, none asked for.
    await w.service.badges(undefined, ['c1', 'c2']);
    expect(offered).toEqual([]);
    const all = await w.service.summary(undefined);
    expect(offered).toEqual(['e1']);
    expect(all.containers.map((c) => c.id)).toEqual(first.map((c) => c.id));
    // The views of the 298 not cached yet in one read (containerd's API: one pass), none of them one by one.
    expect(w.calls).toEqual({ list: 0, view: 0, views: [2, 298] });
  });

  it('a container removed between the list and its inspect is left out, not an error', async () => {
    const w = fakeWorld(3);
    await w.service.badges(undefined);
    w.setIds(['c0', 'c1']);
    w.emit({ action: 'die', id: 'c2' });
    const s = await w.service.summary(undefined);
    expect(s.containers.map((c) => c.id)).toEqual(['c0', 'c1']);
    expect(s.errors).toEqual([]);
  });
  it('an engine that reads views together gets them in batches of 250, then one read per changed container', async () => {
    const w = fakeWorld(600, {});
    const first = await w.service.badges(undefined);
    expect(first.map((b) => b.id)).toEqual(Array.from({ length: 600 }, (_, i) => `c${i}`));
    expect(w.calls).toMatchObject({ view: 0, views: [250, 250, 100] });
    w.setUser('c3', '1000');
    w.emit({ action: 'update', id: 'c3' });
    await w.service.badges(undefined);
    // Through views() too (containerd's API: a by-id read, not two nerdctl inspects).
    expect(w.calls).toMatchObject({ view: 0, views: [250, 250, 100, 1] });
    const fresh = fakeWorld(3, {});
    expect(await fresh.service.badges(undefined)).toEqual(await fakeWorld(3).service.badges(undefined));
  });
  it('an engine that says how many views it reads at once gets that many per call (containerd\'s API: all of them)', async () => {
    const all = fakeWorld(2000, { batch: Number.MAX_SAFE_INTEGER });
    await all.service.badges(undefined);
    expect(all.calls).toMatchObject({ view: 0, views: [2000] });
    const some = fakeWorld(25, { batch: 10 });
    await some.service.badges(undefined);
    expect(some.calls).toMatchObject({ view: 0, views: [10, 10, 5] });
  });
  it('a failed batch leaves its containers to the one-by-one path', async () => {
    const w = fakeWorld(5, { fail: true });
    const s = await w.service.summary(undefined);
    expect(s.containers.map((c) => c.id)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(s.errors).toEqual([]);
    expect(w.calls).toMatchObject({ view: 5, views: [5] });
  });
  it('acknowledging refuses unknown checks and is reflected at once', async () => {
    const w = fakeWorld(1);
    await expect(w.service.acknowledge(undefined, 'c0', 'bogus', 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const p = await w.service.acknowledge(undefined, 'c0', 'root-user', 'dev box');
    expect(p.findings.find((f) => f.checkId === 'root-user')?.acknowledged?.reason).toBe('dev box');
    expect((await w.service.badges(undefined))[0]?.open).toBe(p.open);
  });
});
