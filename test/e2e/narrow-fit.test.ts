import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { describeEngine, rawDocker, randomSuffix, TEST_LABEL, useEngine } from '../support/engine';
import { screenshot } from './support/browser';
import { openContainersPage, type ContainersSession } from './support/containers-page';

const sfx = randomSuffix();
const RUNNING = `berth-e2e-narrow-${sfx}`;
const VOLUME = `berth-e2e-narrow-${sfx}`;
/** Berth's minimum window (electron/main/window.ts MIN_SIZE) and its default one. */
const NARROW = { width: 720, height: 480 };
const DEFAULT = { width: 1280, height: 820 };
const THEMES = ['Light', 'Dark'] as const;

/** expect.poll with room for a loaded machine (a route change, a re-render, a theme switch). */
const poll = <T>(fn: () => T | Promise<T>, message?: string) => expect.poll(fn, { timeout: 10_000, ...(message ? { message } : {}) });

type Box = { x: number; y: number; width: number; height: number };
type El = { scrollWidth: number; clientWidth: number; getBoundingClientRect(): Box };
type Doc = { documentElement: El; querySelectorAll(s: string): ArrayLike<El> };

/** Scroll widths beyond client widths: the document and every part of the main area that could scroll the page sideways. */
function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: Doc }).document;
    const out: string[] = [];
    const check = (what: string, e: El | undefined) => {
      if (e && e.scrollWidth > e.clientWidth + 1) out.push(`${what}: ${e.scrollWidth} > ${e.clientWidth}`);
    };
    check('document', doc.documentElement);
    for (const sel of ['main.main', '.page', '.page-body']) Array.from(doc.querySelectorAll(sel)).forEach((e) => check(sel, e));
    return out;
  });
}

async function expectInViewport(page: Page, l: Locator, what: string): Promise<void> {
  const b = await l.boundingBox();
  if (!b) throw new Error(`${what} is not laid out`);
  const width = page.viewportSize()!.width;
  expect(b.x, `${what}: left edge`).toBeGreaterThanOrEqual(-0.5);
  expect(b.x + b.width, `${what}: right edge within ${width}`).toBeLessThanOrEqual(width + 0.5);
}

