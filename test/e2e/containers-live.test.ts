import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngine, rawDocker, randomSuffix, TEST_LABEL, useEngine } from '../support/engine';
import { freeLocalPort } from '../contract/containers-support';
import { screenshot } from './support/browser';
import { openContainersPage, type ContainersSession } from './support/containers-page';

const sfx = randomSuffix();
const inspect = (name: string) => rawDocker().getContainer(name).inspect();

/** What changes outside Berth shows up by itself; failures stay on their row; groups, bulk actions, themes. */
describeEngine('containers page: change feed, row errors, compose groups and bulk actions (browser)', () => {
  let s: ContainersSession;
  const page = () => s.opened.page;

  beforeAll(async () => {
    s = await openContainersPage();
    // The toolbar (and its search box) shows once there is a container: make one, then narrow the list to this file's.
    await rawDocker().createContainer({ Image: useEngine().images.busybox, name: `berth-e2e-anchor-${sfx}`, Cmd: ['true'], Labels: { [TEST_LABEL]: '1' } });
    await s.ui.filter(sfx);
  });

  afterAll(async () => {
    await s?.close();
    const docker = rawDocker();
    const mine = await docker.listContainers({ all: true, filters: { name: [sfx] } });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  });

  it('shows a container started from the CLI without a reload (the change feed)', async () => {
    await page().evaluate(() => ((globalThis as unknown as { __noReload: boolean }).__noReload = true));
    const name = `berth-e2e-cli-${sfx}`;
    const c = await rawDocker().createContainer({ Image: useEngine().images.busybox, name, Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' } });
    await c.start();
    const t0 = Date.now();
    await s.ui.row(name).waitFor({ timeout: 10_000 });
    await expect.poll(() => s.ui.stateOf(name)).toMatch(/^Running/);
    process.stdout.write(`[containers e2e] a CLI-started container appeared after ${Date.now() - t0} ms\n`);
    expect(await page().evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await c.remove({ force: true });
    await s.ui.row(name).waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('shows a failing action on its row (port already allocated)', async () => {
    const docker = rawDocker();
    const port = await freeLocalPort();
    const binding = { HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } }, ExposedPorts: { '80/tcp': {} } };
    const base = { Image: useEngine().images.busybox, Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' } };
    const blocker = await docker.createContainer({ ...base, ...binding, name: `berth-e2e-blocker-${sfx}` });
    await blocker.start();
    const victim = `berth-e2e-victim-${sfx}`;
    await docker.createContainer({ ...base, ...binding, name: victim });
    await s.ui.row(victim).waitFor({ timeout: 10_000 });
    await s.ui.row(victim).getByRole('button', { name: `Start ${victim}` }).click();
    const error = s.ui.row(victim).locator('.vt-row-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toContain(`host port ${port} is already in use`);
    expect(await error.locator('.error-code').textContent()).toBe('PORT_ALLOCATED');
    expect((await inspect(victim)).State.Running).toBe(false);
  });

  it('groups compose projects, passes axe and looks right in both themes', async () => {
    const project = `berth-e2e-shop-${sfx}`;
    for (const service of ['web', 'db']) {
      const c = await rawDocker().createContainer({
        Image: useEngine().images.busybox,
        name: `${project}-${service}-1`,
        Cmd: ['sleep', '1000'],
        Labels: { [TEST_LABEL]: '1', 'com.docker.compose.project': project, 'com.docker.compose.service': service },
      });
      await c.start();
    }
    const group = s.ui.grid.getByRole('row').filter({ has: page().getByText(project, { exact: true }) });
    await s.ui.row(`${project}-web-1`).waitFor({ timeout: 10_000 });
    await expect.poll(() => group.textContent()).toContain('2/2 running');
    await group.getByRole('button', { name: `Collapse ${project}` }).click();
    await s.ui.row(`${project}-web-1`).waitFor({ state: 'detached' });
    await group.getByRole('button', { name: `Expand ${project}` }).click();
    await s.ui.row(`${project}-web-1`).waitFor();
    await group.getByRole('button', { name: `Stop all of ${project}` }).click();
    await expect.poll(() => group.textContent(), { timeout: 30_000 }).toContain('0/2 running');

    await s.ui.filter('');
    for (const theme of ['Light', 'Dark'] as const) {
      await s.app.setTheme(theme);
      await expect.poll(() => s.app.theme()).toBe(theme.toLowerCase());
      await s.ui.filter(sfx);
      await page().waitForTimeout(200); // let colour transitions settle for the picture
      await screenshot(page(), `containers-${theme.toLowerCase()}`);
      await s.ui.axe(`page (${theme})`);
    }
    // Dark: the detail and the dialog too.
    await s.ui.row(`${project}-db-1`).getByRole('button', { name: `Open details of ${project}-db-1` }).click();
    await s.ui.detail.getByRole('region', { name: 'General' }).waitFor();
    await screenshot(page(), 'containers-detail-dark');
    await s.ui.axe('detail overview (dark)');
    await s.ui.detail.getByRole('button', { name: 'Close the details' }).click();
    await page().getByRole('button', { name: 'Run a container' }).first().click();
    await s.ui.dialog.getByLabel('Image', { exact: true }).fill(useEngine().images.busybox);
    await screenshot(page(), 'containers-run-dialog-dark');
    await s.ui.axe('run dialog (dark)');
    await page().keyboard.press('Escape');
    await s.ui.dialog.waitFor({ state: 'detached' });
    await s.app.setTheme('System');
  });

  it('removes selected containers in bulk after naming them', async () => {
    const project = `berth-e2e-shop-${sfx}`;
    const members = [`${project}-db-1`, `${project}-web-1`];
    await s.ui.filter(project);
    await s.ui.grid.getByRole('checkbox', { name: `Select compose project ${project}` }).click();
    const bulk = page().getByRole('group', { name: 'Selected containers' });
    await expect.poll(() => bulk.textContent()).toContain('2 selected');
    await bulk.getByRole('button', { name: 'Remove' }).click();
    const confirm = page().getByRole('alertdialog', { name: 'Remove 2 containers?' });
    expect((await confirm.getByRole('listitem').allTextContents()).sort()).toEqual(members);
    await confirm.getByRole('button', { name: 'Remove 2' }).click();
    for (const m of members) await s.ui.row(m).waitFor({ state: 'detached', timeout: 20_000 });
    for (const m of members) await expect(inspect(m)).rejects.toMatchObject({ statusCode: 404 });
    await bulk.waitFor({ state: 'detached' });
  });

  it('reported no console errors', () => {
    expect(s.opened.errors).toEqual([]);
  });
});
