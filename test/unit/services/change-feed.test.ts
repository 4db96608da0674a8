import { afterEach, describe, expect, it } from 'vitest';
import { BerthError } from '../../../app/contract/errors';
import type { ChangeEvent } from '../../../app/contract/events';
import type { EngineCapabilities } from '../../../app/contract/engines';
import type { ContainerEngine, EventsOps } from '../../../app/ports/engine';
import type { EventStreamHandlers } from '../../../app/ports/engine/events';
import type { Logger } from '../../../app/ports/logger';
import { ChangeFeed } from '../../../app/services/change-feed';
import { EngineRegistry } from '../../../app/services/engine-registry';

/*
 * Only the capability logic is tested with an engine double here: an engine without volume
 * events gets its volumes polled. Everything about real event streams (reconnect, backoff,
 * resync) is tested against a real dockerd in test/contract/.
 */

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function engineDouble(volumeEvents: boolean) {
  const volumes = new Set<string>();
  let listCalls = 0;
  // The engine's own listings, used when the feed is given no listVolumeNames: names alone (nerdctl's `volume ls -q`) and the full list.
  const engineCalls = { names: 0, list: 0 };
  let current: { handlers: EventStreamHandlers; fail(err: Error): void } | null = null;
  const events: EventsOps = {
    stream: (signal, handlers) =>
      new Promise<void>((resolve, reject) => {
        current = { handlers, fail: reject };
        signal.addEventListener('abort', () => resolve(), { once: true });
        handlers.onOpen?.();
      }),
  };
  const capabilities: EngineCapabilities = { volumeEvents, statsStream: false, namespaces: true, build: false, compose: false, exportContainer: false, pauseUnpause: true };
  const engine = {
    id: 'double',
    kind: 'nerdctl',
    name: 'Engine double',
    endpoint: 'double://',
    capabilities,
    system: { ping: async () => {}, version: async () => ({ version: '1', apiVersion: '1', os: 'linux', arch: 'amd64', product: 'double' }) },
    events,
    volumes: {
      names: async () => (engineCalls.names++, [...volumes]),
      list: async () => (engineCalls.list++, { volumes: [...volumes].map((name) => ({ name })) }),
    },
    async dispose() {},
  } as unknown as ContainerEngine;
  return {
    engine,
    volumes,
    engineCalls,
    get listCalls() {
      return listCalls;
    },
    breakStream: () => current?.fail(new BerthError('ENGINE_UNREACHABLE', 'The engine double went away.')),
    listVolumeNames: async () => {
      listCalls++;
      return [...volumes];
    },
  };
}

describe('change feed: engines without volume events', () => {
  let feed: ChangeFeed | null = null;
  afterEach(async () => {
    await feed?.dispose();
    feed = null;
  });

  const setup = (volumeEvents: boolean, initial: string[] = [], engineListings = false) => {
    const d = engineDouble(volumeEvents);
    for (const v of initial) d.volumes.add(v);
    const registry = new EngineRegistry();
    registry.add(d.engine);
    feed = new ChangeFeed(registry, { log: quiet, volumePollMs: 15, backoff: { baseMs: 5, capMs: 20 }, ...(engineListings ? {} : { listVolumeNames: d.listVolumeNames }) });
    const items: ChangeEvent[] = [];
    feed.subscribe(undefined, (i) => items.push(i));
    feed.start();
    return { d, items, feed, volumeItems: () => items.filter((i) => i.kind === 'volume') };
  };

  it('polls the volume list and reports only what appeared or went away', async () => {
    const { d, items, volumeItems } = setup(false, ['existing']);
    expect(items.map((i) => i.action)).toEqual(['up', 'resync']);
    // The first listing is the baseline: `resync` already covers what exists.
    await expect.poll(() => d.listCalls).toBeGreaterThanOrEqual(3);
    expect(volumeItems()).toEqual([]);

    d.volumes.add('data');
    await expect.poll(volumeItems).toEqual([{ engineId: 'double', kind: 'volume', action: 'create', id: 'data', name: 'data' }]);
    d.volumes.delete('existing');
    d.volumes.add('cache');
    await expect.poll(() => volumeItems().length).toBe(3);
    expect(volumeItems().slice(1)).toEqual([
      { engineId: 'double', kind: 'volume', action: 'create', id: 'cache', name: 'cache' },
      { engineId: 'double', kind: 'volume', action: 'destroy', id: 'existing', name: 'existing' },
    ]);
    // An unchanged set says nothing, however many times it is listed.
    const calls = d.listCalls;
    await expect.poll(() => d.listCalls).toBeGreaterThanOrEqual(calls + 3);
    expect(volumeItems()).toHaveLength(3);
  });

  it('stops polling while the engine is down, and starts over with a new baseline when it is back', async () => {
    const { d, items, feed: f, volumeItems } = setup(false);
    await expect.poll(() => d.listCalls).toBeGreaterThanOrEqual(2);
    // Hold the reconnection: the double's next stream call waits until we let it open.
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const stream = d.engine.events.stream.bind(d.engine.events);
    (d.engine.events as { stream: EventsOps['stream'] }).stream = async (signal, h) => {
      await gate;
      return stream(signal, h);
    };
    d.breakStream();
    await expect.poll(() => items.some((i) => i.kind === 'engine' && i.action === 'down')).toBe(true);
    const down = items.find((i) => i.kind === 'engine' && i.action === 'down');
    expect(down).toMatchObject({ error: { code: 'ENGINE_UNREACHABLE', message: 'The engine double went away.' } });
    await sleep(30);
    const calls = d.listCalls;
    d.volumes.add('made-while-down');
    await sleep(80);
    expect(d.listCalls).toBe(calls);
    expect(f.monitor.state('double')?.status).toBe('down');

    release();
    await expect.poll(() => items.filter((i) => i.kind === 'engine' && i.action === 'resync').length).toBe(2);
    await expect.poll(() => d.listCalls).toBeGreaterThan(calls + 2);
    // The volume made while down comes with the resync, not as a change item.
    expect(volumeItems()).toEqual([]);
    d.volumes.add('after');
    await expect.poll(volumeItems).toEqual([{ engineId: 'double', kind: 'volume', action: 'create', id: 'after', name: 'after' }]);
  });

  // Issue 11: the poll runs for as long as Berth does; nerdctl's full list also lists every container (for "used by").
  it('polls the names-only listing of an engine that has one, never its full list', async () => {
    const { d, volumeItems } = setup(false, ['existing'], true);
    await expect.poll(() => d.engineCalls.names).toBeGreaterThanOrEqual(2);
    d.volumes.add('data');
    await expect.poll(volumeItems).toEqual([{ engineId: 'double', kind: 'volume', action: 'create', id: 'data', name: 'data' }]);
    expect(d.engineCalls.list).toBe(0);
  });

  it('never lists volumes of an engine that has volume events', async () => {
    const { d, items } = setup(true);
    await expect.poll(() => items.some((i) => i.kind === 'engine' && i.action === 'resync')).toBe(true);
    await sleep(80);
    expect(d.listCalls).toBe(0);
  });

  it('keeps no timer and lists nothing once disposed', async () => {
    const { d, feed: f } = setup(false);
    await expect.poll(() => d.listCalls).toBeGreaterThanOrEqual(2);
    await f.dispose();
    expect(f.monitor.resources()).toEqual({ streams: 0, timers: 0 });
    const calls = d.listCalls;
    await sleep(60);
    expect(d.listCalls).toBe(calls);
  });
});
