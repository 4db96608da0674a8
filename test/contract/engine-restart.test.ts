import { afterAll, beforeAll, expect, it } from 'vitest';
import Docker from 'dockerode';
import { startDockerd, type Dockerd } from '../support/dockerd';
import { buildBusybox } from '../support/images';
import { createTestCore, describeEngine, randomSuffix, TEST_LABEL, type TestCore } from '../support/engine';
import { collectChanges, type Collector } from './events-collector';

/**
 * A separate private dockerd that this file kills (SIGKILL) and starts again: Berth must report
 * the engine down (naming the socket), keep answering, reconnect by itself, and tell clients to
 * resync, all without being restarted.
 */
describeEngine('engine restart: down, reconnect, up and resync', () => {
  let d: Dockerd;
  let t: TestCore;
  let feed: Collector;
  let busybox: string;

  beforeAll(async () => {
    d = await startDockerd();
    busybox = await buildBusybox(d.dockerHost);
    t = await createTestCore(d.dockerHost);
    feed = collectChanges(t.client);
    await feed.next((i) => i.kind === 'engine' && i.action === 'up');
  });

  afterAll(async () => {
    feed?.off();
    await t?.dispose();
    await d?.dispose();
  });

  it('reports the engine up with its version to begin with', async () => {
    const [e] = await t.client.call('engines.list', {});
    expect(e).toMatchObject({ status: 'up', endpoint: d.dockerHost });
    expect(e?.version?.apiVersion).toMatch(/^1\.\d+$/);
    expect(e?.error).toBeUndefined();
  });

  it('goes down when dockerd is killed, naming the socket, while calls keep working', async () => {
    const from = feed.items.length;
    await d.kill();
    const down = await feed.next((i) => i.kind === 'engine' && i.action === 'down', { from });
    expect(down.kind === 'engine' && down.error?.code).toBe('ENGINE_UNREACHABLE');
    expect(down.kind === 'engine' && down.error?.message).toContain(d.socketPath);

    const [e] = await t.client.call('engines.list', {});
    expect(e?.status).toBe('down');
    expect(e?.error?.code).toBe('ENGINE_UNREACHABLE');
    expect(e?.error?.message).toContain(d.socketPath);
    expect(e?.version).toBeUndefined();
    // The core still answers, and the feed is still open.
    expect((await t.client.call('app.info', {})).name).toBe('Berth');
    expect(feed.ended).toBe(false);

    // It is trying to reconnect: a retry is scheduled, and failed retries do not repeat `down`.
    await expect.poll(() => t.core.services.changes.monitor.resources().timers, { timeout: 5000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(feed.items.slice(from).filter((i) => i.kind === 'engine')).toEqual([down]);
  });

  it('comes back up by itself when dockerd restarts, then asks clients to resync', async () => {
    const from = feed.items.length;
    await d.start();
    const up = await feed.next((i) => i.kind === 'engine' && i.action === 'up', { from, timeoutMs: 30_000 });
    const at = feed.items.indexOf(up);
    await feed.next((i) => i.kind === 'engine' && i.action === 'resync', { from: at });
    expect(feed.items[at + 1]).toEqual({ engineId: up.engineId, kind: 'engine', action: 'resync' });

    const [e] = await t.client.call('engines.list', {});
    expect(e?.status).toBe('up');
    expect(e?.error).toBeUndefined();
    expect(e?.version?.apiVersion).toMatch(/^1\.\d+$/);

    // The new stream carries events again.
    const docker = new Docker({ socketPath: d.socketPath });
    const c = await docker.createContainer({ Image: busybox, name: `berth-rs-${randomSuffix()}`, Cmd: ['true'], Labels: { [TEST_LABEL]: '1' } });
    await feed.next((i) => i.kind === 'container' && i.action === 'create' && i.id === c.id, { from: at });
    await c.remove();
    await feed.next((i) => i.kind === 'container' && i.action === 'destroy' && i.id === c.id, { from: at });
  });

  it('goes down again on a graceful stop, and up again on start', async () => {
    const from = feed.items.length;
    await d.stop();
    await feed.next((i) => i.kind === 'engine' && i.action === 'down', { from });
    await d.start();
    const up = await feed.next((i) => i.kind === 'engine' && i.action === 'up', { from, timeoutMs: 30_000 });
    expect(feed.items[feed.items.indexOf(up) + 1]).toMatchObject({ kind: 'engine', action: 'resync' });
  });

  it('releases the subscription on unsubscribe, and every stream and timer on dispose, even mid-reconnect', async () => {
    const base = t.core.rpc.activeSubscriptions();
    // The core's own services (security postures, image usage, alerts) follow the feed too: count from where it stands.
    const feedBase = t.core.services.changes.subscriberCount;
    feed.off();
    await expect.poll(() => t.core.rpc.activeSubscriptions()).toBe(base - 1);
    expect(t.core.services.changes.subscriberCount).toBe(feedBase - 1);

    // Leave the monitor waiting to reconnect, then stop the core.
    await d.kill();
    const monitor = t.core.services.changes.monitor;
    await expect.poll(() => monitor.resources().timers, { timeout: 5000 }).toBe(1);
    expect(monitor.resources().streams).toBe(0);
    await t.core.dispose();
    expect(monitor.resources()).toEqual({ streams: 0, timers: 0 });
    expect(t.core.rpc.activeSubscriptions()).toBe(0);
    // Starting dockerd again must not wake anything in the disposed core.
    await d.start();
    await new Promise((r) => setTimeout(r, 1000));
    expect(monitor.resources()).toEqual({ streams: 0, timers: 0 });
  });
});
