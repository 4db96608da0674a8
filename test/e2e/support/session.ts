import type { Browser } from 'playwright-core';
import { createTestCore } from '../../support/engine';
import { AppPage, type PageId } from './app-page';
import { serveCore, type BerthWeb } from './berth';
import { browserUnavailable, launchBrowser, openPage, type OpenedPage } from './browser';

export interface BerthSession {
  berth: BerthWeb;
  browser: Browser;
  opened: OpenedPage;
  app: AppPage;
  /** Closes the page, the browser and the core. */
  close(): Promise<void>;
}

/**
 * A core on the shared private engine (or on `dockerHost`), served in browser mode, with Chromium
 * showing the app ready for input, on `pageId` when given.
 */
export async function openBerthPage(pageId?: PageId, opts: { dockerHost?: string } = {}): Promise<BerthSession> {
  const why = browserUnavailable();
  if (why) throw new Error(why);
  const tc = await createTestCore(opts.dockerHost);
  const berth = await serveCore(tc.core, { dispose: tc.dispose });
  const browser = await launchBrowser();
  const opened = await openPage(browser, berth.url);
  const app = new AppPage(opened.page);
  await app.waitReady();
  if (pageId) await app.gotoPage(pageId);
  return {
    berth,
    browser,
    opened,
    app,
    async close() {
      await opened.close();
      await browser.close();
      await berth.dispose();
    },
  };
}
