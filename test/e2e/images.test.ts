import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImage, describeEngine, randomSuffix, rawDocker, TEST_LABEL, useEngine } from '../support/engine';
import { AppPage } from './support/app-page';
import { openBerthPage, type BerthSession } from './support/session';
import { browserUnavailable, openPage, screenshot, type OpenedPage } from './support/browser';
import { expectAxeClean } from './support/axe';
import { ImagesUi } from './support/images-page';

const noBrowser = browserUnavailable();
const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);
const isFocused = (el: unknown) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement;

describeEngine('images page', () => {
  let session: BerthSession | undefined;
  let opened: OpenedPage;
  let app: AppPage;
  let ui: ImagesUi;
  const run = randomSuffix();
  const label = `berth.e2e.images=${run}`;
  const docker = () => rawDocker();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-images-'));

  /** A small image of its own (a LABEL makes a new ID), labelled for cleanup. Returns its ID. */
  const build = async (tag: string, lines: string[] = []) => {
    await buildImage(docker(), tag, { Dockerfile: [`FROM ${useEngine().images.busybox}`, `LABEL ${TEST_LABEL}=1 ${label} berth.e2e.tag=${tag.replace(/[:/]/g, '_')}`, ...lines].join('\n') });
    return (await docker().getImage(tag).inspect()).Id;
  };
  const exists = (ref: string) => docker().getImage(ref).inspect().then(() => true, () => false);

  const plain = `berth-e2e/plain-${run}:1`;
  const used = `berth-e2e/used-${run}:1`;
  const twice = `berth-e2e/twice-${run}:1`;
  let plainId = '';
  let usedId = '';
  let danglingId = '';
  let holder = '';

  beforeAll(async () => {
    if (noBrowser) throw new Error(noBrowser);
    plainId = await build(plain);
    usedId = await build(used);
    holder = (await docker().createContainer({ Image: used, name: `berth-e2e-holder-${run}`, Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' } })).id;
    // The same tag built twice: the first image is left dangling.
    danglingId = await build(twice, ['RUN echo first > /which']);
    await build(twice, ['RUN echo second > /which']);
    session = await openBerthPage('images');
    ({ opened, app } = session);
    ui = new ImagesUi(app, opened.page);
    await ui.table.waitFor();
  });
  afterAll(async () => {
    await session?.close();
    await docker().getContainer(holder).remove({ force: true }).catch(() => undefined);
    for (const i of await docker().listImages({ all: true, filters: { label: [label] } })) await docker().getImage(i.Id).remove({ force: true }).catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lists names, short IDs, sizes, ages and what is in use; filters, search and totals', async () => {
    const { page } = opened;
    await ui.row(plainId).waitFor();
    const usedRow = ui.row(usedId);
    expect(await usedRow.textContent()).toContain(`berth-e2e/used-${run}:1`);
    expect(await usedRow.textContent()).toContain(short(usedId));
    expect(await usedRow.textContent()).toMatch(/In use\s*1 container/);
    expect(await ui.row(plainId).textContent()).toMatch(/Unused\s*\d+(\.\d)? MB\s*(now|\d+ seconds? ago|\d+ minutes? ago)/);
    const dangling = ui.row(danglingId);
    expect(await dangling.textContent()).toContain('<none>');
    expect(await dangling.textContent()).toContain('dangling');

    expect(await ui.summary.textContent()).toMatch(/^\d+ images · \d+(\.\d)? [kMG]?B$/);
    await ui.filter('In use');
    await usedRow.waitFor();
    await ui.row(plainId).waitFor({ state: 'detached' });
    expect(await page.getByTestId('images-summary-shown').textContent()).toMatch(/showing \d+ · \d+(\.\d)? [kMG]?B/);
    await ui.filter('Dangling');
    await dangling.waitFor();
    await usedRow.waitFor({ state: 'detached' });
    await ui.filter('Unused');
    await ui.row(plainId).waitFor();
    await ui.filter('All');

    // Arrow keys move between the filters.
    await page.getByRole('radio', { name: /^All\b/ }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: /^In use\b/ }).getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('ArrowLeft');

    await ui.search(`plain-${run}`);
    await expect.poll(() => ui.table.locator('[role="row"][data-row-id]').count()).toBe(1);
    expect(await page.getByTestId('images-summary-shown').textContent()).toMatch(/showing 1 · /);
    await ui.search(short(usedId));
    await usedRow.waitFor();
    await expect.poll(() => ui.table.locator('[role="row"][data-row-id]').count()).toBe(1);
    await ui.search('no-such-image-anywhere');
    await ui.table.getByText('No image matches “no-such-image-anywhere”.').waitFor();
    await ui.search('');
  });

  it('tags an image, checking the new name as you type; several names show as one row with +1', async () => {
    const { page } = opened;
    const row = ui.row(plainId);
    await row.getByRole('button', { name: `Tag ${plain}` }).click();
    const dlg = ui.dialog('Tag an image');
    await dlg.waitFor();
    const input = dlg.getByLabel('New name');
    expect(await input.evaluate(isFocused)).toBe(true);
    await input.fill('bad name');
    await dlg.getByText('A reference cannot contain spaces.').waitFor();
    await input.fill(plain);
    await dlg.getByText(`The image is already named ${plain}.`).waitFor();
    await input.fill(`berth-e2e/plain-${run}:second`);
    expect(await input.getAttribute('aria-invalid')).toBeNull();
    await page.keyboard.press('Enter');
    await dlg.waitFor({ state: 'detached' });
    await row.locator('.tag', { hasText: '+1' }).waitFor();
    expect((await docker().getImage(plainId).inspect()).RepoTags.sort()).toEqual([plain, `berth-e2e/plain-${run}:second`].sort());
  });

  it('shows layers with what made them and their size, and the inspect document', async () => {
    const { page } = opened;
    const twiceId = (await docker().getImage(twice).inspect()).Id;
    await ui.row(twiceId).getByRole('button', { name: `History and layers of ${twice}` }).click();
    const panel = page.getByRole('complementary', { name: `Image ${twice}` });
    await panel.waitFor();
    await panel.getByText(twiceId).waitFor();
    await panel.getByRole('tab', { name: 'Layers' }).click();
    const layers = panel.locator('table.img-layers');
    await layers.waitFor();
    const rows = await layers.locator('tbody tr').allTextContents();
    // Newest first: the build's own labels (the newest step, carrying the tag), the RUN of the second build, the Dockerfile's
    // LABEL, then busybox's own steps.
    expect(rows[0]).toContain(twice);
    const runAt = rows.findIndex((r) => /^RUN echo second > \/which\d+(\.\d)? B/.test(r));
    const labelAt = rows.findIndex((r) => r.startsWith(`LABEL ${TEST_LABEL}=1 ${label}`));
    expect(runAt).toBeGreaterThan(0);
    expect(labelAt).toBeGreaterThan(runAt);
    expect(rows.some((r) => r.includes('echo first'))).toBe(false);
    expect(rows.some((r) => /COPY file:[0-9a-f]+ in \/bin\/busybox\s*\d+(\.\d)? MB/.test(r))).toBe(true);
    await panel.getByRole('tab', { name: 'Inspect' }).click();
    expect(await panel.locator('pre').textContent()).toContain(`"Id": "${twiceId}"`);
    await panel.getByRole('button', { name: 'Close the details' }).click();
    await panel.waitFor({ state: 'detached' });
  });

  it('runs from an image: the Run dialog opens with the image filled in', async () => {
    const { page } = opened;
    await ui.row(usedId).getByRole('button', { name: `Run ${used}` }).click();
    const dlg = ui.dialog('Run a container');
    await dlg.waitFor();
    expect(await dlg.getByLabel('Image', { exact: true }).inputValue()).toBe(used);
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });
  });

  it('opened on Images, the page loads the Run dialog’s code once its list has painted: the first Run opens it without a wait', async () => {
    if (!session) throw new Error('no session');
    const dialogCode = (p: typeof opened.page) =>
      p.evaluate(() => performance.getEntriesByType('resource').some((r) => /\/RunDialog-[\w-]+\.js$/.test(r.name)));
    // A page of its own that starts on Images (the Containers page, which preloads the dialog too, never shows).
    const fresh = await openPage(session.browser, `${session.berth.url}&/images`);
    try {
      const freshUi = new ImagesUi(new AppPage(fresh.page), fresh.page);
      await freshUi.row(usedId).waitFor();
      expect(await fresh.page.locator('[role="grid"][aria-label="Containers"]').count()).toBe(0);
      await expect.poll(() => dialogCode(fresh.page), { timeout: 20_000 }).toBe(true);
      await freshUi.row(usedId).getByRole('button', { name: `Run ${used}` }).click();
      const dlg = freshUi.dialog('Run a container');
      await dlg.waitFor();
      expect(await dlg.getByLabel('Image', { exact: true }).inputValue()).toBe(used);
      await screenshot(fresh.page, 'images-run-dialog-light');
      expect(fresh.errors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('an image in use: the engine’s refusal shows on its row; with force it goes and the container stays', async () => {
    const { page } = opened;
    const row = ui.row(usedId);
    await row.getByRole('button', { name: `Remove ${used}` }).click();
    const confirm = ui.alertDialog(`Remove image ${used}?`);
    await confirm.waitFor();
    expect(await confirm.getByRole('list', { name: 'Affected items' }).textContent()).toBe(used);
    expect(await confirm.textContent()).toContain('1 container uses this image');
    expect(await confirm.getByRole('button', { name: 'Cancel' }).evaluate(isFocused)).toBe(true);
    await confirm.getByRole('button', { name: 'Remove image' }).click();
    await confirm.waitFor({ state: 'detached' });
    const err = row.locator('.vt-row-error');
    await err.waitFor();
    const text = (await err.textContent()) ?? '';
    expect(text).toContain('CONFLICT');
    expect(text).toContain(`The image "${used}" is used by container "berth-e2e-holder-${run}"`);
    await ui.dismissToasts();
    await screenshot(page, 'images-in-use-error-light');
    expect(await exists(usedId)).toBe(true);

    await row.getByRole('button', { name: `Remove ${used}` }).click();
    await confirm.waitFor();
    await confirm.getByLabel('Force').check();
    await confirm.getByRole('button', { name: 'Remove image' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await exists(usedId)).toBe(false);
    expect((await docker().getContainer(holder).inspect()).Id).toBe(holder);
  });

  it('removes an image after a confirmation naming all its tags', async () => {
    const { page } = opened;
    const a = `berth-e2e/gone-${run}:a`;
    const id = await build(a);
    await docker().getImage(id).tag({ repo: `berth-e2e/gone-${run}`, tag: 'b' });
    const row = ui.row(id);
    await row.locator('.tag', { hasText: '+1' }).waitFor();
    await row.getByRole('button', { name: `Remove ${a}` }).click();
    const confirm = ui.alertDialog(`Remove image ${a}?`);
    expect((await confirm.getByRole('list', { name: 'Affected items' }).locator('li').allTextContents()).sort()).toEqual([a, `berth-e2e/gone-${run}:b`]);
    await screenshot(page, 'images-remove-confirm-light');
    await confirm.getByRole('button', { name: 'Remove image' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await exists(id)).toBe(false);
  });

  it('previews a prune: the dangling images and the space reclaimed; all unused widens it; Cancel removes nothing', async () => {
    const { page } = opened;
    await ui.dismissToasts();
    await page.getByRole('button', { name: 'Prune…' }).click();
    const dlg = ui.alertDialog('Prune images');
    await dlg.waitFor();
    await dlg.locator('.prune-preview:not([aria-busy="true"])').waitFor();
    const list = dlg.getByRole('list', { name: 'Images to remove' });
    await list.locator('li', { hasText: short(danglingId) }).waitFor();
    expect(await list.locator('li', { hasText: short(danglingId) }).textContent()).toContain('<none>');
    expect(await list.getByText(plain).count()).toBe(0);
    expect(await dlg.getByTestId('prune-total').textContent()).toMatch(/^\d+ images?, reclaiming \d+(\.\d)? [kMG]?B\.$/);
    await screenshot(page, 'images-prune-light');
    await expectAxeClean(page);

    await dlg.getByLabel('All unused images').check();
    await list.locator('li', { hasText: plain }).waitFor();
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await dlg.waitFor({ state: 'detached' });
    expect(await exists(danglingId)).toBe(true);
    expect(await exists(plainId)).toBe(true);
  });

  it('saves an image to a file and loads it back', async () => {
    const { page } = opened;
    const file = path.join(tmp, 'plain.tar');
    await ui.row(plainId).click();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('complementary', { name: `Image ${plain}` });
    await panel.getByRole('button', { name: 'Save…' }).click();
    const save = page.getByRole('dialog', { name: `Save ${plain}` });
    await save.getByLabel('File', { exact: true }).fill('images.tar');
    await save.getByText('Give the full path (starting with /).').waitFor();
    await save.getByLabel('File', { exact: true }).fill(file);
    await save.getByRole('button', { name: 'Save', exact: true }).click();
    await save.locator('.img-result').waitFor({ timeout: 60_000 });
    expect(await save.locator('.img-result').textContent()).toMatch(new RegExp(`^Saved to ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(\\d+(\\.\\d)? MB\\)\\.$`));
    expect(fs.statSync(file).size).toBeGreaterThan(1_000_000);
    await save.getByRole('button', { name: 'Close', exact: true }).last().click();
    await panel.getByRole('button', { name: 'Close the details' }).click();

    await docker().getImage(plainId).remove({ force: true });
    await ui.row(plainId).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Load…' }).click();
    const load = ui.dialog('Load images from a file');
    await load.getByLabel('File', { exact: true }).fill(file);
    await load.getByRole('button', { name: 'Load', exact: true }).click();
    const loaded = load.getByRole('list', { name: 'Loaded images' });
    await loaded.waitFor({ timeout: 60_000 });
    expect((await loaded.locator('li').allTextContents()).sort()).toEqual([plain, `berth-e2e/plain-${run}:second`].sort());
    await load.getByRole('button', { name: 'Close', exact: true }).last().click();
    await ui.row(plainId).waitFor();
  });

  it('removes several selected images at once with the keyboard', async () => {
    const { page } = opened;
    const tag = `bulk-${run}`;
    const ids = [await build(`berth-e2e/${tag}-a:1`), await build(`berth-e2e/${tag}-b:1`)];
    await ui.search(tag);
    for (const id of ids) await ui.row(id).waitFor();
    await ui.table.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press(`${app.mod}+a`);
    await page.getByText('2 selected').waitFor();
    await page.keyboard.press('Delete');
    const confirm = ui.alertDialog('Remove 2 images?');
    await confirm.waitFor();
    expect((await confirm.getByRole('list', { name: 'Affected items' }).locator('li').allTextContents()).sort()).toEqual([`berth-e2e/${tag}-a:1`, `berth-e2e/${tag}-b:1`]);
    await confirm.getByRole('button', { name: 'Remove 2 images' }).click();
    for (const id of ids) await ui.row(id).waitFor({ state: 'detached' });
    for (const id of ids) expect(await exists(id)).toBe(false);
    await ui.search('');
  });

  it('passes axe and is saved as screenshots in light and dark themes', async () => {
    const { page } = opened;
    await ui.revisit();
    await ui.row(plainId).click();
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: `Image ${plain}` }).getByRole('tab', { name: 'Layers' }).click();
    await ui.dismissToasts();
    for (const theme of ['Light', 'Dark'] as const) {
      await app.setTheme(theme);
      await expect.poll(() => app.theme()).toBe(theme.toLowerCase());
      await screenshot(page, `images-${theme.toLowerCase()}`);
      await expectAxeClean(page, theme);
    }
    await page.getByRole('complementary', { name: `Image ${plain}` }).getByRole('button', { name: 'Close the details' }).click();
    await ui.filter('Dangling');
    await ui.search('zzz-nothing');
    await screenshot(page, 'images-no-match-dark');
    await ui.search('');
    await ui.filter('All');
    await page.getByRole('button', { name: 'Pull…' }).click();
    await ui.dialog('Pull an image').waitFor();
    await screenshot(page, 'images-pull-dark');
    await expectAxeClean(page);
    await page.keyboard.press('Escape');
    await app.setTheme('System');
  });

  it('reported no console errors', () => {
    expect(opened.errors).toEqual([]);
  });
});
