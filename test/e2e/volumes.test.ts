import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { describeEngine, rawDocker, useEngine } from '../support/engine';
import { exists, objectsKit, type ObjectsKit } from '../contract/system-kit';
import type { AppPage } from './support/app-page';
import { openBerthPage, type BerthSession } from './support/session';
import { browserUnavailable, screenshot, type OpenedPage } from './support/browser';
import { expectAxeClean } from './support/axe';

const noBrowser = browserUnavailable();

/** The volumes page as a user sees it. */
class VolumesUi {
  constructor(
    readonly app: AppPage,
    readonly page: Page,
  ) {}
  get table(): Locator {
    return this.app.table('Volumes');
  }
  row(name: string): Locator {
    return this.table.locator(`[role="row"][data-row-id="${name}"]`);
  }
  get dialog(): Locator {
    return this.page.locator('dialog[open]');
  }
  async search(q: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Filter volumes' }).fill(q);
  }
  /** Leaves the page and comes back (the page fetches its list when it opens). */
  async revisit(): Promise<void> {
    await this.app.gotoPage('images');
    await this.app.gotoPage('volumes');
    await this.table.or(this.page.getByRole('heading', { name: 'No volumes yet' })).waitFor();
  }
}

describeEngine('volumes page', () => {
  let session: BerthSession | undefined;
  let opened: OpenedPage;
  let app: AppPage;
  let ui: VolumesUi;
  let kit: ObjectsKit;
  const docker = () => rawDocker();
  const volExists = (name: string) => exists(() => docker().getVolume(name).inspect());

  beforeAll(async () => {
    if (noBrowser) throw new Error(noBrowser);
    kit = objectsKit(docker(), useEngine().images.busybox, 'e2e-volumes');
    session = await openBerthPage('volumes');
    ({ opened, app } = session);
    ui = new VolumesUi(app, opened.page);
  });
  afterAll(async () => {
    await session?.close();
    await kit?.cleanup();
  });

  it('creates a volume from the dialog, validating as you type, and the engine has it', async () => {
    const { page } = opened;
    const name = kit.name('ui');
    await page.getByRole('button', { name: 'Create volume' }).click();
    const dlg = page.getByRole('dialog', { name: 'Create a volume' });
    await dlg.waitFor();
    const nameInput = dlg.getByLabel('Name');
    expect(await nameInput.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);

    await nameInput.fill('x');
    await dlg.getByText('must be at least 2 characters').waitFor();
    expect(await nameInput.getAttribute('aria-invalid')).toBe('true');
    await nameInput.fill('-bad');
    await dlg.getByText('must start with a letter or digit').waitFor();
    await nameInput.fill(name);
    expect(await nameInput.getAttribute('aria-invalid')).toBeNull();

    for (const [i, [k, v]] of Object.entries(kit.labels).entries()) {
      await dlg.getByRole('button', { name: 'Add label' }).click();
      await dlg.getByLabel(`Label ${i + 1} key`).fill(k);
      await dlg.getByLabel(`Label ${i + 1} value`).fill(v);
    }
    await screenshot(page, 'volumes-create-light');
    await expectAxeClean(page);

    await dlg.getByRole('button', { name: 'Create', exact: true }).click();
    await dlg.waitFor({ state: 'detached' });
    await ui.row(name).waitFor();
    const raw = await docker().getVolume(name).inspect();
    expect(raw.Driver).toBe('local');
    expect(raw.Labels).toMatchObject(kit.labels);
    expect(await ui.row(name).textContent()).toContain('Not used');

    // The same name again is caught before the engine is asked.
    await page.getByRole('button', { name: 'Create volume' }).click();
    await dlg.getByLabel('Name').fill(name);
    await dlg.getByText(`A volume named "${name}" already exists.`).waitFor();
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });
  });

  it('shows the engine’s refusal on the row of a volume in use, naming the container, and keeps it', async () => {
    const { page } = opened;
    const name = kit.name('busy');
    await docker().createVolume({ Name: name, Labels: kit.labels });
    const cname = kit.name('holder');
    await kit.container({ name: cname, mounts: [{ Type: 'volume', Source: name, Target: '/data' }] });
    await ui.revisit();
    const row = ui.row(name);
    await row.waitFor();
    expect(await row.getByRole('link', { name: cname }).getAttribute('href')).toMatch(/^#\/containers\/[0-9a-f]{64}$/);

    await row.getByRole('button', { name: `Remove volume ${name}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Remove volume ${name}?` });
    await confirm.waitFor();
    expect(await confirm.getByRole('list', { name: 'Affected items' }).textContent()).toBe(name);
    expect(await confirm.textContent()).toContain(`It is used by ${cname}`);
    // Cancel has the focus in a destructive confirmation.
    expect(await confirm.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
    await confirm.getByRole('button', { name: 'Remove volume' }).click();
    await confirm.waitFor({ state: 'detached' });

    const err = row.locator('.vt-row-error');
    await err.waitFor();
    const text = (await err.textContent()) ?? '';
    expect(text).toContain('Removing failed');
    expect(text).toContain(`The volume "${name}" is used by container "${cname}"`);
    expect(text).toContain('VOLUME_IN_USE');
    await screenshot(page, 'volumes-in-use-error-light');
    expect(await volExists(name)).toBe(true);
    await row.getByRole('button', { name: `Dismiss the error on ${name}` }).click();
    await err.waitFor({ state: 'detached' });
  });

  it('filters by name, container and label, and shows details', async () => {
    const { page } = opened;
    const name = kit.name('findme');
    await docker().createVolume({ Name: name, Labels: { ...kit.labels, 'berth.e2e.purpose': 'needle' } });
    await ui.revisit();
    await ui.search('purpose=needle');
    await ui.row(name).waitFor();
    await expect.poll(() => ui.table.locator('[role="row"][data-row-id]').count()).toBe(1);
    await ui.search('no-such-volume-anywhere');
    await ui.table.getByText('No volume matches').waitFor();
    await ui.search(name);
    await ui.row(name).getByRole('button', { name: `Show details of ${name}` }).click();
    const panel = page.getByRole('complementary', { name: `Volume ${name}` });
    await panel.waitFor();
    const raw = await docker().getVolume(name).inspect();
    expect(await panel.textContent()).toContain(raw.Mountpoint);
    expect(await panel.textContent()).toContain('needle');
    await panel.getByRole('button', { name: 'Close the details' }).click();
    await ui.search('');
  });

  it('removes one volume after a confirmation naming it', async () => {
    const { page } = opened;
    const name = kit.name('gone');
    await docker().createVolume({ Name: name, Labels: kit.labels });
    await ui.revisit();
    await ui.row(name).getByRole('button', { name: `Remove volume ${name}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Remove volume ${name}?` });
    await confirm.getByRole('button', { name: 'Remove volume' }).click();
    await ui.row(name).waitFor({ state: 'detached' });
    expect(await volExists(name)).toBe(false);
  });

  it('removes several selected volumes at once with the keyboard', async () => {
    const { page } = opened;
    const tag = kit.name('bulk');
    const names = [`${tag}-a`, `${tag}-b`, `${tag}-c`];
    for (const n of names) await docker().createVolume({ Name: n, Labels: kit.labels });
    await ui.revisit();
    await ui.search(tag);
    for (const n of names) await ui.row(n).waitFor();
    await ui.table.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press(`${app.mod}+a`);
    await page.getByText('3 selected').waitFor();
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('alertdialog', { name: 'Remove 3 volumes?' });
    await confirm.waitFor();
    expect((await confirm.getByRole('list', { name: 'Affected items' }).locator('li').allTextContents()).sort()).toEqual(names);
    await confirm.getByRole('button', { name: 'Remove 3 volumes' }).click();
    for (const n of names) await ui.row(n).waitFor({ state: 'detached' });
    for (const n of names) expect(await volExists(n)).toBe(false);
    await ui.search('');
  });

  it('previews a prune: the unused volumes and the space they free, nothing in use; Cancel removes nothing', async () => {
    const { page } = opened;
    const unused = kit.name('unused');
    await docker().createVolume({ Name: unused, Labels: kit.labels });
    const used = kit.name('used');
    await docker().createVolume({ Name: used, Labels: kit.labels });
    await kit.container({ name: kit.name('user'), start: false, mounts: [{ Type: 'volume', Source: used, Target: '/data' }] });
    await ui.revisit();

    await page.getByRole('button', { name: 'Prune…' }).click();
    const dlg = page.getByRole('alertdialog', { name: 'Prune unused volumes' });
    await dlg.waitFor();
    // Named volumes go only when asked.
    await dlg.locator('.prune-preview:not([aria-busy="true"])').waitFor();
    expect(await dlg.getByRole('list', { name: 'Volumes to remove' }).getByText(unused).count()).toBe(0);
    await dlg.getByLabel('Also remove unused named volumes').check();
    const list = dlg.getByRole('list', { name: 'Volumes to remove' });
    await list.getByText(unused, { exact: true }).waitFor();
    expect(await list.getByText(used, { exact: true }).count()).toBe(0);
    expect(await dlg.getByTestId('prune-total').textContent()).toMatch(/volumes?, reclaiming \d+(\.\d)? [kMGT]?B\./);
    await screenshot(page, 'volumes-prune-light');
    await expectAxeClean(page);
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await dlg.waitFor({ state: 'detached' });
    expect(await volExists(unused)).toBe(true);
    expect(await volExists(used)).toBe(true);
  });

  it('follows the engine without a reload (change feed): a volume made, used, freed and removed outside Berth', async () => {
    const name = kit.name('outside');
    await docker().createVolume({ Name: name, Labels: kit.labels });
    const row = ui.row(name);
    await row.waitFor({ timeout: 5000 });
    expect(await row.textContent()).toContain('Not used');
    const cname = kit.name('mounter');
    const c = await kit.container({ name: cname, start: false, mounts: [{ Type: 'volume', Source: name, Target: '/data' }] });
    await row.getByRole('link', { name: cname }).waitFor({ timeout: 5000 });
    await c.remove({ force: true });
    await row.getByText('Not used').waitFor({ timeout: 5000 });
    await docker().getVolume(name).remove();
    await row.waitFor({ state: 'detached', timeout: 5000 });
  });

  it('passes axe and is saved as screenshots in light and dark themes', async () => {
    const { page } = opened;
    await ui.revisit();
    for (const theme of ['Light', 'Dark'] as const) {
      await app.setTheme(theme);
      await expect.poll(() => app.theme()).toBe(theme.toLowerCase());
      await screenshot(page, `volumes-${theme.toLowerCase()}`);
      await expectAxeClean(page, theme);
    }
    // The page's actions are in the command palette too.
    await app.runCommand('create a volume');
    await page.getByRole('dialog', { name: 'Create a volume' }).waitFor();
    await page.getByRole('dialog', { name: 'Create a volume' }).getByRole('button', { name: 'Create', exact: true }).focus();
    await screenshot(page, 'volumes-create-dark');
    await expectAxeClean(page);
    await page.keyboard.press('Escape');
    await app.setTheme('System');
  });

  it('reported no console errors', () => {
    expect(opened.errors).toEqual([]);
  });
});
