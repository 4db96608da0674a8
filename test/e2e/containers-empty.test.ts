import { afterAll, beforeAll, expect, it } from 'vitest';
import Docker from 'dockerode';
import { startDockerd, type Dockerd } from '../support/dockerd';
import { buildBusybox } from '../support/images';
import { describeEngine, TEST_LABEL } from '../support/engine';
import type { AppPage } from './support/app-page';
import { openBerthPage, type BerthSession } from './support/session';
import { axeViolations, describeViolations, screenshot, type OpenedPage } from './support/browser';

/**
 * A separate, empty private dockerd: the page tells a newcomer what to do, a container made from
 * the CLI replaces that at once, and after the engine restarts the list is right again (the
 * change feed resyncs) without a reload.
 */
describeEngine('containers page on an empty engine, and across an engine restart', () => {
  let d: Dockerd;
  let docker: Docker;
  let session: BerthSession;
  let opened: OpenedPage;
  let app: AppPage;

  beforeAll(async () => {
    d = await startDockerd();
    docker = new Docker({ socketPath: d.socketPath });
    session = await openBerthPage('containers', { dockerHost: d.dockerHost });
    ({ opened, app } = session);
  });
  afterAll(async () => {
    await session?.close();
    await d?.dispose();
  });

  it('tells a newcomer how to get a container, in both themes', async () => {
    const { page } = opened;
    const empty = page.getByRole('heading', { name: 'No containers yet' });
    await empty.waitFor();
    expect(await app.main.textContent()).toContain(`DOCKER_HOST=${d.dockerHost} docker run`);
    for (const theme of ['Light', 'Dark'] as const) {
      await app.setTheme(theme);
      await expect.poll(() => app.theme()).toBe(theme.toLowerCase());
      await page.waitForTimeout(200); // let colour transitions settle for the picture
      await screenshot(page, `containers-empty-${theme.toLowerCase()}`);
      const v = await axeViolations(page);
      expect(v, `${theme}:\n${describeViolations(v)}`).toEqual([]);
    }
    await app.setTheme('System');
    await app.main.getByRole('button', { name: 'Run a container' }).last().click();
    await page.getByRole('dialog', { name: 'Run a container' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Run a container' }).waitFor({ state: 'detached' });
  });

  it('replaces the empty state with a CLI-made container, and is right again after the engine restarts', async () => {
    const image = await buildBusybox(d.dockerHost);
    const c = await docker.createContainer({ Image: image, name: 'first-one', Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' } });
    await c.start();
    const row = app.table('Containers').getByRole('row').filter({ hasText: 'first-one' });
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.locator('.ctr-state').textContent()).toBe('Running');

    // Killed without a chance to report anything; the container does not survive the restart.
    await d.kill();
    await d.start();
    // Made as soon as the engine is back: its events may predate Berth's new event stream.
    const second = await docker.createContainer({ Image: image, name: 'second-one', Cmd: ['true'], Labels: { [TEST_LABEL]: '1' } });
    await app.table('Containers').getByRole('row').filter({ hasText: 'second-one' }).waitFor({ timeout: 45_000 });
    await expect.poll(async () => (await docker.getContainer('first-one').inspect()).State.Running, { timeout: 20_000 }).toBe(false);
    await expect.poll(() => row.locator('.ctr-state').textContent(), { timeout: 20_000 }).toMatch(/^Exited/);
    await second.remove({ force: true });
    expect(opened.errors).toEqual([]);
  });
});
