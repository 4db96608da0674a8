import { afterAll, beforeAll, expect, it } from 'vitest';
import Docker from 'dockerode';
import type { Browser } from 'playwright-core';
import { createTestCore, describeEngine, TEST_LABEL } from '../support/engine';
import { startDockerd, type Dockerd } from '../support/dockerd';
import { buildBusybox } from '../support/images';
import { exists } from '../contract/system-kit';
import { formatBytes } from '../../renderer/lib/format';
import { serveCore, type BerthWeb } from './support/berth';
import { AppPage } from './support/app-page';
import { browserUnavailable, launchBrowser, openPage, screenshot, type OpenedPage } from './support/browser';
import { expectAxeClean } from './support/axe';

const noBrowser = browserUnavailable();
const labels = { [TEST_LABEL]: '1' };

/**
 * Real prunes remove every unused volume and network of an engine, so they run against an engine
 * of their own (the shared one holds other test files' objects). It also lets the volumes page be
 * seen empty.
 */
describeEngine('prune volumes and networks through the UI (own engine)', () => {
  let dockerd: Dockerd;
  let docker: Docker;
  let image: string;
  let berth: BerthWeb;
  let browser: Browser;
  let opened: OpenedPage;
  let app: AppPage;
  let anonymous = '';
  let holder: Docker.Container;

  /** Runs a container that writes `bytes` into the volume mounted at /data, waits, and removes the container (not the volume). */
  async function fill(mount: { named?: string }, bytes: number): Promise<string> {
    const opts: Docker.ContainerCreateOptions = { Image: image, Cmd: ['sh', '-c', `head -c ${bytes} /dev/zero > /data/f`], Labels: labels };
    if (mount.named) opts.HostConfig = { Mounts: [{ Type: 'volume', Source: mount.named, Target: '/data' }] };
    else opts.Volumes = { '/data': {} };
    const c = await docker.createContainer(opts);
    await c.start();
    await c.wait();
    const vol = (await c.inspect()).Mounts.find((m) => m.Destination === '/data')?.Name as string;
    await c.remove({ v: false });
    return vol;
  }
  const volExists = (name: string) => exists(() => docker.getVolume(name).inspect());
  const netExists = (name: string) => exists(() => docker.getNetwork(name).inspect());
  const sizeOf = async (name: string) => ((await docker.df()).Volumes as Array<{ Name: string; UsageData: { Size: number } }>).find((v) => v.Name === name)?.UsageData.Size ?? -1;

  beforeAll(async () => {
    if (noBrowser) throw new Error(noBrowser);
    dockerd = await startDockerd();
    docker = new Docker({ socketPath: dockerd.socketPath });
    image = await buildBusybox(dockerd.dockerHost);
    anonymous = await fill({}, 200_000);
    await docker.createVolume({ Name: 'named-unused', Labels: labels });
    await fill({ named: 'named-unused' }, 3_000);
    await docker.createVolume({ Name: 'keep', Labels: labels });
    await docker.createNetwork({ Name: 'net-unused', Labels: labels });
    await docker.createNetwork({ Name: 'net-used', Labels: labels });
    holder = await docker.createContainer({ Image: image, name: 'holder', Cmd: ['sleep', '1000'], Labels: labels, HostConfig: { NetworkMode: 'net-used', Mounts: [{ Type: 'volume', Source: 'keep', Target: '/data' }] } });

    const tc = await createTestCore(dockerd.dockerHost);
    berth = await serveCore(tc.core, { dispose: tc.dispose });
    browser = await launchBrowser();
    opened = await openPage(browser, berth.url);
    app = new AppPage(opened.page);
    await app.waitReady();
  }, 240_000);
  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    await berth?.dispose();
    await dockerd?.dispose();
  });

  it('prunes anonymous volumes by default and named ones when asked, after showing them and the space they free', async () => {
    const { page } = opened;
    await app.gotoPage('volumes');
    await app.table('Volumes').waitFor();
    await page.getByRole('button', { name: 'Prune…' }).click();
    const dlg = page.getByRole('alertdialog', { name: 'Prune unused volumes' });
    const list = dlg.getByRole('list', { name: 'Volumes to remove' });
    await list.waitFor();
    const anonSize = await sizeOf(anonymous);
    const namedSize = await sizeOf('named-unused');
    expect(anonSize).toBeGreaterThanOrEqual(200_000);
    expect(namedSize).toBeGreaterThanOrEqual(3_000);
    expect(await list.locator('li .mono').allTextContents()).toEqual([anonymous]);
    expect(await dlg.getByTestId('prune-total').textContent()).toBe(`1 volume, reclaiming ${formatBytes(anonSize)}.`);

    await dlg.getByLabel('Also remove unused named volumes').check();
    await expect.poll(async () => (await list.locator('li .mono').allTextContents()).sort()).toEqual([anonymous, 'named-unused'].sort());
    expect(await dlg.getByTestId('prune-total').textContent()).toBe(`2 volumes, reclaiming ${formatBytes(anonSize + namedSize)}.`);
    await screenshot(page, 'volumes-prune-sizes-light');
    await dlg.getByRole('button', { name: 'Remove 2 volumes' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByText('Removed 2 unused volumes').waitFor();
    await page.getByText(`Reclaimed ${formatBytes(anonSize + namedSize)}.`).waitFor();

    expect(await volExists(anonymous)).toBe(false);
    expect(await volExists('named-unused')).toBe(false);
    expect(await volExists('keep')).toBe(true);
    await expect.poll(() => app.table('Volumes').locator('[role="row"][data-row-id]').count()).toBe(1);
  });

  it('prunes the networks no container uses, after listing them; built-ins and used ones stay', async () => {
    const { page } = opened;
    await app.gotoPage('networks');
    await app.table('Networks').waitFor();
    await page.getByRole('button', { name: 'Prune…' }).click();
    const dlg = page.getByRole('alertdialog', { name: 'Prune unused networks' });
    const list = dlg.getByRole('list', { name: 'Networks to remove' });
    await list.waitFor();
    expect(await list.locator('li').allTextContents()).toEqual(['net-unused']);
    await dlg.getByRole('button', { name: 'Remove 1 network' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByText('Removed 1 unused network').waitFor();
    expect(await netExists('net-unused')).toBe(false);
    for (const n of ['net-used', 'bridge', 'host', 'none']) expect(await netExists(n)).toBe(true);
  });

  it('shows the newcomer’s empty state once the last volume is gone', async () => {
    const { page } = opened;
    await holder.remove({ force: true });
    await app.gotoPage('volumes');
    const row = app.table('Volumes').locator('[role="row"][data-row-id="keep"]');
    // The change feed tells the page the container is gone: the volume is free now.
    await row.getByText('Not used').waitFor({ timeout: 5000 });
    await row.getByRole('button', { name: 'Remove volume keep' }).click();
    await page.getByRole('alertdialog', { name: 'Remove volume keep?' }).getByRole('button', { name: 'Remove volume' }).click();
    const empty = page.getByRole('heading', { name: 'No volumes yet' });
    await empty.waitFor();
    expect(await volExists('keep')).toBe(false);
    expect(await page.locator('main').textContent()).toContain('-v name:/path');
    for (const theme of ['Light', 'Dark'] as const) {
      await app.setTheme(theme);
      await expect.poll(() => app.theme()).toBe(theme.toLowerCase());
      await screenshot(page, `volumes-empty-${theme.toLowerCase()}`);
      await expectAxeClean(page);
    }
    await page.getByRole('button', { name: 'Create a volume' }).click();
    await page.getByRole('dialog', { name: 'Create a volume' }).waitFor();
    await page.keyboard.press('Escape');
    await app.setTheme('System');
  });

  it('reported no console errors', () => {
    expect(opened.errors).toEqual([]);
  });
});
