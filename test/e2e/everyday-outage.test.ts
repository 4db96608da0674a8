import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDockerd, type Dockerd } from '../support/dockerd';
import { describeEngine, randomSuffix, TEST_LABEL } from '../support/engine';
import { buildBusybox } from '../support/images';
import { screenshot } from './support/browser';
import { expectAxeClean } from './support/axe';
import { ContainersUi } from './support/containers-page';
import { openBerthPage, type BerthSession } from './support/session';

const NAME = `berth-e2e-outage-${randomSuffix()}`;

/**
 * A separate private dockerd, stopped for real while Berth shows its containers: the rows say
 * what was last seen, the uptime stops, the actions are disabled with the reason; all comes back
 * when the engine does.
 */
describeEngine('everyday: an honest outage state during a real engine stop', () => {
  let d: Dockerd;
  let s: BerthSession;
  let ui: ContainersUi;

  beforeAll(async () => {
    d = await startDockerd();
    const image = await buildBusybox(d.dockerHost);
    const docker = new Docker({ socketPath: d.socketPath });
    const c = await docker.createContainer({ Image: image, name: NAME, Cmd: ['sleep', '3600'], Labels: { [TEST_LABEL]: '1' }, HostConfig: { RestartPolicy: { Name: 'no' } } });
    await c.start();
    s = await openBerthPage('containers', { dockerHost: d.dockerHost });
    ui = new ContainersUi(s.app, s.opened.page);
    await ui.row(NAME).waitFor();
  });
  afterAll(async () => {
    await s?.close();
    await d?.dispose();
  });

  it('greys the rows with "last seen" states, stops the uptime and disables actions with the reason; then recovers', async () => {
    const page = s.opened.page;
    expect(await ui.stateOf(NAME)).toBe('Running');
    const stopBtn = ui.row(NAME).getByRole('button', { name: `Stop ${NAME}` });
    expect(await stopBtn.isEnabled()).toBe(true);

    await d.stop();
    await page.getByTestId('ctr-outage').waitFor({ timeout: 30_000 });
    await ui.grid.getByRole('columnheader', { name: 'Last seen' }).waitFor();
    expect(await ui.stateOf(NAME)).toBe('Running');
    expect(await ui.row(NAME).locator('.ctr-state').getAttribute('title')).toBe('Last seen running; the engine is not reachable');
    expect(await page.locator('.page-subtitle').textContent()).toContain('as last seen: 1 running');
    expect(await ui.row(NAME).getAttribute('class')).toContain('is-stale');
    expect(await stopBtn.isDisabled()).toBe(true);
    expect(await stopBtn.getAttribute('title')).toMatch(/is not reachable.*Actions come back when it is\./);
    const frozen = await ui.row(NAME).getByRole('gridcell').filter({ hasText: /second|minute/ }).last().textContent();
    expect(frozen).toMatch(/\d+ seconds?|minute/);
    // The page repaints (a sort click) well after a second: the uptime does not move.
    await page.waitForTimeout(2100);
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    expect(await ui.row(NAME).getByRole('gridcell').filter({ hasText: /second|minute/ }).last().textContent()).toBe(frozen);
    await screenshot(page, 'everyday-outage');
    await expectAxeClean(page, 'containers page during an outage');

    await d.start();
    await page.getByTestId('ctr-outage').waitFor({ state: 'detached', timeout: 45_000 });
    // dockerd does not restart a container with restart policy "no": it is now what it is, exited.
    await expect.poll(() => ui.stateOf(NAME), { timeout: 20_000 }).toMatch(/^Exited/);
    expect(await ui.row(NAME).getAttribute('class')).not.toContain('is-stale');
    expect(await ui.grid.getByRole('columnheader', { name: 'State' }).count()).toBe(1);
    expect(await ui.row(NAME).getByRole('button', { name: `Start ${NAME}` }).isEnabled()).toBe(true);
  });
});
