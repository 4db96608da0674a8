/**
 * The pods page's logs, terminal and port-forward in browser mode (Playwright, Chromium) over the real path: the core's
 * client-node → a private kube-apiserver → a real kubelet on a private containerd's CRI (test/support/kube-node.ts) →
 * busybox-static in the pods. Also an axe check of the page with a pod's logs open.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAxeClean } from '../e2e/support/axe';
import { browserUnavailable, screenshot } from '../e2e/support/browser';
import { openPodsPage, type PodsPageSession } from './pods-page-support';
import { TerminalUi } from '../e2e/support/terminal-dock';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from '../support/kube';
import { kubeNodeUnavailable, NODE_IMAGE, startKubeNode, type KubeNode } from '../support/kube-node';

const why = controlPlaneUnavailable() ?? kubeNodeUnavailable() ?? browserUnavailable();
const NS = 'apps';

let cp: ControlPlane;
let node: KubeNode;
let session: PodsPageSession;
let page: Page;

const row = (name: string) => page.getByRole('row').filter({ hasText: name });
const panel = (name: string) => page.locator(`[aria-label="Pod ${name}"]`);

async function runPod(name: string, command: string[], ports: number[] = []): Promise<void> {
  await cp.request('POST', `/api/v1/namespaces/${NS}/pods`, {
    metadata: { name },
    spec: {
      nodeName: node.name, terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: NODE_IMAGE, imagePullPolicy: 'Never', command, ports: ports.map((containerPort) => ({ containerPort })) }],
    },
  });
  await row(name).filter({ hasText: 'Running' }).waitFor({ timeout: 90_000 });
}

async function openDetails(name: string): Promise<void> {
  await row(name).getByRole('button', { name: `Show details of ${name}` }).click();
  await panel(name).getByRole('tab', { name: 'Containers' }).waitFor({ timeout: 15_000 });
}

describe.skipIf(why)('pod logs, terminal and port-forward in the pods page, through a real kubelet', () => {
  beforeAll(async () => {
    cp = await startControlPlane();
    node = await startKubeNode(cp);
    await cp.request('POST', '/api/v1/namespaces', { metadata: { name: NS } });
    session = await openPodsPage(cp, 'berth-e2e-podstreams-');
    page = session.page;
  }, 300_000);

  afterAll(async () => {
    await session?.close();
    await node?.stop();
    await cp?.stop();
  }, 120_000);

  it('logs follow: lines written after the tab opened appear in it', async () => {
    await runPod('ticker', ['/bin/sh', '-c', 'i=0; while :; do i=$((i+1)); echo "tick $i"; /bin/busybox sleep 0.3; done']);
    await openDetails('ticker');
    await panel('ticker').getByRole('tab', { name: 'Logs' }).click();
    const log = page.getByTestId('pod-log');
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain('tick 2\n');
    await expect.poll(() => page.getByTestId('pod-logs-state').textContent()).toBe('Following');
    // A line the container writes only later shows up without any action.
    const last = Number(/tick (\d+)\n$/.exec((await log.textContent()) ?? '')?.[1]);
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain(`tick ${last + 5}\n`);
    await expectAxeClean(page, 'pods page with a pod’s logs');
    await screenshot(page, 'pods-logs');
    await panel('ticker').getByRole('button', { name: /Close/ }).first().click();
  }, 120_000);

  it('the terminal opens a shell in the pod in the dock: a typed command runs there', async () => {
    await runPod('shell', ['/bin/sh', '-c', 'echo inside-the-pod > /marker; exec /bin/busybox sleep 3600']);
    await openDetails('shell');
    await panel('shell').getByRole('button', { name: 'Terminal' }).click();
    const ui = new TerminalUi(page);
    await expect.poll(() => ui.dock.getByRole('tab', { selected: true }).textContent(), { timeout: 20_000 }).toContain('shell: sh');
    await ui.pane(ui.dock).waitFor();
    await expect.poll(async () => (await ui.lines(ui.dock)).some((l) => l.includes('#')), { timeout: 20_000 }).toBe(true);
    await ui.typeLine(ui.dock, 'echo "sum=$((40+2))"; /bin/busybox cat /marker');
    await expect.poll(async () => (await ui.lines(ui.dock)).some((l) => l === 'sum=42'), { timeout: 20_000 }).toBe(true);
    await expect.poll(async () => (await ui.lines(ui.dock)).some((l) => l === 'inside-the-pod')).toBe(true);
    await screenshot(page, 'pods-terminal');
    await ui.typeLine(ui.dock, 'exit');
    await panel('shell').getByRole('button', { name: /Close/ }).first().click();
  }, 120_000);

  it('port-forward serves the pod’s page on a local port, opens in the browser, and stops', async () => {
    await runPod('web', ['/bin/sh', '-c', '/bin/busybox mkdir -p /www && echo "<h1>hello from the pod</h1>" > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www'], [8080]);
    await openDetails('web');
    await panel('web').getByRole('button', { name: 'Port-forward…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Port-forward to web' });
    // The declared port is offered.
    await expect.poll(() => dialog.getByLabel('Pod port').inputValue()).toBe('8080');
    await expectAxeClean(page, 'the port-forward dialog');
    await dialog.getByRole('button', { name: 'Forward', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const item = page.getByTestId('pod-forward').filter({ hasText: `${NS}/web:8080` });
    await item.waitFor({ timeout: 15_000 });
    const href = await item.getByRole('link', { name: 'Open in browser' }).getAttribute('href');
    expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const [tab] = await Promise.all([page.context().waitForEvent('page'), item.getByRole('link', { name: 'Open in browser' }).click()]);
    // httpd may still be starting as the pod turns Running: reload until it answers.
    await expect
      .poll(async () => {
        await tab.goto(href!).catch(() => undefined);
        return tab.locator('h1').textContent({ timeout: 2_000 }).catch(() => null);
      }, { timeout: 30_000, interval: 1_000 })
      .toBe('hello from the pod');
    await tab.close();
    await screenshot(page, 'pods-port-forward');
    await item.getByRole('button', { name: 'Stop forwarding web:8080' }).click();
    await item.waitFor({ state: 'detached', timeout: 15_000 });
    await expect(fetch(href!)).rejects.toThrow();
  }, 120_000);
});
