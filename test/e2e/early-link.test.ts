import { afterAll, beforeAll, expect, it } from 'vitest';
import Docker from 'dockerode';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDockerd, type Dockerd } from '../support/dockerd';
import { buildBusybox } from '../support/images';
import { createTestCore, describeEngine, TEST_LABEL } from '../support/engine';
import { EARLY_ID_BASE } from '../../app/contract/ws-protocol';
import { serveCore, type BerthWeb } from './support/berth';
import { launchBrowser, screenshot } from './support/browser';

/**
 * Issue 11 (cold start): the page's first script opens the socket and asks for the containers
 * while the app's bundle still loads (renderer/lib/early-link.ts); the app then uses that socket
 * and that reply. Checked in a real page against a real core and a private dockerd: one socket,
 * one list call, the rows shown; and a container made between the early reply and the app's
 * start is shown too (the early reply is stale then, so the app asks again).
 */
type Frame = { t: string; id: number; method?: string; input?: unknown; data?: { kind?: string; action?: string; name?: string } };

describeEngine('early link: the first list is asked for before the app has loaded', () => {
  let d: Dockerd;
  let docker: Docker;
  let image: string;
  let berth: BerthWeb;
  let browser: Browser;

  beforeAll(async () => {
    d = await startDockerd();
    docker = new Docker({ socketPath: d.socketPath });
    image = await buildBusybox(d.dockerHost);
    await docker.createContainer({ Image: image, name: 'early-one', Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' } });
    const tc = await createTestCore(d.dockerHost);
    berth = await serveCore(tc.core, { dispose: tc.dispose });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await berth?.dispose();
    await d?.dispose();
  });

  /** A fresh page (no cache) recording every frame of its sockets. */
  async function openRecorded(): Promise<{ context: BrowserContext; page: Page; sockets: string[]; sent: Frame[]; received: Frame[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    const sockets: string[] = [];
    const sent: Frame[] = [];
    const received: Frame[] = [];
    page.on('websocket', (ws) => {
      sockets.push(ws.url());
      ws.on('framesent', (f) => sent.push(JSON.parse(String(f.payload)) as Frame));
      ws.on('framereceived', (f) => received.push(JSON.parse(String(f.payload)) as Frame));
    });
    return { context, page, sockets, sent, received };
  }
  /** Holds the app's bundle (not the early script) until the returned function is called. */
  async function holdAppBundle(context: BrowserContext): Promise<() => void> {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await context.route(/\/assets\/index-[^/]*\.js$/, async (route) => {
      await gate;
      await route.continue();
    });
    return release;
  }
  const fullLists = (sent: Frame[]) => sent.filter((f) => f.t === 'call' && f.method === 'containers.list' && JSON.stringify(f.input) === '{"all":true}');

  it('opens one socket and lists once: the early call is the one shown', async () => {
    const { context, page, sockets, sent } = await openRecorded();
    try {
      await page.goto(berth.url);
      await page.getByRole('grid', { name: 'Containers' }).getByRole('row').filter({ hasText: 'early-one' }).waitFor({ timeout: 30_000 });
      await screenshot(page, 'early-link-containers');
      expect(sockets).toHaveLength(1);
      // The feed starts first (so nothing between it and the list is missed), then the list, with the early ids.
      expect(sent.slice(0, 2)).toEqual([
        { t: 'sub', id: EARLY_ID_BASE, method: 'changes.watch', input: {} },
        { t: 'call', id: EARLY_ID_BASE + 1, method: 'containers.list', input: { all: true } },
      ]);
      expect(fullLists(sent)).toHaveLength(1);
      // The app's own feed replaced the early one.
      expect(sent.some((f) => f.t === 'sub' && f.method === 'changes.watch' && f.id < EARLY_ID_BASE)).toBe(true);
      expect(sent.some((f) => f.t === 'unsub' && f.id === EARLY_ID_BASE)).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('with the early reply there before the app starts, its first render has the rows (no loading state, one list call)', async () => {
    const { context, page, sent, received } = await openRecorded();
    const release = await holdAppBundle(context);
    // Notes whether the Containers page ever showed its loading state, and when the first row came (before the app's bundle ran).
    await context.addInitScript({
      content: `window.__seen = { loading: false, rows: false };
        new MutationObserver(() => {
          if (document.querySelector('.ctr-loading')) window.__seen.loading = true;
          if (document.querySelector('[role="grid"][aria-label="Containers"] [role="row"][data-row-id]')) window.__seen.rows = true;
        }).observe(document, { childList: true, subtree: true });`,
    });
    try {
      await page.goto(berth.url, { waitUntil: 'commit' });
      await expect.poll(() => received.some((f) => f.t === 'ok' && f.id === EARLY_ID_BASE + 1), { timeout: 30_000 }).toBe(true);
      release();
      await page.getByRole('grid', { name: 'Containers' }).getByRole('row').filter({ hasText: 'early-one' }).waitFor({ timeout: 30_000 });
      expect(await page.evaluate('window.__seen')).toEqual({ loading: false, rows: true });
      expect(fullLists(sent)).toHaveLength(1);
    } finally {
      release();
      await context.close();
    }
  });

  it('a container made after the early reply and before the app started is listed (the app asks again)', async () => {
    const { context, page, sent, received } = await openRecorded();
    // Hold the app's bundle until the container exists and the early feed has said so.
    const release = await holdAppBundle(context);
    try {
      // 'commit': the page's load event waits for the held bundle.
      await page.goto(berth.url, { waitUntil: 'commit' });
      await expect.poll(() => received.some((f) => f.t === 'ok' && f.id === EARLY_ID_BASE + 1), { timeout: 30_000 }).toBe(true);
      await docker.createContainer({ Image: image, name: 'late-one', Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' } });
      await expect
        .poll(() => received.some((f) => f.t === 'data' && f.id === EARLY_ID_BASE && f.data?.kind === 'container' && f.data.action === 'create'), { timeout: 30_000 })
        .toBe(true);
      release();
      await page.getByRole('grid', { name: 'Containers' }).getByRole('row').filter({ hasText: 'late-one' }).waitFor({ timeout: 30_000 });
      expect(fullLists(sent)).toHaveLength(2);
    } finally {
      release();
      await context.close();
    }
  });
});
