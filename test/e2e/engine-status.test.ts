import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startDockerd, type Dockerd } from '../support/dockerd';
import { createTestCore, describeEngine } from '../support/engine';
import { serveCore, type BerthWeb } from './support/berth';
import { AppPage } from './support/app-page';
import { axeViolations, browserUnavailable, describeViolations, launchBrowser, openPage, screenshot, type OpenedPage } from './support/browser';

/**
 * A separate private dockerd that this file kills and starts again: the status area must follow
 * (through the change feed, without a reload) and say which socket is down and why.
 */
describeEngine('status area follows the engine going down and up', () => {
  let d: Dockerd;
  let berth: BerthWeb;
  let browser: Browser;
  let opened: OpenedPage;
  let app: AppPage;

  beforeAll(async () => {
    const why = browserUnavailable();
    if (why) throw new Error(why);
    d = await startDockerd();
    const tc = await createTestCore(d.dockerHost);
    berth = await serveCore(tc.core, { dispose: tc.dispose });
    browser = await launchBrowser();
    opened = await openPage(browser, berth.url);
    app = new AppPage(opened.page);
    await app.waitReady();
  });
  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    await berth?.dispose();
    await d?.dispose();
  });

  it('shows the engine running, then unreachable with the socket, then running again', async () => {
    expect(await app.waitEngineKnown()).toBe('Running');
    expect(await app.engineEndpoint.textContent()).toBe(d.dockerHost);

    await d.kill();
    await expect.poll(() => app.engineState.textContent(), { timeout: 20_000 }).toBe('Unreachable');
    expect(await app.engineError.textContent()).toContain(d.socketPath);
    await opened.page.getByRole('alert').filter({ hasText: 'is not reachable' }).waitFor();
    await screenshot(opened.page, 'engine-status-down');
    const v = await axeViolations(opened.page);
    expect(v, describeViolations(v)).toEqual([]);

    await d.start();
    await expect.poll(() => app.engineState.textContent(), { timeout: 45_000 }).toBe('Running');
    await opened.page.getByRole('alert').filter({ hasText: 'is not reachable' }).waitFor({ state: 'detached' });
    expect(await app.engineError.count()).toBe(0);
    expect(opened.errors).toEqual([]);
  });
});
