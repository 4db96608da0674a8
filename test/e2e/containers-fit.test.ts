import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { describeEngine, rawDocker, randomSuffix, TEST_LABEL, useEngine } from '../support/engine';
import { freeLocalPort } from '../contract/containers-support';
import { screenshot } from './support/browser';
import { openContainersPage, type ContainersSession } from './support/containers-page';

const sfx = randomSuffix();
const RUNNING = `berth-e2e-fit-running-${sfx}`;
const VICTIM = `berth-e2e-fit-victim-${sfx}`;
const VOLUME = `berth-e2e-fit-${sfx}`;
/** Berth's default window (electron/main/window.ts DEFAULT_SIZE) and its minimum width. */
const DEFAULT = { width: 1280, height: 820 };
const NARROW = { width: 720, height: 820 };

type Box = { x: number; y: number; width: number; height: number };
type El = { scrollWidth: number; clientWidth: number; scrollLeft: number; scrollHeight: number; clientHeight: number; getBoundingClientRect(): Box };

const opacity = (l: Locator) => l.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(el).opacity);

async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error(`${String(l)} is not laid out`);
  return b;
}

/** The part of the page the grid shows (its scrollport without a vertical scroll bar). */
async function visibleArea(grid: Locator): Promise<{ left: number; right: number }> {
  return grid.evaluate((el) => {
    const e = el as unknown as El;
    const r = e.getBoundingClientRect();
    return { left: r.x, right: r.x + e.clientWidth };
  });
}

async function expectInside(l: Locator, grid: Locator, what: string): Promise<void> {
  const area = await visibleArea(grid);
  const b = await box(l);
  expect(b.x, `${what}: left edge`).toBeGreaterThanOrEqual(area.left - 0.5);
  expect(b.x + b.width, `${what}: right edge`).toBeLessThanOrEqual(area.right + 0.5);
}

