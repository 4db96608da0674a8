/**
 * The pods page follows the kubeconfig while Berth runs (browser mode, Playwright, a real kube-apiserver): a core
 * started with no kubeconfig says so; a file chosen in Preferences is used at once, and a file that appears later is
 * found when the page looks again; clearing the choice goes back to the automatic file. No restart anywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../e2e/support/browser';
import { openPodsPage, type PodsPageSession } from './pods-page-support';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from '../support/kube';

const why = controlPlaneUnavailable() ?? browserUnavailable();

let cp: ControlPlane;
let session: PodsPageSession & { dataDir: string };
let page: Page;

const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
const noCluster = () => page.getByRole('heading', { name: 'No Kubernetes cluster' });

async function chooseKubeconfig(file: string): Promise<void> {
  await page.getByRole('link', { name: /Preferences/ }).click();
  const field = page.getByLabel('Kubeconfig for the Pods page');
  await field.fill(file);
  await page.getByRole('button', { name: 'Save Kubernetes settings' }).click();
  await page.getByText('Saved. The Pods page now reads this file.').waitFor({ timeout: 10_000 });
  await nav(/Pods/).click();
}

describe.skipIf(why)('the pods page follows its kubeconfig without a restart', () => {
  beforeAll(async () => {
    cp = await startControlPlane();
    await cp.request('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'found-later' }, spec: { nodeName: 'berth', containers: [{ name: 'app', image: 'registry.local/app:1' }] } });
    session = await openPodsPage(null, 'berth-e2e-pods-follow-');
    page = session.page;
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await cp?.stop();
  });

  it('no kubeconfig: the page names the file it looked for and how to give one', async () => {
    await noCluster().waitFor({ timeout: 20_000 });
    const body = page.locator('.empty-body');
    await expect(body.textContent()).resolves.toContain(`No kubeconfig at ${path.join(session.dataDir, '.kube', 'config')}.`);
    await expect(body.textContent()).resolves.toContain('Berth follows it without a restart');
    await screenshot(page, 'pods-no-kubeconfig');
  });

  it('a file chosen in Preferences is read at once; one that appears later is found on "Look again"', async () => {
    const later = path.join(session.dataDir, 'later.yaml');
    await chooseKubeconfig(later);
    await page.locator('.empty-body', { hasText: `No kubeconfig at ${later}.` }).waitFor({ timeout: 20_000 });

    fs.copyFileSync(cp.kubeconfig, later);
    await page.getByRole('button', { name: 'Look again' }).click();
    await page.getByRole('row').filter({ hasText: 'found-later' }).waitFor({ timeout: 30_000 });
    await expect(noCluster().count()).resolves.toBe(0);
  });

  it('clearing the choice goes back to the automatic file (none here)', async () => {
    await chooseKubeconfig('');
    await noCluster().waitFor({ timeout: 20_000 });
    await expect(page.getByRole('row').filter({ hasText: 'found-later' }).count()).resolves.toBe(0);
  });
});
