import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContainerStats } from '../../app/contract/stats';
import { createTestCore, describeEngine, rawDocker, testNerdctl, type TestCore } from '../support/engine';
import { collect, containerFactory, eventually, openStreams } from './streams-support';

const MEMORY = 64 * 1024 * 1024;
const BUSY = ['sh', '-c', 'while :; do :; done'];
const IDLE = ['sh', '-c', 'sleep 1000'];

describeEngine('stats', () => {
  let t: TestCore;
  const docker = rawDocker();
  const containers = containerFactory(docker, 'stats');

  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(async () => {
    await containers.cleanup();
    await t?.dispose();
  });

  it('streams one container: CPU of a busy loop shows, the memory limit is the one set, pids and name are right', async () => {
    const c = await containers.run(BUSY, { memory: MEMORY });
    const info = await c.inspect();
    const sub = collect(t.client, 'stats.container', { id: c.id });
    // The first sample has no previous one to compare with (the CLI then shows the lifetime
    // average); later ones measure the last second, which is 0 for an idle container.
    const got = await sub.until((items) => items.slice(1).some((s) => s.cpuPercent > 0), 30_000);
    const s = got.slice(1).find((x) => x.cpuPercent > 0) as ContainerStats;
    expect(s.id).toBe(c.id);
    expect(s.name).toBe(info.Name.replace(/^\//, ''));
    expect(s.memoryLimit).toBe(MEMORY);
    expect(s.memoryUsed).toBeGreaterThan(0);
    expect(s.memoryUsed).toBeLessThanOrEqual(MEMORY);
    expect(s.memoryPercent).toBeCloseTo((s.memoryUsed / MEMORY) * 100, 6);
    expect(s.pids).toBeGreaterThanOrEqual(1);
    expect(Number.isNaN(Date.parse(s.ts))).toBe(false);
    sub.unsubscribe();
    await eventually('the stats stream to be destroyed', () => openStreams() === 0);
    await eventually('no active subscription', () => t.core.rpc.activeSubscriptions() === 0);
  });

  it('ends the subscription when the container stops', async () => {
    const c = await containers.run(IDLE);
    const sub = collect(t.client, 'stats.container', { id: c.id });
    await sub.until((items) => items.length >= 1);
    await c.kill();
    await sub.done;
    expect(sub.error).toBeNull();
    expect(sub.ended).toBe(true);
    await eventually('the stats stream to be destroyed', () => openStreams() === 0);
  });

  it('fails with NOT_FOUND for a container that does not exist', async () => {
    const sub = collect(t.client, 'stats.container', { id: 'berth-no-such-container' });
    await sub.done;
    expect(sub.error?.code).toBe('NOT_FOUND');
  });

  it('follows every running container: added when started, dropped when stopped, all streams closed on cancel', async () => {
    const a = await containers.run(IDLE);
    const b = await containers.run(IDLE, { start: false });
    const sub = collect(t.client, 'stats.all', {});
    const has = (id: string) => (snaps: typeof sub.items) => snaps.at(-1)?.containers.some((s) => s.id === id) ?? false;
    const lacks = (id: string) => (snaps: typeof sub.items) => (snaps.length > 0 && !has(id)(snaps)) || false;

    await sub.until(has(a.id), 20_000);
    const snap = sub.items.at(-1);
    expect(Number.isNaN(Date.parse(snap?.ts ?? ''))).toBe(false);
    expect(snap?.containers.find((s) => s.id === a.id)?.name).toBe((await a.inspect()).Name.slice(1));
    expect(has(b.id)(sub.items)).toBe(false);

    // Started after subscribing: learnt from the engine's events.
    await b.start();
    await sub.until(has(b.id), 20_000);

    await a.kill();
    await sub.until(lacks(a.id), 20_000);
    expect(has(b.id)(sub.items)).toBe(true);

    // Names are sorted.
    const names = (sub.items.at(-1)?.containers ?? []).map((s) => s.name);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));

    expect(sub.ended).toBe(false);
    // Docker: the event stream and b's stats stream at least; nerdctl: one `nerdctl stats` process follows them all.
    expect(openStreams()).toBeGreaterThanOrEqual(testNerdctl() ? 1 : 2);
    sub.unsubscribe();
    await eventually('every stats and event stream to be destroyed', () => openStreams() === 0);
    await eventually('no active subscription', () => t.core.rpc.activeSubscriptions() === 0);
  });

  // Docker: one-shot reads (`one-shot=1`); nerdctl: the containers' cgroup files, read by the core (no nerdctl stats process).
  // Both measure CPU between two readings of the same container: the first one has no CPU figure yet.
  it('samples listed containers once each: CPU of a busy loop from the previous reading, stopped and unknown ones named as missing, no stream left open', async () => {
    const busy = await containers.run(BUSY, { memory: MEMORY });
    const idle = await containers.run(IDLE);
    const stopped = await containers.run(IDLE, { start: false });
    const ids = [busy.id, idle.id, stopped.id, 'berth-no-such-container'];
    const first = await t.client.call('stats.sample', { ids });
    expect(first.containers.map((s) => s.id)).toEqual([busy.id, idle.id]);
    expect(first.missing).toEqual([stopped.id, 'berth-no-such-container']);
    expect(first.containers[0]?.memoryLimit).toBe(MEMORY);
    expect(first.containers[0]?.pids).toBeGreaterThanOrEqual(1);
    expect(first.containers.map((s) => [s.cpuPending, s.cpuPercent])).toEqual([
      [true, 0],
      [true, 0],
    ]);
    expect(openStreams()).toBe(0);
    // Later readings: the busy loop shows against the reading before (a loaded 2-core machine still gives it well over 20 %).
    const busyAtLeast = 20;
    let busyCpu = 0;
    await eventually(
      'a busy loop to show CPU in a later sample',
      async () => {
        // Readings half a second apart, as the window's are seconds apart (the engine's system CPU counter moves in 10 ms ticks).
        await new Promise((r) => setTimeout(r, 500));
        const next = await t.client.call('stats.sample', { ids: [busy.id, idle.id] });
        expect(next.containers.map((s) => s.cpuPending)).toEqual([undefined, undefined]);
        busyCpu = next.containers.find((s) => s.id === busy.id)?.cpuPercent ?? 0;
        return busyCpu > busyAtLeast;
      },
      30_000,
    );
    expect(busyCpu).toBeGreaterThan(busyAtLeast);
    await idle.kill();
    // nerdctl's kill returns once the signal is sent, dockerd's once the container exited.
    await idle.wait();
    const after = await t.client.call('stats.sample', { ids: [busy.id, idle.id] });
    expect(after.missing).toEqual([idle.id]);
    expect(openStreams()).toBe(0);
  });

  it('refuses an empty list of ids', async () => {
    await expect(t.client.call('stats.sample', { ids: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
