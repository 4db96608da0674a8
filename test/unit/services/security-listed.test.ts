import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../app/contract/events';
import { SecurityService } from '../../../app/services/security';
import type { EngineRegistry } from '../../../app/services/engine-registry';
import type { ChangeFeed } from '../../../app/services/change-feed';
import type { ContainerEngine } from '../../../app/ports/engine';
import type { SecurityOps } from '../../../app/ports/engine/security';
import type { AckStore } from '../../../app/ports/security-acks';
import type { SecurityView } from '../../../app/core/posture/view';
import { FirstList } from '../../../app/services/first-list';
import type { EarlyContainerList } from '../../../app/ports/early-list';
import type { ContainerSummary } from '../../../app/contract/containers';
import { plainView, nativeCtx } from '../core/posture/view-fixture';

type Row = { id: string; imageId: string };

/**
 * An engine whose first whole list (`firstList`, what FirstList.seed gives: here the list asked for at process start, so the
 * engine is not listed) carried the views (listedViews, as nerdctl's containerd path does), and whose views() read them
 * again (counted). The engine is up (up, resync) before the badges are asked for, as in the core.
 */
function world(n: number, opts: { knows?: boolean; listedFails?: boolean; noListedViews?: boolean } = {}) {
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  const firstList: Row[] = ids.map((id) => ({ id, imageId: 'img' }));
  const calls = { list: 0, views: 0, view: 0, listed: [] as unknown[] };
  const view = (id: string, user = ''): SecurityView => plainView({ id, name: `n-${id}`, user });
  let gate: Promise<void> = Promise.resolve();
  const security: SecurityOps = {
    view: async (id) => (calls.view++, view(id)),
    views: async (want) => (calls.views++, new Map(want.filter((id) => ids.includes(id)).map((id) => [id, view(id)]))),
    viewsBatch: Number.MAX_SAFE_INTEGER,
    listedViews: async (list) => {
      calls.listed.push(list);
      await gate;
      if (opts.listedFails) throw new Error('context failed');
      // Only the list it made (by identity), as ContainerdLists.listed does; the listed views say user 1000 to tell them apart.
      return opts.knows === false || list !== firstList ? null : new Map(list.map((r) => [r.id, view(r.id, '1000')]));
    },
    context: async () => nativeCtx,
    runtimes: async () => [],
    changedPaths: async () => [],
    imageMinimality: async () => Promise.reject(new Error('not asked')),
  };
  if (opts.noListedViews) delete security.listedViews;
  const engine = { id: 'e1', name: 'fake', endpoint: 'unix:///run/e1.sock', security, containers: { list: async () => (calls.list++, ids.map((id) => ({ id, imageId: 'img' }))) } } as unknown as ContainerEngine;
  const registry = { resolve: () => engine, activeEngineId: () => 'e1' } as unknown as EngineRegistry;
  const listeners = new Set<(e: ChangeEvent) => void>();
  const feed = { subscribe: (_: string | undefined, l: (e: ChangeEvent) => void) => (listeners.add(l), () => void listeners.delete(l)) } as unknown as ChangeFeed;
  const emit = (e: ChangeEvent) => [...listeners].forEach((l) => l(e));
  const acks: AckStore = { get: () => ({}), set: async () => undefined };
  const early: EarlyContainerList = { endpoint: 'unix:///run/e1.sock', take: () => Promise.resolve(firstList as unknown as ContainerSummary[]), release: () => undefined };
  const first = new FirstList(registry, feed, { opensWindow: true, early });
  const service = new SecurityService(registry, feed, acks, (engineId) => first.seed(engineId));
  emit({ engineId: 'e1', kind: 'engine', action: 'up' });
  emit({ engineId: 'e1', kind: 'engine', action: 'resync' });
  return {
    calls,
    service,
    firstList,
    emit,
    /** Subscriptions to the feed still open. */
    following: () => listeners.size,
    hold: () => {
      let release = () => undefined as void;
      gate = new Promise<void>((r) => (release = r));
      return release;
    },
  };
}

/** Which views each container's posture came from: the listed ones say user 1000 (fewer open findings than root's). */
const users = async (s: SecurityService) => {
  const root = (await world(1, { knows: false }).service.summary(undefined)).containers[0]?.open;
  const nonRoot = (await world(1).service.summary(undefined)).containers[0]?.open;
  expect(nonRoot).toBeLessThan(root ?? 0);
  return (await s.summary(undefined)).containers.map((c) => (c.open === nonRoot ? '1000' : c.open === root ? '' : `?${c.open}`));
};

describe('security badges from the window\'s first list (SecurityOps.listedViews)', () => {
  it('takes the views the seeding list carried: no list and no views read from the engine', async () => {
    const w = world(5);
    expect(await users(w.service)).toEqual(Array(5).fill('1000'));
    expect(w.calls).toMatchObject({ list: 0, views: 0, view: 0 });
    expect(w.calls.listed).toEqual([w.firstList]);
    // Asked once: the next summary is from the cache.
    await w.service.summary(undefined);
    expect(w.calls.listed).toHaveLength(1);
  });

  it('a list the engine does not know, or listed views that fail: the views are read from the engine as before', async () => {
    for (const opts of [{ knows: false }, { listedFails: true }]) {
      const w = world(4, opts);
      expect(await users(w.service)).toEqual(Array(4).fill(''));
      expect(w.calls).toMatchObject({ list: 0, views: 1, view: 0 });
    }
  });

  it('a container event while the listed views are made: they are not used (something changed since the list began)', async () => {
    const w = world(3);
    const release = w.hold();
    const s = users(w.service);
    await new Promise((r) => setTimeout(r, 0));
    expect(w.calls.listed).toHaveLength(1);
    w.emit({ engineId: 'e1', kind: 'container', action: 'start', id: 'c1' });
    release();
    expect(await s).toEqual(Array(3).fill(''));
    expect(w.calls.views).toBe(1);
  });

  it('an engine state change before the badges are asked for: the seeding list is not used for the views', async () => {
    const w = world(3);
    // The ids are seeded (ContainerIds asks the seed on its first load) ...
    const release = w.hold();
    const s = users(w.service);
    await new Promise((r) => setTimeout(r, 0));
    w.emit({ engineId: 'e1', kind: 'engine', action: 'resync' } as ChangeEvent);
    release();
    expect(await s).toEqual(Array(3).fill(''));
    // ... another engine's event changes nothing.
    const v = world(2);
    const r2 = v.hold();
    const s2 = users(v.service);
    await new Promise((r) => setTimeout(r, 0));
    v.emit({ engineId: 'other', kind: 'container', action: 'start', id: 'x' });
    r2();
    expect(await s2).toEqual(['1000', '1000']);
  });

  it('the seeding list, once used or found unusable, stops following the feed (FirstListing.release); so does an unused one at dispose', async () => {
    for (const opts of [{}, { knows: false }, { listedFails: true }, { noListedViews: true }]) {
      const w = world(3, opts);
      // FirstList's own subscription (the window has not taken its list) and the service's.
      expect(w.following()).toBe(2);
      await w.service.summary(undefined);
      // The seeded listing's own subscription ended once the service was done with it.
      expect(w.following(), JSON.stringify(opts)).toBe(2);
    }
    const w = world(3);
    const release = w.hold();
    const s = w.service.summary(undefined);
    await new Promise((r) => setTimeout(r, 0));
    // Seeded, its views being made: the listing follows the feed.
    expect(w.following()).toBe(3);
    w.service.dispose();
    // Only FirstList's own is left.
    expect(w.following()).toBe(1);
    release();
    await s;
  });
});
