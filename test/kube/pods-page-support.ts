import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createCore } from '../../app/composition';
import { launchBrowser, openPage } from '../e2e/support/browser';
import { serveCore } from '../e2e/support/berth';
import type { ControlPlane } from '../support/kube';

export interface PodsPageSession {
  page: Page;
  /** Closes the page, the browser and the core, and removes the core's data folder (also after a half-finished open). */
  close(): Promise<void>;
}

/**
 * A core in browser mode whose Pods page reads the control plane's kubeconfig (no container engine), in Chromium,
 * with the Pods page open. With `cp` null the core starts with no kubeconfig at all (HOME is the empty data folder).
 */
export async function openPodsPage(cp: ControlPlane | null, prefix: string): Promise<PodsPageSession & { dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const undo: (() => Promise<void> | void)[] = [() => fs.rmSync(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  try {
    const core = await createCore({
      dataDir,
      mode: 'web',
      version: '0.0.0-e2e',
      env: { DOCKER_HOST: `unix://${path.join(dataDir, 'no-engine.sock')}`, ...(cp ? { BERTH_KUBECONFIG: cp.kubeconfig } : {}), HOME: dataDir },
    });
    const berth = await serveCore(core);
    undo.push(() => berth.dispose());
    const browser = await launchBrowser();
    undo.push(() => browser.close());
    const opened = await openPage(browser, berth.url);
    undo.push(() => opened.close());
    await opened.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Pods/ }).click();
    return { page: opened.page, close, dataDir };
  } catch (e) {
    await close();
    throw e;
  }
}