/** Berth at its minimum window width (720 px): detail panes take the room, no page scrolls sideways as a whole (browser, private dockerd). */
describeEngine('narrow window: detail panes and settings fit without sideways page scroll', () => {
  let s: ContainersSession;
  const page = () => s.opened.page;

  beforeAll(async () => {
    const docker = rawDocker();
    const c = await docker.createContainer({ Image: useEngine().images.busybox, Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' }, name: RUNNING });
    await c.start();
    await docker.createVolume({ Name: VOLUME, Labels: { [TEST_LABEL]: '1' } });
    s = await openContainersPage();
    await page().setViewportSize(NARROW);
    await s.ui.row(RUNNING).waitFor({ timeout: 10_000 });
    await s.ui.filter(sfx);
    await s.ui.row(RUNNING).locator('.ctr-state[data-state="running"]').waitFor();
  });

  /** A picture in each theme (test-results/screenshots/<name>-light|dark.png), and axe clean in each. */
  async function picturesAndAxe(name: string, what: string): Promise<void> {
    for (const theme of THEMES) {
      await s.app.setTheme(theme);
      await poll(() => s.app.theme()).toBe(theme.toLowerCase());
      await page().waitForTimeout(200); // let colour transitions settle for the picture
      await screenshot(page(), `${name}-${theme.toLowerCase()}`);
      await s.ui.axe(`${what} (${theme})`);
    }
    await s.app.setTheme('System');
  }

  afterAll(async () => {
    await s?.close();
    const docker = rawDocker();
    await docker.getContainer(RUNNING).remove({ force: true }).catch(() => undefined);
    await docker.getVolume(VOLUME).remove().catch(() => undefined);
  });

  it('at 720 px a container’s detail pane takes the room: no sideways page scroll, its header and tabs in view', async () => {
    await s.ui.row(RUNNING).getByRole('gridcell').getByText(RUNNING, { exact: true }).click();
    await s.ui.detail.waitFor();
    await s.ui.detail.getByRole('tab', { name: 'Overview' }).waitFor();
    await poll(() => sidewaysOverflow(page())).toEqual([]);
    await expectInViewport(page(), s.ui.detail.getByRole('button', { name: 'Close the details' }), 'the Close button');
    await expectInViewport(page(), s.ui.detail.getByRole('tablist', { name: 'Container details' }), 'the tab strip');
    await expectHeaderInView(page(), 'Containers');
    for (const b of await s.ui.detail.locator('.detail-header').getByRole('button').all()) await expectInViewport(page(), b, `detail header: ${await b.getAttribute('aria-label')}`);
    await expectInViewport(page(), s.ui.detail.getByRole('tab', { name: 'Overview' }), 'the Overview tab');
    // More tabs than room: the strip fades at its right edge, and every tab is reachable (chosen with the keyboard, it scrolls into the strip's view).
    const strip = s.ui.detail.getByRole('tablist', { name: 'Container details' });
    await poll(() => strip.getAttribute('data-more-right')).toBe('true');
    expect(await strip.getAttribute('data-more-left')).toBeNull();
    const tabs = strip.getByRole('tab');
    const n = await tabs.count();
    const tab = strip.getByRole('tab', { selected: true });
    for (let i = 1; i < n; i++) {
      // (A tab's panel may take the focus, e.g. the terminal: back to the strip first.)
      await tab.focus();
      await page().keyboard.press('ArrowRight');
      await poll(() => tab.textContent()).toBe(await tabs.nth(i).textContent());
      await poll(async () => (await tab.boundingBox())?.x ?? -1).toBeGreaterThanOrEqual(0);
      await expectInViewport(page(), tab, `tab ${i + 1} of ${n}`);
      expect(await sidewaysOverflow(page())).toEqual([]);
    }
    await poll(() => strip.getAttribute('data-more-left')).toBe('true');
    expect(await strip.getAttribute('data-more-right')).toBeNull();
    await tab.focus();
    await page().keyboard.press('Home');
    await poll(() => strip.getAttribute('data-more-left')).toBeNull();
    await poll(() => page().evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toMatch(/\/overview$/);
    await picturesAndAxe(`narrow-720-container-detail`, 'container detail at 720');
    // Closed, the list comes back whole.
    await s.ui.detail.getByRole('button', { name: 'Close the details' }).click();
    await s.ui.detail.waitFor({ state: 'detached' });
    await expectInViewport(page(), s.ui.row(RUNNING).getByRole('gridcell').getByText(RUNNING, { exact: true }), 'the row again');
  });

  it('at 1280×820 the list stays beside the pane, whose tabs all show without a fade', async () => {
    await page().setViewportSize(DEFAULT);
    await s.ui.row(RUNNING).getByRole('gridcell').getByText(RUNNING, { exact: true }).click();
    await s.ui.detail.waitFor();
    const strip = s.ui.detail.getByRole('tablist', { name: 'Container details' });
    await strip.waitFor();
    await poll(() => sidewaysOverflow(page())).toEqual([]);
    expect(await s.ui.grid.isVisible()).toBe(true);
    expect(await strip.getAttribute('data-more-right')).toBeNull();
    for (const t of await strip.getByRole('tab').all()) await expectInViewport(page(), t, `tab ${await t.textContent()}`);
    await picturesAndAxe(`narrow-1280-container-detail`, 'container detail at 1280');
    await s.ui.detail.getByRole('button', { name: 'Close the details' }).click();
    await s.ui.detail.waitFor({ state: 'detached' });
    await page().setViewportSize(NARROW);
  });

  it('at 720 px the Images, Volumes and Networks detail panes leave no sideways page or list scroll', async () => {
    for (const [id, label] of [['images', 'Images'], ['volumes', 'Volumes'], ['networks', 'Networks']] as const) {
      await s.app.gotoPage(id);
      const g = s.app.table(label);
      const first = g.locator('[role=row][data-row-id]').first();
      await first.waitFor();
      await first.locator('[role=gridcell]').nth(1).dblclick();
      const panel = page().locator('.side-panel');
      await panel.waitFor({ timeout: 10_000 });
      await screenshot(page(), `narrow-720-${id}-detail`);
      await poll(() => sidewaysOverflow(page())).toEqual([]);
      // Too narrow for both, the list waits behind the pane (its grid is hidden, not squeezed into a sideways scroll).
      await poll(() => g.isVisible(), `${label}: the list hides behind its details`).toBe(false);
      await expectInViewport(page(), panel, `${label} detail pane`);
      await expectInViewport(page(), panel.getByRole('button', { name: 'Close the details' }), `${label}: Close the details`);
      await expectHeaderInView(page(), label);
      await panel.getByRole('button', { name: 'Close the details' }).click();
      await panel.waitFor({ state: 'detached' });
      await g.waitFor();
    }
    await s.app.gotoPage('containers');
  });

  it('VM settings and the Pods namespace: selects look like the other fields and show their whole chosen text', async () => {
    for (const size of [DEFAULT, NARROW]) {
      await page().setViewportSize(size);
      await page().evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/vm'));
      const form = page().getByRole('form', { name: 'VM settings' });
      await form.waitFor({ timeout: 15_000 });
      await poll(() => sidewaysOverflow(page())).toEqual([]);
      // The longest choice (only chosen here, never saved).
      await form.getByLabel('Container runtime').selectOption('moby');
      const selects = form.locator('select');
      expect(await selects.count()).toBeGreaterThan(0);
      for (const sel of await selects.all()) await expectSelectLikeInput(sel, form.locator('input[type=number]').first());
      await form.getByLabel('Container runtime').scrollIntoViewIfNeeded();
      await picturesAndAxe(`narrow-${size.width}-vm-settings`, `VM settings at ${size.width}`);

      await page().evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/pods'));
      const ns = page().getByRole('combobox', { name: 'Namespace' });
      await ns.waitFor({ timeout: 15_000 });
      await poll(() => sidewaysOverflow(page())).toEqual([]);
      await expectSelectLikeInput(ns, page().getByRole('searchbox', { name: 'Filter pods' }));
      await picturesAndAxe(`narrow-${size.width}-pods`, `Pods at ${size.width}`);
    }
    await page().evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/containers'));
  });
});

/** The page header's buttons (Run…, Pull…, Build…) are inside the window. */
async function expectHeaderInView(page: Page, what: string): Promise<void> {
  const buttons = await page.locator('.page-header').getByRole('button').all();
  expect(buttons.length, `${what}: header buttons`).toBeGreaterThan(0);
  for (const b of buttons) await expectInViewport(page, b, `${what} header: ${await b.textContent()}`);
}

/** A select drawn like the app's text fields (same border, radius, height, colours) whose chosen option's text fits inside it. */
async function expectSelectLikeInput(select: Locator, input: Locator): Promise<void> {
  const look = (l: Locator) =>
    l.evaluate((el) => {
      const cs = (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(el);
      return { border: cs.borderTopColor, radius: cs.borderTopLeftRadius, height: cs.height, bg: cs.backgroundColor, color: cs.color, font: cs.fontSize, appearance: cs.appearance };
    });
  const [a, b] = [await look(select), await look(input)];
  const name = (await select.getAttribute('aria-label')) ?? (await select.getAttribute('id')) ?? 'select';
  expect({ ...a, appearance: undefined }, `${name} looks like the text field beside it`).toEqual({ ...b, appearance: undefined });
  expect(a.appearance, `${name}: drawn by the app, not natively`).toBe('none');
  const fit = await select.evaluate((el) => {
    const s = el as unknown as { options: ArrayLike<{ text: string }>; selectedIndex: number; clientWidth: number };
    const g = globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string | undefined>; document: { createElement(t: string): { getContext(c: string): { font: string; measureText(t: string): { width: number } } } } };
    const cs = g.getComputedStyle(el);
    const ctx = g.document.createElement('canvas').getContext('2d');
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const text = s.options[s.selectedIndex]?.text ?? '';
    return { text, need: ctx.measureText(text).width, room: s.clientWidth - parseFloat(cs.paddingLeft ?? '0') - parseFloat(cs.paddingRight ?? '0') };
  });
  expect(fit.need, `${name}: "${fit.text}" fits (${fit.need.toFixed(0)} px in ${fit.room.toFixed(0)} px)`).toBeLessThanOrEqual(fit.room);
}
