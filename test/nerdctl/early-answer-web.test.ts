import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createCore, type Core } from '../../app/composition';
import type { ContainerSummary } from '../../app/contract/containers';
import type { ChangeEvent } from '../../app/contract/events';
import type { ServerMsg } from '../../app/contract/wire';
import { EARLY_ID_BASE } from '../../app/contract/ws-protocol';
import type { EarlyNerdctlList } from '../../app/adapters/engine/nerdctl/early-list';
import { startEarlyList } from '../../app/server/early-list';
import { startBeforeCore, type EarlyStart } from '../../app/server/early-start';
import type { ListeningWebServer } from '../../app/server/ws-server';
import { describeEngine, nerdctlEnv, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { nerdctlDropNamespace, nerdctlRaw, lastLine, seedNamespace } from '../support/nerdctl-raw';
import { openApiSocket } from '../support/transports';

/** The ids renderer/lib/early-link.ts gives the page's first feed and first list. */
const FEED_ID = EARLY_ID_BASE;
const LIST_ID = EARLY_ID_BASE + 1;
const STATE_ACTIONS = new Set(['connecting', 'up', 'down']);
/** What makes the page's early reply stale (renderer/lib/early-link.ts's isStateOnly): all but an engine's state. */
const isStateOnly = (e: ChangeEvent) => e.kind === 'engine' && e.action !== 'resync';

/** The `ps`-style status of an exited container ends with a duration counted from now: two lists a moment apart may differ there only. */
const sameMoment = (rows: ContainerSummary[]) => rows.map((r) => ({ ...r, status: r.status.replace(/\) .* ago$/, ') … ago') }));
const byId = (rows: ContainerSummary[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

/** Resolves once `ok()` holds (checked every 20 ms), or fails after `ms`. */
async function waitFor(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The page as the browser runs it on a cold start (renderer/lib/early-link.ts): one WebSocket, its change feed
 * subscription then its first list, both with early ids, sent as soon as the socket opens; the feed's items acknowledged.
 */
interface Page {
  ws: WebSocket;
  /** Every message the server sent, in order. */
  messages: ServerMsg[];
  /** The feed's items (subscription FEED_ID), in order. */
  feed: ChangeEvent[];
  /** The reply to `id`, once it came (fails after `ms`). */
  reply(id: number, ms?: number): Promise<ServerMsg>;
  /** A call with the app client's ids (from 1). */
  call<T>(method: string, input: unknown): Promise<T>;
}

async function openPage(web: ListeningWebServer): Promise<Page> {
  const ws = await openApiSocket(web);
  const messages: ServerMsg[] = [];
  const feed: ChangeEvent[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as ServerMsg;
    messages.push(msg);
    if (msg.id !== FEED_ID) return;
    if (msg.t === 'data') feed.push(msg.data as ChangeEvent);
    else if (msg.t === 'items') feed.push(...(msg.items as ChangeEvent[]));
    else return;
    ws.send(JSON.stringify({ t: 'ack', n: 1 }));
  });
  ws.send(JSON.stringify({ t: 'sub', id: FEED_ID, method: 'changes.watch', input: {} }));
  ws.send(JSON.stringify({ t: 'call', id: LIST_ID, method: 'containers.list', input: { all: true } }));
  let nextId = 1;
  const reply = async (id: number, ms = 30_000) => {
    const got = () => messages.find((m) => m.id === id && (m.t === 'ok' || m.t === 'err'));
    await waitFor(`the reply to call ${id}`, () => got() !== undefined, ms);
    return got()!;
  };
  return {
    ws,
    messages,
    feed,
    reply,
    async call<T>(method: string, input: unknown) {
      const id = nextId++;
      ws.send(JSON.stringify({ t: 'call', id, method, input }));
      const r = await reply(id);
      if (r.t !== 'ok') throw new Error(`${method} failed: ${JSON.stringify(r)}`);
      return r.output as T;
    },
  };
}

/**
 * The web entry's cold start with a local nerdctl (app/server/web.ts, test/bench/core-main.ts), on the project's private
 * containerd in a namespace of its own: the early list at process start, the web server listening before the core's
 * modules load, the page's first list answered from the early list, then the core made and attached. The page must end
 * up showing what containerd holds: what changed between the answer and the attach reaches it through its feed.
 */
describeEngine('nerdctl: the web entry answers the first list before the core, and the page stays coherent', () => {
  const ns = `berth-early-web-${randomSuffix()}`;
  let n: NerdctlTestEngine;
  let dir: string;
  let env: Record<string, string | undefined>;
  let busybox: string;
  const cleanups: Array<() => Promise<void> | void> = [];
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();
  const engineIds = async () => (await nr('ps', '-aq', '--no-trunc')).split('\n').filter(Boolean).sort();
  const dataDir = (settings?: unknown) => {
    const d = fs.mkdtempSync(path.join(dir, 'data-'));
    if (settings !== undefined) fs.writeFileSync(path.join(d, 'settings.json'), JSON.stringify(settings, null, 2));
    return d;
  };

  /**
   * The entry up to the page's early answer: startEarlyList → startBeforeCore → the page's socket (feed, then list) →
   * loadCore → the early reply, which must have come before createCore is called.
   */
  const beforeCore = async () => {
    const early = startEarlyList(env) as EarlyNerdctlList | null;
    expect(early?.kind).toBe('nerdctl');
    const { data, first, page } = await entryOn(early!);
    const answer = await page.reply(LIST_ID, 10_000);
    expect(answer.t).toBe('ok');
    return { early: early!, data, first, page, answer: (answer as { output: ContainerSummary[] }).output };
  };

  /** startBeforeCore on `early` with a data folder of its own, the page's socket opened (feed, then list), loadCore awaited; all closed at the end. */
  const entryOn = async (early: EarlyNerdctlList) => {
    const data = dataDir();
    const first = await startBeforeCore({ earlyList: early, env, dataDir: data });
    expect(first).not.toBeNull();
    cleanups.push(async () => {
      await first!.web.close();
      early.release();
    });
    const page = await openPage(first!.web);
    cleanups.push(() => void page.ws.terminate());
    await first!.loadCore;
    return { data, first: first!, page };
  };

  /** createCore as the entry calls it. */
  const makeCore = async (early: EarlyNerdctlList, data: string) => {
    const core = await createCore({ dataDir: data, mode: 'web', version: 'test', env, opensWindow: true, earlyList: early });
    cleanups.unshift(() => core.dispose());
    return core;
  };

  const nerdctlState = (core: Core) => core.services.changes.monitor.states().find((s) => s.engineId === 'nerdctl-local')?.state.status;

  /**
   * As the page does (renderer/lib/change-feed.ts): every feed item that is not an engine's state makes the lists stale,
   * and the page lists again. Resolves with the first list after such an item that satisfies `ok`; fails when the feed
   * falls silent (no further item) while the page's last list does not.
   */
  const settle = async (page: Page, ok: (rows: ContainerSummary[]) => boolean) => {
    let seen = 0;
    for (;;) {
      await waitFor('a feed item that makes the page list again (a resync or a container change)', () => page.feed.slice(seen).some((e) => !isStateOnly(e)), 20_000);
      seen = page.feed.length;
      const rows = await page.call<ContainerSummary[]>('containers.list', { all: true });
      if (ok(rows)) return rows;
    }
  };

  beforeAll(async () => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    busybox = useEngine().images.busybox;
    ({ dir, env } = await seedNamespace(n, ns, 'web', { label: 'berth.test=early-web', ports: true, busybox, coreEnv: nerdctlEnv(useEngine().dockerHost) }));
  }, 120_000);

  afterAll(async () => {
    for (const c of cleanups.splice(0)) await c();
    if (n) await nerdctlDropNamespace(n, ns);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("answers before createCore with the core's own reply; the feed starts with the engines' state; the answered id gets no second reply", async () => {
    const { early, data, first, page, answer } = await beforeCore();
    // Nothing of the core's on the socket yet: only the answer (the feed is held).
    expect(page.messages).toEqual([{ t: 'ok', id: LIST_ID, output: answer }]);
    expect(answer.map((r) => r.id).sort()).toEqual(await engineIds());
    const runs = answer.find((r) => r.name === 'web-runs');
    expect(runs).toMatchObject({ state: 'running' });
    expect(runs?.ports.map((p) => [p.hostIp, p.containerPort, p.protocol])).toEqual(expect.arrayContaining([['127.0.0.1', 8080, 'tcp'], ['127.0.0.1', 53, 'udp']]));
    expect(runs?.ports.every((p) => typeof p.hostPort === 'number' && p.hostPort > 0)).toBe(true);
    expect(answer.find((r) => r.name === 'web-made')).toMatchObject({ state: 'created', labels: { 'berth.test': 'early-web' }, ports: [expect.objectContaining({ containerPort: 80 })] });
    expect(answer.find((r) => r.name === 'web-exits')).toMatchObject({ state: 'exited', status: expect.stringMatching(/^Exited \(3\)/) });

    const core = await makeCore(early, data);
    first.attach(core);
    const engines = core.services.changes.monitor.states().map((s) => s.engineId).sort();
    expect(engines).toContain('nerdctl-local');

    // The core's own first list, asked on the same socket: the same rows, in the same order, with the same keys.
    const fromCore = await page.call<ContainerSummary[]>('containers.list', { all: true });
    expect(JSON.stringify(sameMoment(fromCore))).toBe(JSON.stringify(sameMoment(answer)));
    // The answer only peeked at the early list: the core's first list was made from it too.
    expect(core.services.firstList.earlyUsed).toBe(1);
    // Listed from containerd again (labels, a protobuf map, may come in another order): the same values.
    await waitFor('the engine up', () => nerdctlState(core) === 'up');
    expect(byId(sameMoment(await page.call<ContainerSummary[]>('containers.list', { all: true })))).toEqual(byId(sameMoment(answer)));

    // The feed began with the current state of each engine (the core's changes.watch), one item each, nothing before.
    const head = page.feed.slice(0, engines.length);
    expect(head.every((e) => e.kind === 'engine' && STATE_ACTIONS.has(e.action))).toBe(true);
    expect(head.map((e) => e.engineId).sort()).toEqual(engines);
    const firstFeedMsg = page.messages.findIndex((m) => m.id === FEED_ID);
    expect(page.messages.findIndex((m) => m.id === LIST_ID)).toBeLessThan(firstFeedMsg);

    // The answered call was never handed to the core: one reply only, however long the page keeps listening.
    await new Promise((r) => setTimeout(r, 500));
    expect(page.messages.filter((m) => m.id === LIST_ID)).toHaveLength(1);
    // Nothing the page did not ask for, and no error.
    expect(page.messages.filter((m) => m.t === 'err' || m.t === 'end')).toEqual([]);
  });

  /**
   * A change between the answer and the attach. `when`: 'before createCore' (the entry's own timing: the engine may
   * still be connecting at attach, its `up` and `resync` then reach the page), or 'engine up before attach' (a slow
   * attach: the engine's `up`, `resync` and the change's own item went out before the page's feed was registered, so
   * only early-start.ts's afterEarlyAnswer tells the page).
   */
  const changes = [
    { what: 'created', when: 'before createCore' },
    { what: 'removed', when: 'before createCore' },
    { what: 'created', when: 'engine up before attach' },
    { what: 'removed', when: 'engine up before attach' },
  ] as const;

  for (const { what, when } of changes) {
    it(`a container ${what} after the answer (${when}): the page's feed tells it, and its next list is containerd's`, async () => {
      const doomed = what === 'removed' ? lastLine(await nr('create', '--name', `web-doomed-${randomSuffix()}`, busybox, 'true')) : null;
      const { early, data, first, page, answer } = await beforeCore();
      if (doomed) expect(answer.map((r) => r.id)).toContain(doomed);
      let target: string;
      const change = async () => {
        if (doomed) {
          await nr('rm', '-f', doomed);
          target = doomed;
        } else {
          target = lastLine(await nr('create', '--name', `web-late-${randomSuffix()}`, busybox, 'true'));
          expect(answer.map((r) => r.id)).not.toContain(target);
        }
      };
      let core: Core;
      if (when === 'before createCore') {
        await change();
        core = await makeCore(early, data);
      } else {
        core = await makeCore(early, data);
        await waitFor('the engine up', () => nerdctlState(core) === 'up');
        // The core heard the change before the page's feed is registered (a subscriber of its own: nothing is held).
        const heard: ChangeEvent[] = [];
        const off = core.services.changes.subscribe(undefined, (e) => void heard.push(e));
        try {
          await change();
          await waitFor('the core to hear the change', () => heard.some((e) => e.kind === 'container' && e.id === target));
        } finally {
          off();
        }
      }
      first.attach(core);
      const has = (rows: ContainerSummary[]) => rows.some((r) => r.id === target);
      const rows = await settle(page, (r) => (doomed ? !has(r) : has(r)));
      expect(rows.map((r) => r.id).sort()).toEqual(await engineIds());
      expect(page.messages.filter((m) => m.id === LIST_ID)).toHaveLength(1);
      if (!doomed) await nr('rm', '-f', target!);
    });
  }

  it('a change before the answer is made: no early answer, the core answers the held call itself, once, with the change', async () => {
    const early = startEarlyList(env) as EarlyNerdctlList | null;
    expect(early?.kind).toBe('nerdctl');
    // containerd answered the early list; then a container comes, which the early subscription hears.
    await early!.peek();
    const made = lastLine(await nr('create', '--name', `web-before-${randomSuffix()}`, busybox, 'true'));
    await waitFor('the early subscription to hear the change', () => early!.changed());
    const { data, first, page } = await entryOn(early!);
    await new Promise((r) => setTimeout(r, 200));
    // Held for the core: nothing was sent.
    expect(page.messages).toEqual([]);
    const core = await makeCore(early!, data);
    first.attach(core);
    const reply = await page.reply(LIST_ID);
    expect(reply.t).toBe('ok');
    const rows = (reply as { output: ContainerSummary[] }).output;
    expect(rows.map((r) => r.id)).toContain(made);
    expect(rows.map((r) => r.id).sort()).toEqual(await engineIds());
    expect(core.services.firstList.earlyUsed).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(page.messages.filter((m) => m.id === LIST_ID)).toHaveLength(1);
    await nr('rm', '-f', made);
  });

  it('a settings.json naming another namespace (the core would list that one): no early answer, the entry starts as before', async () => {
    const noNamespace = { ...env, BERTH_NERDCTL_NAMESPACE: undefined };
    const early = startEarlyList(noNamespace) as EarlyNerdctlList | null;
    expect(early?.kind).toBe('nerdctl');
    try {
      expect(await startBeforeCore({ earlyList: early!, env: noNamespace, dataDir: dataDir({ engine: { namespace: ns } }) })).toBeNull();
      // The same early list and environment without that file: answered early (the early list is of `default`, as the core's would be).
      const answered: EarlyStart | null = await startBeforeCore({ earlyList: early!, env: noNamespace, dataDir: dataDir() });
      expect(answered).not.toBeNull();
      await answered!.web.close();
    } finally {
      early!.release();
    }
  });
});
