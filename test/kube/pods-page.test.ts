/**
 * The pods page in browser mode (Playwright, Chromium) against a real control plane (test/support/kube.ts): pods
 * appear, a phase change shows live, CrashLoopBackOff reads as kubectl reads it, the detail pane shows YAML without
 * managedFields, apply creates a Deployment, delete (confirmed) removes a pod.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../e2e/support/browser';
import { openPodsPage, type PodsPageSession } from './pods-page-support';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from '../support/kube';
import { waitFor } from '../support/proc';

const why = controlPlaneUnavailable() ?? browserUnavailable();

let cp: ControlPlane;
let session: PodsPageSession;
let page: Page;

const kubectl = (...args: string[]) => execFileSync('kubectl', ['--kubeconfig', cp.kubeconfig, ...args], { encoding: 'utf8' });
const row = (name: string) => page.getByRole('row').filter({ hasText: name });
const podsTable = () => page.getByRole('grid', { name: 'Pods' });

describe.skipIf(why)('the pods page against a real kube-apiserver', () => {
  beforeAll(async () => {
    cp = await startControlPlane();
    await cp.request('POST', '/api/v1/namespaces', { metadata: { name: 'shop' } });
    session = await openPodsPage(cp, 'berth-e2e-pods-');
    page = session.page;
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await cp?.stop();
  });

  it('a new pod appears, then its phase change shows live', async () => {
    await cp.request('POST', '/api/v1/namespaces/shop/pods', {
      metadata: { name: 'cart' }, spec: { nodeName: 'berth', containers: [{ name: 'app', image: 'registry.local/cart:1.0' }] },
    });
    await row('cart').filter({ hasText: 'Pending' }).waitFor({ timeout: 20_000 });
    await cp.request('PATCH', '/api/v1/namespaces/shop/pods/cart/status', {
      status: {
        phase: 'Running', podIP: '10.42.0.31', podIPs: [{ ip: '10.42.0.31' }], conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'app', image: 'registry.local/cart:1.0', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: new Date().toISOString() } } }],
      },
    }, 'application/merge-patch+json');
    await row('cart').filter({ hasText: 'Running' }).waitFor({ timeout: 20_000 });
    await expect(row('cart').textContent()).resolves.toMatch(/1\/1.*Running.*10\.42\.0\.31.*berth/);
  });

  it('CrashLoopBackOff shows as kubectl get pods shows it, with restarts', async () => {
    await cp.request('POST', '/api/v1/namespaces/shop/pods', { metadata: { name: 'payments' }, spec: { nodeName: 'berth', containers: [{ name: 'app', image: 'registry.local/pay:1.0' }] } });
    const finishedAt = new Date(Date.now() - 30_000).toISOString();
    await cp.request('PATCH', '/api/v1/namespaces/shop/pods/payments/status', {
      status: {
        phase: 'Running', conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        containerStatuses: [{
          name: 'app', image: 'registry.local/pay:1.0', imageID: '', ready: false, restartCount: 5, started: false,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: finishedAt, finishedAt } },
        }],
      },
    }, 'application/merge-patch+json');
    await row('payments').filter({ hasText: 'CrashLoopBackOff' }).waitFor({ timeout: 20_000 });
    const k = kubectl('get', 'pod', 'payments', '-n', 'shop', '--no-headers').trim().split(/\s{2,}/);
    expect(k[2]).toBe('CrashLoopBackOff');
    await expect(row('payments').textContent()).resolves.toContain(`${k[1]}CrashLoopBackOff5 (`);
    await screenshot(page, 'pods-page');
  });

  it('the detail pane shows containers, and YAML without managedFields', async () => {
    await row('payments').getByRole('button', { name: 'Show details of payments' }).click();
    const panel = page.getByRole('complementary', { name: 'Pod payments' }).or(page.locator('[aria-label="Pod payments"]'));
    await panel.getByText('waiting: CrashLoopBackOff').waitFor({ timeout: 15_000 });
    await panel.getByRole('tab', { name: 'YAML' }).click();
    const yaml = await page.getByTestId('pod-yaml').textContent();
    expect(yaml).toContain('name: payments');
    expect(yaml).not.toContain('managedFields');
    await screenshot(page, 'pods-detail-yaml');
    await panel.getByRole('button', { name: /Close/ }).first().click();
  });

  it('apply YAML creates a Deployment (server-side apply as berth)', async () => {
    await page.getByRole('button', { name: 'Apply YAML…' }).click();
    await page.getByLabel('YAML to apply').fill(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: registry.local/web:1.0}]}\n',
    );
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByText('deployment/web created').waitFor({ timeout: 15_000 });
    expect(kubectl('get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}')).toBe('2');
    // The footer's Close (the header has an icon button named Close too).
    await page.getByRole('dialog', { name: 'Apply YAML' }).locator('button', { hasText: 'Close' }).click();
    await page.getByRole('dialog', { name: 'Apply YAML' }).waitFor({ state: 'hidden' });
  });

  it('delete asks, then removes the pod', async () => {
    // Not bound to a node: without a kubelet to confirm, a bound pod would stay Terminating (as in a real cluster whose node is gone).
    await cp.request('POST', '/api/v1/namespaces/shop/pods', { metadata: { name: 'scratch' }, spec: { containers: [{ name: 'app', image: 'x' }] } });
    await row('scratch').waitFor({ timeout: 20_000 });
    await row('scratch').getByRole('button', { name: 'Delete pod scratch' }).click();
    const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
    await dialog.getByText('shop/scratch').waitFor();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await waitFor('the pod gone from the API', async () => {
      try {
        kubectl('get', 'pod', 'scratch', '-n', 'shop');
        return false;
      } catch (e) {
        return /NotFound|not found/.test(String((e as { stderr?: string }).stderr ?? e));
      }
    }, 30_000);
    await podsTable().getByRole('row').filter({ hasText: 'scratch' }).waitFor({ state: 'detached', timeout: 20_000 });
  });
});
