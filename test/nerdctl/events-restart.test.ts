import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChangeEvent } from '../../app/contract/events';
import { createTestCore, describeEngine, nerdctlEnv, randomSuffix, testNerdctl, useEngine, type TestCore } from '../support/engine';
import { waitFor } from '../support/proc';
import { collectChanges, type Collector } from '../contract/events-collector';
import { engineObjects, type EngineObjects } from '../contract/objects-engine';

/** The pids of `nerdctl … events` processes this test process (its core) runs, read from /proc. */
function eventsProcesses(): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = out.split('\n').map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const children = new Map<number, number[]>();
  for (const [, pid, ppid] of rows) children.set(Number(ppid), [...(children.get(Number(ppid)) ?? []), Number(pid)]);
  const mine = new Set<number>();
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (mine.add(c), walk(c)));
  walk(process.pid);
  return rows.filter(([, pid, , args]) => mine.has(Number(pid)) && /nerdctl\b.*\bevents\b/.test(args ?? '')).map(([, pid]) => Number(pid));
}

/**
 * Where containerd's API is not used (BERTH_NERDCTL_CONTAINERD_API=0 here; nerdctl in the VM), nerdctl's change feed is one
 * long-lived `nerdctl events` process: killed, it is started again and no later event is lost.
 */
describeEngine('nerdctl: the events process, restarted', () => {
  let t: TestCore;
  let feed: Collector;
  let kit: EngineObjects;
  const is = (action: string, id: string) => (i: ChangeEvent) => i.kind === 'container' && i.action === action && 'id' in i && i.id === id;

  beforeAll(async () => {
    t = await createTestCore(useEngine().dockerHost, { ...process.env, BERTH_NERDCTL_CONTAINERD_API: '0' });
    kit = engineObjects(useEngine().images.busybox, 'events-restart');
    feed = collectChanges(t.client);
    await feed.next((i) => i.kind === 'engine' && i.action === 'up');
  });
  afterAll(async () => {
    feed?.off();
    await kit?.cleanup();
    await t?.dispose();
  });

  it('a killed `nerdctl events` is replaced by one new process, and containers made after it are reported', async () => {
    const before = await waitFor('one nerdctl events process', async () => {
      const p = eventsProcesses();
      return p.length === 1 ? p : undefined;
    }, 30_000);
    process.kill(before[0]!, 'SIGKILL');
    const after = await waitFor('a new nerdctl events process', async () => {
      const p = eventsProcesses();
      return p.length === 1 && p[0] !== before[0] ? p : undefined;
    }, 30_000);
    expect(after[0]).not.toBe(before[0]);
    // Then the feed reports live again.
    const from = feed.items.length;
    const c = await kit.container({ name: `berth-evr-${randomSuffix()}`, cmd: ['sh', '-c', 'sleep 1000'], start: false });
    await feed.next(is('create', c.id), { from, timeoutMs: 30_000 });
    expect(eventsProcesses()).toEqual(after);
  });
});

/** A unix socket in front of containerd's: `cut()` breaks every connection made through it (the server keeps listening). */
async function socketProxy(target: string, at: string): Promise<{ cut(): number; close(): Promise<void> }> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(at, () => resolve()));
  return {
    cut() {
      const n = open.size;
      for (const s of open) s.destroy();
      return n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * nerdctl's change feed on a local nerdctl is containerd's own Events/Subscribe through the core's gRPC client: no
 * `nerdctl events` process runs. A connection that breaks ends the stream; the EngineMonitor subscribes again and no
 * later event is lost. (The core reaches containerd through a socket proxy here, so that the test can break it.)
 */
describeEngine('nerdctl: the event stream, broken and made again', () => {
  let t: TestCore;
  let feed: Collector;
  let kit: EngineObjects;
  let proxy: Awaited<ReturnType<typeof socketProxy>>;
  let dir: string;
  const is = (action: string, id: string) => (i: ChangeEvent) => i.kind === 'container' && i.action === action && 'id' in i && i.id === id;

  beforeAll(async () => {
    const n = testNerdctl();
    if (!n) throw new Error('this suite runs in the nerdctl project only');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-evr-'));
    proxy = await socketProxy(n.address, path.join(dir, 'containerd.sock'));
    const env = { ...nerdctlEnv(useEngine().dockerHost) };
    // The last --address wins (as in nerdctl): the core's nerdctl and its gRPC client both go through the proxy.
    env.BERTH_NERDCTL_ARGS = JSON.stringify([...(JSON.parse(env.BERTH_NERDCTL_ARGS ?? '[]') as string[]), '--address', path.join(dir, 'containerd.sock')]);
    // createTestCore lays nerdctlEnv over the given environment for the project's own DOCKER_HOST only: given the
    // nerdctl project's (nonexistent) one, it keeps these BERTH_NERDCTL* values.
    t = await createTestCore(env.DOCKER_HOST, { ...process.env, ...env });
    kit = engineObjects(useEngine().images.busybox, 'events-restart');
    feed = collectChanges(t.client);
    await feed.next((i) => i.kind === 'engine' && i.action === 'up');
  });
  afterAll(async () => {
    feed?.off();
    await kit?.cleanup();
    await t?.dispose();
    await proxy?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs no nerdctl events process; a broken stream is made again, and containers made after it are reported', async () => {
    expect(eventsProcesses()).toEqual([]);
    const from0 = feed.items.length;
    expect(proxy.cut()).toBeGreaterThan(0);
    // The stream's end is seen (down), then it is made again (up, resync).
    await feed.next((i) => i.kind === 'engine' && i.action === 'down', { from: from0, timeoutMs: 30_000 });
    await feed.next((i) => i.kind === 'engine' && i.action === 'up', { from: from0, timeoutMs: 60_000 });
    const from = feed.items.length;
    const c = await kit.container({ name: `berth-evr-${randomSuffix()}`, cmd: ['sh', '-c', 'sleep 1000'], start: false });
    await feed.next(is('create', c.id), { from, timeoutMs: 30_000 });
    expect(eventsProcesses()).toEqual([]);
  });
});
