import { afterAll, beforeAll, expect, it } from 'vitest';
import type Docker from 'dockerode';
import type { ChangeEvent } from '../../app/contract/events';
import { createTestCore, describeEngine, rawDocker, randomSuffix, TEST_LABEL, useEngine, type TestCore } from '../support/engine';
import { collectChanges, type Collector } from './events-collector';
import { engineObjects, lacks, type EngineObjects } from './objects-engine';

const is =
  (kind: ChangeEvent['kind'], action: string, id: string) =>
  (i: ChangeEvent): boolean =>
    i.kind === kind && i.action === action && 'id' in i && i.id === id;

describeEngine('change feed: changes.watch against the real engine', () => {
  let t: TestCore;
  let docker: Docker;
  let feed: Collector;
  let engineId: string;
  let kit: EngineObjects;
  /** `it`, or a skip naming the capability the engine lacks. */
  const itNeeds = (cap: Parameters<typeof lacks>[0], name: string, fn: () => Promise<void>) => {
    const why = lacks(cap);
    if (why) it.skip(`${name} [skipped: ${why}]`, fn);
    else it(name, fn);
  };
  // Docker's container events name the container and say `stop` after `die`; containerd's give the id only.
  const detailed = lacks('containerEventDetails') === null;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    t = await createTestCore();
    docker = rawDocker();
    kit = engineObjects(useEngine().images.busybox, 'events');
    // The active engine (the nerdctl project's core also knows DOCKER_HOST's engine, which is down there).
    const engines = await t.client.call('engines.list', {});
    engineId = (engines.find((e) => e.active) ?? engines[0])!.id;
    feed = collectChanges(t.client);
    await feed.next((i) => i.kind === 'engine' && i.action === 'up');
  });

  afterAll(async () => {
    feed?.off();
    await kit?.cleanup();
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    await t?.dispose();
  });

  it('starts with the state of the engine, then up and resync once the stream is open', () => {
    const first = feed.items.find((i) => i.engineId === engineId);
    expect(first).toMatchObject({ engineId, kind: 'engine' });
    expect(['connecting', 'up']).toContain(first?.action);
    // Whatever the snapshot said, the engine went up, and each live `up` is followed by `resync`.
    const own = feed.items.filter((i) => i.engineId === engineId);
    const ups = own.map((i, n) => [i, n] as const).filter(([i, n]) => i.kind === 'engine' && i.action === 'up' && n > 0);
    for (const [, n] of ups) expect(own[n + 1]).toEqual({ engineId, kind: 'engine', action: 'resync' });
  });

  it('reports a container being created, started, exec-ed into, stopped and removed, with its id', async () => {
    const from = feed.items.length;
    const name = `berth-ev-${randomSuffix()}`;
    const c = await kit.container({ name, cmd: ['sh', '-c', 'sleep 1000'], start: false });
    const created = await feed.next(is('container', 'create', c.id), { from });
    expect(created).toEqual({ engineId, kind: 'container', action: 'create', id: c.id, ...(detailed ? { name } : {}) });

    await kit.start(c.id);
    await feed.next(is('container', 'start', c.id), { from });

    await kit.execDetached(c.id, ['sh', '-c', 'true']);
    // The engine sends "exec_start: sh -c true": the action is the verb alone.
    await feed.next(is('container', 'exec_start', c.id), { from });
    expect(feed.items.slice(from).every((i) => !i.action.includes(':'))).toBe(true);

    await kit.stop(c.id);
    await feed.next(is('container', 'die', c.id), { from });
    if (detailed) await feed.next(is('container', 'stop', c.id), { from });

    await c.remove();
    await feed.next(is('container', 'destroy', c.id), { from });
  });

  itNeeds('volumeEvents', 'reports a volume being created and removed, by name', async () => {
    const from = feed.items.length;
    const name = `berth-ev-vol-${randomSuffix()}`;
    await docker.createVolume({ Name: name, Labels: { [TEST_LABEL]: '1' } });
    cleanup.push(() => docker.getVolume(name).remove());
    expect(await feed.next(is('volume', 'create', name), { from })).toEqual({ engineId, kind: 'volume', action: 'create', id: name, name });
    await docker.getVolume(name).remove();
    await feed.next(is('volume', 'destroy', name), { from });
  });

  itNeeds('objectEvents', 'reports a network being created, connected and removed, by id', async () => {
    const from = feed.items.length;
    const name = `berth-ev-net-${randomSuffix()}`;
    const net = await docker.createNetwork({ Name: name, Labels: { [TEST_LABEL]: '1' } });
    cleanup.push(() => net.remove());
    expect(await feed.next(is('network', 'create', net.id), { from })).toEqual({ engineId, kind: 'network', action: 'create', id: net.id, name });

    const c = await docker.createContainer({ Image: useEngine().images.busybox, Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' } });
    cleanup.push(() => c.remove({ force: true }));
    await c.start();
    await net.connect({ Container: c.id });
    await feed.next(is('network', 'connect', net.id), { from });
    await net.disconnect({ Container: c.id });
    await feed.next(is('network', 'disconnect', net.id), { from });
    await c.remove({ force: true });

    await net.remove();
    await feed.next(is('network', 'destroy', net.id), { from });
  });

  itNeeds('objectEvents', 'reports an image being tagged and untagged', async () => {
    const from = feed.items.length;
    const ref = `berth-test/ev-${randomSuffix()}:t`;
    const [repo, tag] = ref.split(':') as [string, string];
    const img = docker.getImage(useEngine().images.busybox);
    const { Id } = await img.inspect();
    await img.tag({ repo, tag });
    cleanup.push(() => docker.getImage(ref).remove());
    const tagged = await feed.next((i) => i.kind === 'image' && i.action === 'tag' && i.id === Id, { from });
    expect(tagged).toMatchObject({ engineId, kind: 'image', name: ref });
    await docker.getImage(ref).remove();
    await feed.next((i) => i.kind === 'image' && i.action === 'untag' && i.id === Id, { from });
  });

  it('filters by engine: the named engine is followed, an unknown one is NOT_FOUND', async () => {
    const mine = collectChanges(t.client, { engineId });
    // The snapshot says where the engine stands right away.
    expect(await mine.next(() => true)).toEqual({ engineId, kind: 'engine', action: 'up' });
    const c = await kit.container({ start: false });
    await mine.next(is('container', 'create', c.id));
    mine.off();

    const unknown = collectChanges(t.client, { engineId: 'no-such-engine' });
    await unknown.done();
    expect(unknown.error?.code).toBe('NOT_FOUND');
    expect(unknown.error?.message).toContain('no-such-engine');
    expect(unknown.items).toEqual([]);
  });

  it('rejects bad input without subscribing', async () => {
    const before = t.core.rpc.activeSubscriptions();
    const bad = collectChanges(t.client, { engineId: '', extra: 1 } as unknown as { engineId: string });
    await bad.done();
    expect(bad.error?.code).toBe('INVALID_INPUT');
    expect(t.core.rpc.activeSubscriptions()).toBe(before);
  });

  it('counts subscriptions down to zero when they are cancelled, and ends them when the core stops', async () => {
    const base = t.core.rpc.activeSubscriptions();
    // The core may have feed subscribers of its own (the nerdctl engine's volume poll follows the feed).
    const feedBase = t.core.services.changes.subscriberCount;
    const subs = [collectChanges(t.client), collectChanges(t.client, { engineId })];
    await Promise.all(subs.map((s) => s.next(() => true)));
    expect(t.core.rpc.activeSubscriptions()).toBe(base + 2);
    expect(t.core.services.changes.subscriberCount).toBe(feedBase + 2);
    subs.forEach((s) => s.off());
    await expect.poll(() => t.core.rpc.activeSubscriptions()).toBe(base);
    expect(t.core.services.changes.subscriberCount).toBe(feedBase);

    // A second core, disposed while a client still listens: the subscription ends, nothing stays open.
    const other = await createTestCore();
    const live = collectChanges(other.client);
    await live.next((i) => i.kind === 'engine' && i.action === 'up');
    expect(other.core.services.changes.monitor.resources().streams).toBe(1);
    await other.core.dispose();
    await live.done();
    expect(live.error).toBeNull();
    expect(other.core.services.changes.monitor.resources()).toEqual({ streams: 0, timers: 0 });
    expect(other.core.rpc.activeSubscriptions()).toBe(0);
    await other.dispose();
  });
});
