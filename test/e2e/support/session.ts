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

/** A core on the shared private engine, served in browser mode, with Chromium showing `pageId` (ready for input). */
export async function openBerthPage(pageId: PageId): Promise<BerthSession> {
  const why = browserUnavailable();
  if (why) throw new Error(why);
  const tc = await createTestCore();
  const berth = await serveCore(tc.core, { dispose: tc.dispose });
  const browser = await launchBrowser();
  const opened = await openPage(browser, berth.url);
  const app = new AppPage(opened.page);
  await app.waitReady();
  await app.gotoPage(pageId);
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
