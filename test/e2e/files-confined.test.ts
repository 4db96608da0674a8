import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCore } from '../../app/composition';
import { describeEngine, rawDocker, useEngine } from '../support/engine';
import { AppPage } from './support/app-page';
import { serveCore, type BerthWeb } from './support/berth';
import { browserUnavailable, launchBrowser, openPage, screenshot, type OpenedPage } from './support/browser';
import { ImagesUi } from './support/images-page';

/** Browser mode with BERTH_FILES_DIR: the file dialogs say where files go, prefill paths there, and a save lands inside. */
describeEngine('browser mode file dialogs show the confined folder', () => {
  let berth: BerthWeb;
  let browser: Browser;
  let opened: OpenedPage;
  let app: AppPage;
  let ui: ImagesUi;
  let box: string;
  let dataDir: string;
  let imageId: string;

  beforeAll(async () => {
    const why = browserUnavailable();
    if (why) throw new Error(why);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-confined-'));
    box = path.join(fs.realpathSync(dataDir), 'Berth files');
    const core = await createCore({ dataDir, mode: 'web', version: '0.0.0-e2e', env: { ...process.env, DOCKER_HOST: useEngine().dockerHost }, filesDir: box });
    berth = await serveCore(core);
    browser = await launchBrowser();
    opened = await openPage(browser, berth.url);
    app = new AppPage(opened.page);
    await app.waitReady();
    await app.gotoPage('images');
    ui = new ImagesUi(app, opened.page);
    await ui.table.waitFor();
    imageId = (await rawDocker().getImage(useEngine().images.busybox).inspect()).Id;
  }, 240_000);
  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    await berth?.dispose();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('Save shows the folder, prefills a path in it, refuses one outside, and the file lands inside', async () => {
    const { page } = opened;
    await ui.row(imageId).click();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('complementary', { name: /^Image / });
    await panel.getByRole('button', { name: 'Save…' }).click();
    const save = page.getByRole('dialog', { name: /^Save / });
    await save.getByTestId('files-folder').waitFor();
    expect(await save.getByTestId('files-folder').textContent()).toBe(`In browser mode Berth reads and writes files only in ${box}`);
    const field = save.getByLabel('File', { exact: true });
    await expect.poll(() => field.inputValue()).toMatch(new RegExp(`^${box.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/[\\w.-]+\\.tar$`));
    const prefilled = await field.inputValue();
    await screenshot(page, 'files-confined-save');

    await field.fill(path.join(dataDir, 'outside.tar'));
    await save.getByRole('button', { name: 'Save', exact: true }).click();
    await save.getByText(`only inside ${box}`, { exact: false }).waitFor();
    expect(fs.existsSync(path.join(dataDir, 'outside.tar'))).toBe(false);

    await field.fill('');
    await save.getByRole('button', { name: 'Choose…' }).click();
    expect(await field.inputValue()).toBe(prefilled);
    await save.getByRole('button', { name: 'Save', exact: true }).click();
    await save.locator('.img-result').waitFor({ timeout: 60_000 });
    expect(fs.statSync(prefilled).size).toBeGreaterThan(100_000);
    expect(path.dirname(prefilled)).toBe(box);
    await save.getByRole('button', { name: 'Close', exact: true }).last().click();
    await panel.getByRole('button', { name: 'Close the details' }).click();
  });

  it('Load and Build show the folder too', async () => {
    const { page } = opened;
    await page.getByRole('button', { name: 'Load…' }).click();
    const load = ui.dialog('Load images from a file');
    await load.getByTestId('files-folder').waitFor();
    await expect.poll(() => load.getByLabel('File', { exact: true }).inputValue()).toBe(`${box}/`);
    await load.getByRole('button', { name: 'Cancel' }).click();
    await load.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Build…', exact: true }).click();
    const build = ui.dialog('Build an image');
    await build.getByTestId('files-folder').waitFor();
    expect(await build.getByTestId('files-folder').textContent()).toContain(box);
    await screenshot(page, 'files-confined-build');
  });
});
