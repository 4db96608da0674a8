import { afterEach, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../app/contract/events';
import type { EngineCapabilities } from '../../../app/contract/engines';
import type { ContainerEngine, EventsOps } from '../../../app/ports/engine';
import type { Logger } from '../../../app/ports/logger';
import { ChangeFeed } from '../../../app/services/change-feed';
import { EngineRegistry } from '../../../app/services/engine-registry';

/*
 * Issue 11: on an engine without volume events (nerdctl) the change feed polls the volume names
 * every few seconds, for as long as Berth runs. It asks for the names alone when the engine can
 * say them cheaply (nerdctl: `volume ls -q`), not for the full list (nerdctl: which also lists
 * every container to say which ones use each volume). The real CLI runs are counted by
 * `npm run bench -- --only nerdctl-idle`.
 */
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

let feed: ChangeFeed | null = null;
afterEach(async () => {
  await feed?.dispose();
  feed = null;
});

it('polls the names-only listing of an engine that has one, never its full list', async () => {
  const volumes = new Set(['existing']);
  let namesCalls = 0;
  let listCalls = 0;
  const events: EventsOps = {
    stream: (signal, handlers) =>
      new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
        handlers.onOpen?.();
      }),
  };
  const capabilities: EngineCapabilities = { volumeEvents: false, statsStream: false, namespaces: true, build: false, compose: false, exportContainer: false, pauseUnpause: true };
  const engine = {
    id: 'double',
    kind: 'nerdctl',
    name: 'Engine double',
    endpoint: 'double://',
    capabilities,
    system: { ping: async () => {}, version: async () => ({ version: '1', apiVersion: '1', os: 'linux', arch: 'amd64', product: 'double' }) },
    events,
    volumes: {
      names: async () => {
        namesCalls++;
        return [...volumes];
      },
      list: async () => {
        listCalls++;
        return { volumes: [...volumes].map((name) => ({ name })) };
      },
    },
    async dispose() {},
  } as unknown as ContainerEngine;
  const registry = new EngineRegistry();
  registry.add(engine);
  feed = new ChangeFeed(registry, { log: quiet, volumePollMs: 15, backoff: { baseMs: 5, capMs: 20 } });
  const items: ChangeEvent[] = [];
  feed.subscribe(undefined, (i) => items.push(i));
  feed.start();
  await expect.poll(() => namesCalls).toBeGreaterThanOrEqual(2);
  volumes.add('data');
  await expect.poll(() => items.filter((i) => i.kind === 'volume')).toEqual([{ engineId: 'double', kind: 'volume', action: 'create', id: 'data', name: 'data' }]);
  expect(listCalls).toBe(0);
});
