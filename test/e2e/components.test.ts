import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { serveGallery, type Gallery } from './support/gallery';
import { axeViolations, browserUnavailable, describeViolations, launchBrowser, openPage, screenshot, type OpenedPage } from './support/browser';

/** The building blocks in a real browser, on renderer/dev/gallery.html (2,000 fixture rows). */
describe.skipIf(browserUnavailable() !== null)('renderer components', () => {
  let gallery: Gallery;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let grid: Locator;
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
  const activeRow = async () => {
    const id = await grid.getAttribute('aria-activedescendant');
    return id ? page.locator(`[id="${id}"]`).getAttribute('data-row-id') : null;
  };
  const selectedCount = async () => Number(((await page.getByTestId('selected-count').textContent()) ?? '').split(' ')[0]);
  const row = (id: string) => grid.locator(`[data-row-id="${id}"]`);

  beforeAll(async () => {
    gallery = await serveGallery();
    browser = await launchBrowser();
    opened = await openPage(browser, gallery.url);
    page = opened.page;
    grid = page.getByRole('grid', { name: 'Demo rows' });
    await row('row-0001').waitFor();
  });
  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    await gallery?.close();
  });

  it('virtualizes 2,000 rows and exposes the grid structure', async () => {
    expect(await grid.getAttribute('aria-rowcount')).toBe('2001');
    const rendered = await grid.getByRole('row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
  });

  it('keeps a few rows rendered below the viewport (mounted once the page is idle after its first rows)', async () => {
    const below = () =>
      grid.evaluate((g) => {
        const bottom = g.getBoundingClientRect().bottom;
        return [...g.querySelectorAll('[role="row"][data-row-id]')].filter((r) => r.getBoundingClientRect().top >= bottom).length;
      });
    await expect.poll(below).toBeGreaterThanOrEqual(3);
  });

  it('moves through rows with the keyboard and keeps the active row in view', async () => {
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    expect(await activeRow()).toBe('row-0001');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await activeRow()).toBe('row-0003');
    await page.keyboard.press('End');
    await row('row-2000').waitFor();
    await expect.poll(activeRow).toBe('row-2000');
    expect(await row('row-0001').count()).toBe(0);
    await page.keyboard.press('Home');
    // Scrolling back renders the first rows on a later frame: wait for them, under any load.
    await row('row-0001').waitFor();
    await expect.poll(activeRow).toBe('row-0001');
  });

  it('selects with Space, Shift+arrows, checkboxes, Shift+click and Mod+A; Escape clears', async () => {
    await grid.focus();
    await page.keyboard.press('Space');
    expect(await selectedCount()).toBe(1);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    expect(await selectedCount()).toBe(3);
    expect(await row('row-0003').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Escape');
    expect(await selectedCount()).toBe(0);

    await row('row-0002').getByRole('checkbox').click();
    await row('row-0006').getByRole('checkbox').click({ modifiers: ['Shift'] });
    expect(await selectedCount()).toBe(5);
    await page.keyboard.press(`${mod}+a`);
    expect(await selectedCount()).toBe(2000);
    expect(await grid.getByRole('checkbox', { name: 'Select all rows' }).isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await selectedCount()).toBe(0);
  });

  it('sorts by a column in both directions', async () => {
    const nameHeader = grid.getByRole('columnheader', { name: 'Name' });
    await nameHeader.getByRole('button').click();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await nameHeader.getByRole('button').click();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');
    await row('row-2000').waitFor();
    const first = grid.locator('.vt-body [role="row"]').first();
    expect(await first.getAttribute('data-row-id')).toBe('row-2000');
    const size = grid.getByRole('columnheader', { name: 'Size' });
    await size.getByRole('button').click();
    expect(await size.getAttribute('aria-sort')).toBe('ascending');
    expect(await nameHeader.getAttribute('aria-sort')).toBeNull();
    await nameHeader.getByRole('button').click();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
  });

  it('confirms a removal naming the row, traps focus, cancels with Escape', async () => {
    await row('row-0002').hover();
    await row('row-0002').getByRole('button', { name: 'Remove row-0002' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Remove row-0002?' });
    await dialog.waitFor();
    expect(await dialog.getByRole('list', { name: 'Affected items' }).textContent()).toBe('row-0002');
    // Destructive: Cancel has the focus; Tab stays inside the dialog.
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    expect(await dialog.evaluate((el) => (el as unknown as { contains(n: unknown): boolean }).contains((globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement))).toBe(true);
    await screenshot(page, 'components-confirm');
    const v = await axeViolations(page);
    expect(v, describeViolations(v)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await row('row-0002').count()).toBe(1);
  });

  it('removes after confirmation, and shows a failure on its row', async () => {
    await row('row-0002').hover();
    await row('row-0002').getByRole('button', { name: 'Remove row-0002' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
    await row('row-0002').waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Removed row-0002' }).waitFor();

    await row('row-0003').hover();
    await row('row-0003').getByRole('button', { name: 'Remove row-0003' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
    const err = row('row-0003').locator('.vt-row-error');
    await err.waitFor();
    expect(await err.textContent()).toContain('Removing failed: row-0003 is running. Stop it first, or force the removal.');
    expect(await err.textContent()).toContain('CONTAINER_RUNNING');
    await screenshot(page, 'components-row-error');
    await err.getByRole('button', { name: 'Dismiss the error on row-0003' }).click();
    await err.waitFor({ state: 'detached' });
  });

  it('shows a pending action on its row until it settles', async () => {
    await row('row-0005').hover();
    await row('row-0005').getByRole('button', { name: 'Stop row-0005' }).click();
    await expect.poll(() => row('row-0005').getAttribute('aria-busy')).toBe('true');
    expect(await row('row-0005').textContent()).toContain('Stopping…');
    await page.evaluate(() => (globalThis as unknown as { __releaseStops(): void }).__releaseStops());
    await expect.poll(() => row('row-0005').getAttribute('aria-busy')).toBeNull();
    expect(await row('row-0005').textContent()).toContain('exited');
  });

  it('filters with the search box; Escape clears it', async () => {
    const search = page.getByRole('searchbox', { name: 'Filter rows' });
    await search.fill('row-001');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('11');
    await search.press('Escape');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).not.toBe('11');
  });

  it('a filter hands the elements of rows that left to rows that came in, each showing its own row; rows that stay keep theirs', async () => {
    const search = page.getByRole('searchbox', { name: 'Filter rows' });
    await search.fill('');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).not.toBe('11');
    await grid.focus();
    await page.keyboard.press('Home');
    // (row-0002 was removed above.)
    await row('row-0004').getByRole('checkbox').click();
    expect(await selectedCount()).toBe(1);
    // Each row element notes the row it showed (under `mark`), then the filter changes every row in view.
    const mark = (name: string) =>
      grid.evaluate((g, n) => {
        for (const el of (g as unknown as { querySelectorAll(s: string): Iterable<{ dataset: Record<string, string | undefined> }> }).querySelectorAll('[data-row-id]')) el.dataset[n] = el.dataset.rowId;
      }, name);
    const rowsNow = () =>
      grid.evaluate((g) =>
        [...(g as unknown as { querySelectorAll(s: string): Iterable<{ dataset: Record<string, string | undefined>; getAttribute(n: string): string | null; querySelector(s: string): { textContent: string | null; getAttribute(n: string): string | null; checked?: boolean } | null }> }).querySelectorAll('[data-row-id]')].map((el) => ({
          id: el.dataset.rowId,
          was: el.dataset.was,
          was2: el.dataset.was2,
          selected: el.getAttribute('aria-selected'),
          name: el.querySelector('.mono')?.textContent,
          check: el.querySelector('input[type="checkbox"]')?.getAttribute('aria-label'),
          checked: el.querySelector('input[type="checkbox"]')?.checked,
          stop: el.querySelector('button')?.getAttribute('aria-label'),
        })),
      );
    await mark('was');
    await search.fill('row-01');
    await expect.poll(async () => (await rowsNow()).every((r) => /^row-01\d\d$/.test(r.id ?? ''))).toBe(true);
    const after = await rowsNow();
    expect(after.length).toBeGreaterThan(5);
    // Elements were handed on (row-0004's too), and each shows its new row throughout: name, checkbox, selection, actions.
    expect(after.filter((r) => r.was !== undefined).length).toBeGreaterThan(0);
    expect(after.find((r) => r.was === 'row-0004')).toMatchObject({ checked: false, selected: 'false' });
    for (const r of after) {
      expect(r.id).toMatch(/^row-01\d\d$/);
      expect(r).toMatchObject({ name: r.id, check: `Select ${r.id}`, checked: false, selected: 'false', stop: `Stop ${r.id}` });
    }
    await mark('was2');
    await search.fill('row-010');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('11');
    // Narrowing keeps row-0100…row-0109 in view: each keeps the element it had.
    for (const r of await rowsNow()) expect(r.was2).toBe(r.id);
    await search.press('Escape');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).not.toBe('11');
    await grid.focus();
    await page.keyboard.press('Escape');
    expect(await selectedCount()).toBe(0);
  });

  it('moves between tabs with arrow keys', async () => {
    const logs = page.getByRole('tab', { name: 'Logs' });
    await logs.click();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Inspect' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowRight'); // Stats is disabled: wraps to Logs
    expect(await logs.getAttribute('aria-selected')).toBe('true');
  });

  it('passes axe in both themes, with toasts shown', async () => {
    await page.getByRole('button', { name: 'Error toast' }).click();
    await page.getByRole('button', { name: 'Success toast' }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not start web-1' }).waitFor();
    const light = await axeViolations(page);
    expect(light, describeViolations(light)).toEqual([]);
    await screenshot(page, 'components-light', { fullPage: true });
    const dark = await openPage(browser, `${gallery.url}?theme=dark`, { colorScheme: 'dark' });
    try {
      await dark.page.getByRole('grid', { name: 'Demo rows' }).locator('[data-row-id="row-0001"]').waitFor();
      await dark.page.getByRole('button', { name: 'Error toast' }).click();
      const v = await axeViolations(dark.page);
      expect(v, describeViolations(v)).toEqual([]);
      await screenshot(dark.page, 'components-dark', { fullPage: true });
      expect(dark.errors).toEqual([]);
    } finally {
      await dark.close();
    }
    expect(opened.errors).toEqual([]);
  });
});
