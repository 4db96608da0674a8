import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCore, type Core } from '../../app/composition';
import type { ContainerSummary } from '../../app/contract/containers';
import type { ChangeEvent } from '../../app/contract/events';
import { ContainerdLists } from '../../app/adapters/engine/nerdctl/containerd-list';
import { flagValue } from '../../app/adapters/engine/nerdctl/containerd-endpoint';
import { createNerdctlContext } from '../../app/adapters/engine/nerdctl/context';
import { EarlyNerdctlContainers } from '../../app/adapters/engine/nerdctl/early-containers';
import { earlyNerdctlList, earlyNerdctlTarget, type EarlyNerdctlList, type EarlyNerdctlParts } from '../../app/adapters/engine/nerdctl/early-list';
import { createLocalNerdctlRunner } from '../../app/adapters/engine/nerdctl/local-runner';
import { createProcessRunner } from '../../app/adapters/process/runner';
import { startEarlyList } from '../../app/server/early-list';
import { describeEngine, nerdctlEnv, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { connectInProcess } from '../support/inproc';
import { nerdctlDropNamespace, nerdctlRaw, lastLine, seedNamespace } from '../support/nerdctl-raw';
import { silentLog } from '../support/recording-log';

/** Resolves once `ok()` holds (checked every 50 ms), or fails after 15 s. */
async function waitFor(ok: () => boolean): Promise<void> {
  const until = Date.now() + 15_000;
  while (!ok()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The `ps`-style status ends with a duration counted from now: two lists taken a moment apart may differ there only. */
const sameMoment = (rows: ContainerSummary[]) => rows.map((r) => ({ ...r, status: r.status.replace(/\) .* ago$/, ') … ago') })).sort((a, b) => a.id.localeCompare(b.id));

/**
 * The nerdctl early list (app/adapters/engine/nerdctl/early-list.ts): containerd's container list asked for at process
 * start, before the core loads, and used as the window's first list (FirstList) only when containerd reported no change
 * from its subscription's start until the core's change feed was up. On the project's private containerd, in a namespace
 * of its own (no other suite's containers come and go there).
 */
describeEngine('nerdctl: the container list asked for at process start', () => {
  const ns = `berth-early-${randomSuffix()}`;
  let n: NerdctlTestEngine;
  let dir: string;
  let env: Record<string, string | undefined>;
  let busybox: string;
  const cores: Array<{ core: Core; close(): void }> = [];
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();

  /** A core that opens a window, on this namespace, given the early list; resolves once its engine is up. */
  const start = async (earlyList: EarlyNerdctlList | null) => {
    const dataDir = fs.mkdtempSync(path.join(dir, 'core-'));
    const core = await createCore({ dataDir, mode: 'web', version: '0.0.0-test', env, opensWindow: true, earlyList });
    const conn = connectInProcess(core.rpc);
    cores.push({ core, close: () => conn.close() });
    const seen: ChangeEvent[] = [];
    const waiters = new Set<() => void>();
    conn.client.subscribe('changes.watch', {}, {
      onData: (e) => {
        seen.push(e);
        for (const w of waiters) w();
      },
    });
    const waitItem = (what: string, match: (e: ChangeEvent) => boolean) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no change item: ${what} (seen: ${JSON.stringify(seen)})`)), 30_000);
        const check = () => {
          if (!seen.some(match)) return;
          clearTimeout(t);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    await waitItem('engine up', (e) => e.kind === 'engine' && e.action === 'up');
    return { core, client: conn.client, seen, waitItem };
  };
  const counts = (core: Core) => {
    const f = core.services.firstList;
    return { served: f.served, earlyUsed: f.earlyUsed, earlyRelisted: f.earlyRelisted };
  };
  /** The namespace's containers by nerdctl's own word. */
  const engineIds = async () => (await nr('ps', '-aq', '--no-trunc')).split('\n').filter(Boolean).sort();
  /** The early list of this namespace, its replies already in (taken: `held` gives them to the core). */
  const answered = async () => {
    const early = startEarlyList(env);
    if (early?.kind !== 'nerdctl') throw new Error(`no nerdctl early list: ${JSON.stringify(early)}`);
    const parts = early.take();
    if (!parts) throw new Error('no early parts');
    await parts;
    const held: EarlyNerdctlList = { ...early, take: () => parts };
    return { early, parts, held };
  };

  beforeAll(async () => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    busybox = useEngine().images.busybox;
    ({ dir, env } = await seedNamespace(n, ns, 'early', { label: 'berth.test=early', busybox, coreEnv: nerdctlEnv(useEngine().dockerHost) }));
  }, 120_000);

  afterAll(async () => {
    for (const c of cores) {
      c.close();
      await c.core.dispose();
    }
    if (n) await nerdctlDropNamespace(n, ns);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is asked for only when the environment alone makes a local nerdctl on a known containerd socket the active engine', () => {
    const target = earlyNerdctlTarget(env, 0);
    expect(target).toEqual({ endpoint: `nerdctl://${n.program}`, address: n.address, namespace: ns });
    expect(earlyNerdctlTarget({ ...env, BERTH_NERDCTL_ACTIVE: undefined }, 0)).toBeNull();
    expect(earlyNerdctlTarget({ ...env, BERTH_NERDCTL_CONTAINERD_API: '0' }, 0)).toBeNull();
    // Rootless: the socket is in RootlessKit's namespaces.
    expect(earlyNerdctlTarget(env, 1000)).toBeNull();
    expect(earlyNerdctlTarget({ ...env, BERTH_NERDCTL_ARGS: '{' }, 0)).toBeNull();
    // No address given and a nerdctl.toml that may name one (read with a parser the core loads later).
    expect(earlyNerdctlTarget({ ...env, BERTH_NERDCTL_ARGS: '[]', BERTH_NERDCTL_ENV: JSON.stringify({ ...n.env, CONTAINERD_ADDRESS: '' }) }, 0)).toBeNull();
    // The Docker early list is not asked for then.
    expect(startEarlyList({ ...env, BERTH_NERDCTL_CONTAINERD_API: '0' })).toBeNull();
  });

  it("is the window's first list when nothing changed: the rows the engine's own list gives, containerd not asked again", async () => {
    const early = startEarlyList(env);
    expect(early?.kind).toBe('nerdctl');
    const { core, client } = await start(early as EarlyNerdctlList);
    const first = await client.call('containers.list', { all: true });
    expect(counts(core)).toEqual({ served: 1, earlyUsed: 1, earlyRelisted: 0 });
    expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
    const again = await client.call('containers.list', { all: true });
    expect(sameMoment(first)).toEqual(sameMoment(again));
    expect(first.find((c) => c.name === 'early-exits')).toMatchObject({ state: 'exited', status: expect.stringMatching(/^Exited \(3\)/) });
    expect(first.find((c) => c.name === 'early-runs')).toMatchObject({ state: 'running' });
    expect(first.find((c) => c.name === 'early-made')).toMatchObject({ state: 'created', labels: { 'berth.test': 'early' } });
    expect(early?.take()).toBeNull();
  });

  it('peek gives the replies without taking them: take() still gives the same ones; null once taken or let go', async () => {
    const early = startEarlyList(env) as EarlyNerdctlList;
    const peeked = early.peek();
    expect(peeked).not.toBeNull();
    const parts = (await peeked) as EarlyNerdctlParts;
    expect(parts.containers.map((c) => c.id).sort()).toEqual(await engineIds());
    expect(early.peek()).toBe(peeked);
    expect(early.take()).toBe(peeked);
    expect(early.peek()).toBeNull();
    early.release();
    const other = startEarlyList(env) as EarlyNerdctlList;
    await other.peek();
    other.release();
    expect(other.peek()).toBeNull();
    expect(other.take()).toBeNull();
  });

  it('a container created after containerd answered, before the core was up: the core lists again and has it', async () => {
    const { early, held } = await answered();
    const made = lastLine(await nr('create', '--name', `early-late-${randomSuffix()}`, busybox, 'true'));
    expect(early.changed()).toBe(true);
    const { core, client } = await start(held);
    const first = await client.call('containers.list', { all: true });
    expect(counts(core)).toEqual({ served: 1, earlyUsed: 0, earlyRelisted: 1 });
    expect(first.map((c) => c.id)).toContain(made);
    expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
    await nr('rm', '-f', made);
  });

  it('a container removed after containerd answered, before the core was up: the core lists again without it', async () => {
    const doomed = lastLine(await nr('create', '--name', `early-doomed-${randomSuffix()}`, busybox, 'true'));
    const { early, parts, held } = await answered();
    expect(((await parts) as EarlyNerdctlParts).containers.map((c) => c.id).sort()).toEqual(await engineIds());
    await nr('rm', '-f', doomed);
    expect(early.changed()).toBe(true);
    const { core, client } = await start(held);
    const first = await client.call('containers.list', { all: true });
    expect(counts(core)).toEqual({ served: 1, earlyUsed: 0, earlyRelisted: 1 });
    expect(first.map((c) => c.id)).not.toContain(doomed);
    expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
  });

  it('once taken, a change the early subscription sees is told on the engine\'s event stream until `nerdctl events` has printed something', async () => {
    const log = silentLog();
    const runner = createLocalNerdctlRunner(createProcessRunner(log), { program: n.program, globalArgs: n.args, env: n.env });
    const ctx = createNerdctlContext('nerdctl-early', runner, log, env, ns);
    const lists = new ContainerdLists(ctx, { address: n.address, dataRoot: flagValue(n.args, ['--data-root']) ?? '/var/lib/nerdctl' });
    const announced: Array<{ action: string; id: string }> = [];
    const off = ctx.onAnnounce((e) => void announced.push({ action: e.action, id: e.id }));
    const early = new EarlyNerdctlContainers(startEarlyList(env) as EarlyNerdctlList, lists, ctx);
    try {
      const rows = await early.take();
      expect(rows?.map((r) => r.id).sort()).toEqual(await engineIds());
      // No `nerdctl events` here: the early subscription tells what it sees.
      const made = lastLine(await nr('create', '--name', `early-bridged-${randomSuffix()}`, busybox, 'true'));
      await waitFor(() => announced.some((e) => e.action === 'create' && e.id === made));
      // Once `nerdctl events` has printed, it is subscribed: the early subscription is let go, nothing more is told.
      early.heard();
      const other = lastLine(await nr('create', '--name', `early-after-${randomSuffix()}`, busybox, 'true'));
      await nr('rm', '-f', made, other);
      await new Promise((r) => setTimeout(r, 500));
      expect(announced.filter((e) => e.id === other)).toEqual([]);
      expect(announced.filter((e) => e.id === made && e.action === 'destroy')).toEqual([]);
    } finally {
      off();
      early.release();
      lists.dispose();
    }
  });

  it("another namespace's (the engine's is not the one asked): let go unused, the core lists its own", async () => {
    const early = earlyNerdctlList({ endpoint: `nerdctl://${n.program}`, address: n.address, namespace: `${ns}-other` });
    const { core, client } = await start(early);
    const first = await client.call('containers.list', { all: true });
    expect(counts(core)).toEqual({ served: 1, earlyUsed: 0, earlyRelisted: 0 });
    expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
    expect(early.take()).toBeNull();
  });

  it('no socket, or one that never answers: the early list fails within its timeout and the core lists as usual', async () => {
    const silentPath = path.join(dir, 'silent.sock');
    const held = new Set<net.Socket>();
    const silent = net.createServer((s) => void held.add(s)).listen(silentPath);
    await new Promise((r) => silent.once('listening', r));
    try {
      for (const address of [path.join(dir, 'missing.sock'), silentPath]) {
        const failing = earlyNerdctlList({ endpoint: `nerdctl://${n.program}`, address, namespace: ns }, 1000);
        // The core knows containerd at the real socket; this list says it asked there, but its calls fail.
        const early: EarlyNerdctlList = { ...failing, address: n.address };
        const t0 = Date.now();
        const { core, client } = await start(early);
        const first = await client.call('containers.list', { all: true });
        expect(counts(core)).toEqual({ served: 1, earlyUsed: 0, earlyRelisted: 1 });
        expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
        expect(Date.now() - t0).toBeLessThan(20_000);
        expect(failing.changed()).toBe(true);
      }
    } finally {
      for (const s of held) s.destroy();
      silent.close();
    }
  });
});
