import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDockerd, type Dockerd } from '../support/dockerd';
import { describeEngine } from '../support/engine';
import type { AppPage } from './support/app-page';
import { openBerthPage, type BerthSession } from './support/session';
import { axeViolations, describeViolations, screenshot, type OpenedPage } from './support/browser';

/**
 * A separate private dockerd that this file kills and starts again: the status area must follow
 * (through the change feed, without a reload) and say which socket is down and why.
 */
describeEngine('status area follows the engine going down and up', () => {
  let d: Dockerd;
  let session: BerthSession;
  let opened: OpenedPage;
  let app: AppPage;

  beforeAll(async () => {
    d = await startDockerd();
    session = await openBerthPage(undefined, { dockerHost: d.dockerHost });
    ({ opened, app } = session);
  });
  afterAll(async () => {
    await session?.close();
    await d?.dispose();
  });

  it('shows the engine running, then unreachable with the socket, then running again', async () => {
    expect(await app.waitEngineKnown()).toBe('Running');
    expect(await app.engineEndpoint.textContent()).toBe(d.dockerHost);

    await d.kill();
    await expect.poll(() => app.engineState.textContent(), { timeout: 20_000 }).toBe('Unreachable');
    expect(await app.engineError.textContent()).toContain(d.socketPath);
    await opened.page.getByRole('alert').filter({ hasText: 'is not reachable' }).waitFor();
    await screenshot(opened.page, 'engine-status-down');
    const v = await axeViolations(opened.page);
    expect(v, describeViolations(v)).toEqual([]);

    await d.start();
    await expect.poll(() => app.engineState.textContent(), { timeout: 45_000 }).toBe('Running');
    await opened.page.getByRole('alert').filter({ hasText: 'is not reachable' }).waitFor({ state: 'detached' });
    expect(await app.engineError.count()).toBe(0);
    expect(opened.errors).toEqual([]);
  });
});