/** The containers table at Berth's default window size and at its narrowest (browser, private dockerd). */
describeEngine('containers page: the table fits the default window, row actions and errors stay in view when narrow', () => {
  let s: ContainersSession;
  const page = () => s.opened.page;
  const grid = () => s.ui.grid;
  let port = 0;

  beforeAll(async () => {
    const docker = rawDocker();
    port = await freeLocalPort();
    const binding = { HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } }, ExposedPorts: { '80/tcp': {} } };
    const base = { Image: useEngine().images.busybox, Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' } };
    const running = await docker.createContainer({ ...base, ...binding, name: RUNNING });
    await running.start();
    // Publishes the same host port: its start fails with PORT_ALLOCATED (an error line on its row).
    await docker.createContainer({ ...base, ...binding, name: VICTIM });
    // The Volumes page lists one (its detail pane is checked too).
    await docker.createVolume({ Name: VOLUME, Labels: { [TEST_LABEL]: '1' } });
    s = await openContainersPage();
    await page().setViewportSize(DEFAULT);
    await s.ui.row(RUNNING).waitFor({ timeout: 10_000 });
    await s.ui.filter(sfx);
    await s.ui.row(VICTIM).waitFor();
    await s.ui.row(RUNNING).locator('.ctr-state[data-state="running"]').waitFor();
  });

  afterAll(async () => {
    await s?.close();
    const docker = rawDocker();
    const mine = await docker.listContainers({ all: true, filters: { name: [sfx] } });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    await docker.getVolume(VOLUME).remove().catch(() => undefined);
  });

  const actionsOf = (name: string) => ['Stop', 'Restart', 'Pause', 'Remove', 'Open a terminal in', 'Open details of'].map((v) => s.ui.row(name).getByRole('button', { name: `${v} ${name}`, exact: true }));

  it('at 1280×820 every default column and the row actions fit: no sideways scroll', async () => {
    const sizes = await grid().evaluate((el) => ({ scroll: (el as unknown as El).scrollWidth, client: (el as unknown as El).clientWidth }));
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
    for (const header of ['State', 'Name', 'Image', 'Ports', 'Security', 'CPU', 'Memory', 'Uptime']) await expectInside(grid().getByRole('columnheader', { name: header }), grid(), header);

    await s.ui.row(RUNNING).getByRole('gridcell').getByText(RUNNING, { exact: true }).hover();
    for (const b of actionsOf(RUNNING)) {
      await expect.poll(() => opacity(b)).toBe('1');
      await expectInside(b, grid(), String(b));
    }
    // The actions cover the row's last cells while they show; they are still the row's grid cells, in the Tab order of the active row.
    expect(await s.ui.row(RUNNING).getByRole('gridcell').filter({ has: page().getByRole('button', { name: `Stop ${RUNNING}`, exact: true }) }).count()).toBe(1);
    for (const theme of ['Light', 'Dark'] as const) {
      await s.app.setTheme(theme);
      await expect.poll(() => s.app.theme()).toBe(theme.toLowerCase());
      await s.ui.row(RUNNING).getByRole('gridcell').getByText(RUNNING, { exact: true }).hover();
      await page().waitForTimeout(200); // let colour transitions settle for the picture
      await screenshot(page(), `containers-fit-1280-${theme.toLowerCase()}`);
      await s.ui.axe(`containers at 1280 (${theme})`);
    }
    await s.app.setTheme('System');
  });

  it('at 1280×820 with the detail pane open the narrowed list fits too', async () => {
    await s.ui.row(RUNNING).getByRole('gridcell').getByText(RUNNING, { exact: true }).click();
    await s.ui.detail.waitFor();
    await expect.poll(() => grid().evaluate((el) => (el as unknown as El).scrollWidth <= (el as unknown as El).clientWidth)).toBe(true);
    await expectInside(s.ui.row(RUNNING).getByRole('button', { name: `Stop ${RUNNING}`, exact: true }), grid(), 'the compact row action');
    await s.ui.detail.getByRole('button', { name: 'Close the details' }).click();
    await s.ui.detail.waitFor({ state: 'detached' });
  });

  it('a row error at 1280 shows whole inside the table', async () => {
    await s.ui.row(VICTIM).getByRole('gridcell').getByText(VICTIM, { exact: true }).hover();
    await s.ui.row(VICTIM).getByRole('button', { name: `Start ${VICTIM}`, exact: true }).click();
    const error = s.ui.row(VICTIM).locator('.vt-row-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toContain(`host port ${port} is already in use`);
    await expectInside(error, grid(), 'row error');
    const text = error.locator('.vt-row-error-text');
    expect(await text.evaluate((el) => (el as unknown as El).scrollHeight <= (el as unknown as El).clientHeight + 1)).toBe(true);
    expect(await grid().evaluate((el) => (el as unknown as El).scrollWidth <= (el as unknown as El).clientWidth)).toBe(true);
  });

  it('at 720 px the table scrolls sideways, yet a row’s actions and its error stay in the visible part', async () => {
    await page().setViewportSize(NARROW);
    const error = s.ui.row(VICTIM).locator('.vt-row-error');
    await error.waitFor();
    await expect.poll(() => grid().evaluate((el) => (el as unknown as El).scrollWidth > (el as unknown as El).clientWidth)).toBe(true);
    // The toolbar gives way too: its Columns… button is in view.
    await expectInside(page().getByRole('button', { name: 'Columns…' }), grid(), 'the Columns… button');
    const max = await grid().evaluate((el) => (el as unknown as El).scrollWidth - (el as unknown as El).clientWidth);
    for (const [i, left] of [0, Math.round(max / 2), max].entries()) {
      await grid().evaluate((el, x) => ((el as unknown as El).scrollLeft = x), left);
      // The pointer on the row's visible part (a hover on an element would scroll it into view).
      const area = await visibleArea(grid());
      const row = await box(s.ui.row(RUNNING));
      await page().mouse.move((area.left + area.right) / 2, row.y + 16);
      expect(await grid().evaluate((el) => (el as unknown as El).scrollLeft)).toBe(left);
      for (const b of actionsOf(RUNNING)) {
        await expect.poll(() => opacity(b)).toBe('1');
        await expectInside(b, grid(), `${String(b)} at scrollLeft ${left}`);
      }
      await expectInside(error, grid(), `row error at scrollLeft ${left}`);
      const text = error.locator('.vt-row-error-text');
      expect(await text.evaluate((el) => (el as unknown as El).scrollHeight <= (el as unknown as El).clientHeight + 1)).toBe(true);
      if (i === 0) await screenshot(page(), 'containers-fit-720-start');
      if (left === max) await screenshot(page(), 'containers-fit-720-end');
    }
    await s.app.setTheme('Dark');
    await expect.poll(() => s.app.theme()).toBe('dark');
    await page().waitForTimeout(200); // let colour transitions settle for the picture
    await screenshot(page(), 'containers-fit-720-end-dark');
    await s.ui.axe('containers at 720 (Dark)');
    await s.app.setTheme('System');
    // The keyboard: the active row's buttons are in the Tab order and scrolled into view when focused.
    await grid().evaluate((el) => ((el as unknown as El).scrollLeft = 0));
    await page().mouse.move(0, 0);
    await grid().focus();
    await page().keyboard.press('Home');
    await expect.poll(() => s.ui.row(RUNNING).getAttribute('class')).toContain('is-active');
    // (The headers' sort buttons and the published port's link come first.)
    const focused = page().locator(':focus');
    for (let i = 0; i < 20 && (await focused.getAttribute('aria-label')) !== `Stop ${RUNNING}`; i++) await page().keyboard.press('Tab');
    expect(await focused.getAttribute('aria-label')).toBe(`Stop ${RUNNING}`);
    await expectInside(focused, grid(), 'the focused Stop button');
    await s.ui.axe('containers at 720');
    await page().setViewportSize(DEFAULT);
  });

  it('the other list pages fit at 1280×820, with and without their detail pane', async () => {
    // Polled: the grid's width settles a frame after the detail pane opens (its ResizeObserver). A failure shows the sizes
    // and the first elements that reach past the visible part.
    const fit = (g: Locator) =>
      g.evaluate((el) => {
        const e = el as unknown as El & { querySelectorAll(s: string): ArrayLike<{ className: string; getBoundingClientRect(): Box }> };
        const right = e.getBoundingClientRect().x + e.clientWidth;
        const over = Array.from(e.querySelectorAll('*'))
          .filter((k) => k.getBoundingClientRect().x + k.getBoundingClientRect().width > right + 0.5)
          .slice(0, 4)
          .map((k) => `${String(k.className)} → ${Math.round(k.getBoundingClientRect().x + k.getBoundingClientRect().width - right)} px past`);
        return { fits: e.scrollWidth <= e.clientWidth, scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, over };
      });
    for (const [id, label] of [['images', 'Images'], ['volumes', 'Volumes'], ['networks', 'Networks']] as const) {
      await s.app.gotoPage(id);
      const g = s.app.table(label);
      const first = g.locator('[role=row][data-row-id]').first();
      await first.waitFor();
      await expect.poll(() => fit(g), { message: `${label}: no sideways scroll` }).toMatchObject({ fits: true });
      // A double-click opens the row's details beside a list of fewer columns.
      const cols = Number(await g.getAttribute('aria-colcount'));
      await first.locator('[role=gridcell]').nth(1).dblclick();
      await expect.poll(async () => Number(await g.getAttribute('aria-colcount'))).toBeLessThan(cols);
      await expect.poll(() => fit(g), { message: `${label} with its details: no sideways scroll` }).toMatchObject({ fits: true });
      await screenshot(page(), `containers-fit-1280-${id}-detail`);
    }
    await s.app.gotoPage('containers');
  });
});
