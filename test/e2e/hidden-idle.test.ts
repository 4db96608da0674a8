import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestCore, describeEngine, rawDocker, randomSuffix, TEST_LABEL, useEngine } from '../support/engine';
import { activityScript, readActivity, resetActivity, setPageHidden } from '../support/page-activity';
import { AppPage } from './support/app-page';
import { serveCore, type BerthWeb } from './support/berth';
import { launchBrowser, screenshot } from './support/browser';
import { ContainersUi } from './support/containers-page';

const sfx = randomSuffix();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Issue 11: the window costs nothing while hidden. Live figures are sampled for the rows on
 * screen only; once hidden, the page runs no timer of its own and sends no request to the core,
 * even when the engine reports changes (the RPC client still acknowledges the pushed change
 * items, without a timer: counted apart); once shown, it catches up (one refetch) and samples again.
 */
describeEngine('hidden window: no timers, no requests (browser)', () => {
  let berth: BerthWeb;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ui: ContainersUi;

  const run = async (name: string) => {
    const c = await rawDocker().createContainer({ Image: useEngine().images.busybox, name, Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' } });
    await c.start();
    return c;
  };

  beforeAll(async () => {
    const tc = await createTestCore();
    // Sample every second so that a few periods pass in the hidden window below.
    await tc.client.call('settings.update', { ui: { statsIntervalSeconds: 1 } });
    await run(`berth-e2e-idle-a-${sfx}`);
    await run(`berth-e2e-idle-b-${sfx}`);
    berth = await serveCore(tc.core, { dispose: tc.dispose });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript({ content: activityScript });
    page = await context.newPage();
    await page.goto(berth.url);
    const app = new AppPage(page);
    await app.waitReady();
    await app.gotoPage('containers');
    ui = new ContainersUi(app, page);
    await ui.filter(sfx);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await berth?.dispose();
    const docker = rawDocker();
    const mine = await docker.listContainers({ all: true, filters: { name: [sfx] } });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  });

  it('samples the visible rows while shown, then runs no timer and sends nothing while hidden, and catches up once shown', async () => {
    const a = `berth-e2e-idle-a-${sfx}`;
    await ui.row(a).waitFor({ timeout: 10_000 });
    // Live figures arrive by sampling (a percentage in the CPU cell), and keep being sampled.
    await expect.poll(() => ui.row(a).textContent(), { timeout: 20_000 }).toMatch(/\d+(\.\d+)?%/);
    const before = (await readActivity(page)).allSends;
    await expect.poll(async () => (await readActivity(page)).allSends, { timeout: 20_000 }).toBeGreaterThan(before + 1);

    await setPageHidden(page, true);
    await resetActivity(page);
    // Changes in the engine while hidden: the feed marks the list stale, nothing is fetched.
    const late = `berth-e2e-idle-late-${sfx}`;
    await run(late);
    await rawDocker().getContainer(`berth-e2e-idle-b-${sfx}`).stop({ t: 0 });
    await sleep(4000);
    const hidden = await readActivity(page);
    // No call, no subscription, no frame, no timer: the RPC client acknowledges the change feed
    // items the core pushed as it handles them (acks, counted apart), not from a timer.
    expect(hidden).toMatchObject({ timers: 0, frames: 0, sends: 0, methods: [] });
    expect(await ui.row(late).count()).toBe(0);

    const shownAt = (await readActivity(page)).allSends;
    await setPageHidden(page, false);
    await ui.row(late).waitFor({ timeout: 10_000 });
    await expect.poll(() => ui.row(late).textContent(), { timeout: 20_000 }).toMatch(/\d+(\.\d+)?%/);
    expect((await readActivity(page)).allSends).toBeGreaterThan(shownAt);
    await screenshot(page, 'hidden-idle-after-show');
  });
});
