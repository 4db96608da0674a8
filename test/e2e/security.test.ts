import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawDocker, randomSuffix, useEngine } from '../support/engine';
import { describePeer, useGvisor } from '../support/peers';
import { screenshot } from './support/browser';
import { openContainersPage, type ContainersSession } from './support/containers-page';

const sfx = randomSuffix();
const NAME = `berth-e2e-gvisor-${sfx}`;

describePeer('gvisor', 'security: a container run under runsc from the Run dialog shows gVisor (browser)', () => {
  let s: ContainersSession;
  const page = () => s.opened.page;

  beforeAll(async () => {
    useGvisor();
    s = await openContainersPage();
  });
  afterAll(async () => {
    await s?.close();
    const docker = rawDocker();
    const mine = await docker.listContainers({ all: true, filters: { name: [sfx] } });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  });

  it('chooses runsc in the Run dialog; the list marks it sandboxed; its Security tab says gVisor', async () => {
    const d = await s.ui.openRunDialog();
    await d.getByLabel('Image', { exact: true }).fill(useEngine().images.busybox);
    await d.getByLabel('Name', { exact: true }).fill(NAME);
    await d.getByLabel('Command', { exact: true }).fill('sleep 100000');
    await d.getByRole('tab', { name: /Security/ }).click();
    const runtime = d.getByLabel('Runtime', { exact: true });
    await expect.poll(() => runtime.locator('option', { hasText: 'gVisor (runsc)' }).count()).toBe(1);
    await runtime.selectOption('runsc');
    await expect.poll(() => d.getByText(/user-space kernel/).count()).toBeGreaterThan(0);
    await screenshot(page(), 'security-run-dialog-runtime');
    await s.ui.axe('run dialog with the runtime field');
    await d.getByRole('button', { name: 'Run', exact: true }).click();
    await s.ui.dialog.waitFor({ state: 'detached', timeout: 60_000 });

    const info = await rawDocker().getContainer(NAME).inspect();
    expect(info.HostConfig.Runtime).toBe('runsc');
    expect(info.State.Running).toBe(true);

    await s.ui.filter(sfx);
    await s.ui.row(NAME).waitFor();
    const badge = s.ui.row(NAME).locator('.posture-badge');
    await badge.waitFor();
    expect(await badge.getAttribute('data-level')).toBe('baseline');
    expect(await badge.getByLabel('sandboxed runtime').count()).toBe(1);

    await page().evaluate((h) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = h;
    }, `#/containers/${info.Id}/security`);
    const pane = page().getByRole('region', { name: `Details of ${NAME}` });
    await pane.getByTestId('runtime').waitFor();
    expect(await pane.getByTestId('runtime').textContent()).toMatch(/Runtime: gVisor \(runsc\)/);
    // Findings with their reasons and references, grouped.
    await pane.getByRole('region', { name: 'Privilege' }).waitFor();
    expect(await pane.locator('[data-check="root-user"]').textContent()).toMatch(/CIS 4\.1/);
    expect(await pane.locator('[data-check="sandbox-runtime"]').count()).toBe(0);
    await screenshot(page(), 'security-detail-tab');
    await s.ui.axe('security tab');

    // The Harden dialog previews without changing anything.
    await pane.getByRole('button', { name: 'Harden…' }).click();
    const dialog = page().getByRole('dialog', { name: `Harden ${NAME}` });
    await dialog.getByLabel('Changes').waitFor();
    expect(await dialog.getByLabel('Changes').textContent()).toContain('+ --security-opt no-new-privileges');
    await screenshot(page(), 'security-harden-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await rawDocker().getContainer(NAME).inspect()).Id).toBe(info.Id);
  });

  it('the Security page lists it with its level and runtime', async () => {
    await page().evaluate(() => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = '#/security';
    });
    const table = page().getByRole('table', { name: 'Containers by posture' });
    await table.waitFor();
    const row = table.getByRole('row').filter({ hasText: NAME });
    await row.waitFor();
    expect(await row.textContent()).toContain('gVisor');
    await screenshot(page(), 'security-page');
    await s.ui.axe('security page');
  });

  it('the containers list has a Security column with the badge', async () => {
    await page().evaluate(() => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = '#/containers';
    });
    await s.ui.grid.getByRole('columnheader', { name: 'Security' }).waitFor();
    await s.ui.filter(sfx);
    await s.ui.row(NAME).locator('.posture-badge').waitFor();
    expect(await s.ui.row(NAME).locator('.posture-badge').getAttribute('title')).toMatch(/Runtime: runsc \(sandboxed\)/);
    await screenshot(page(), 'security-containers-column');
  });
});
