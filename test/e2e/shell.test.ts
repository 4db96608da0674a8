import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeEngine, rawDocker, useEngine } from '../support/engine';
import { serveBerth, type BerthWeb } from './support/berth';
import { AppPage } from './support/app-page';
import { openBerthPage, type BerthSession } from './support/session';
import { axeViolations, browserUnavailable, describeViolations, launchBrowser, openPage, screenshot, type OpenedPage } from './support/browser';

const noBrowser = browserUnavailable();
const PAGES = ['containers', 'images', 'volumes', 'networks'] as const;

describeEngine('renderer shell against the private engine', () => {
  let session: BerthSession;
  let berth: BerthWeb;
  let opened: OpenedPage;
  let app: AppPage;

  beforeAll(async () => {
    if (noBrowser) throw new Error(noBrowser);
    session = await openBerthPage();
    ({ berth, opened, app } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('connects, strips the token from the address bar and shows the engine', async () => {
    expect(opened.page.url()).not.toContain('token=');
    expect(await app.waitEngineKnown()).toBe('Running');
    const v = await rawDocker().version();
    await expect.poll(() => app.engineVersion.textContent()).toContain(v.Version);
    expect(await app.engineVersion.textContent()).toContain(`API ${v.ApiVersion}`);
    expect(await app.engineOs.textContent()).toBe(`${v.Os}/${v.Arch}`);
    expect(await app.engineEndpoint.textContent()).toBe(useEngine().dockerHost);
    expect(await app.engineError.count()).toBe(0);
    expect(await app.connection.textContent()).toContain('Connected');
  });

  it('navigates with the sidebar, the keyboard and unknown routes', async () => {
    for (const id of PAGES) {
      await app.gotoPage(id);
      // The hash changes before React renders the page: wait for the heading, then check.
      await expect.poll(() => app.heading.textContent()).toBe(id[0]!.toUpperCase() + id.slice(1));
      expect(await app.navLink(id[0]!.toUpperCase() + id.slice(1)).getAttribute('aria-current')).toBe('page');
    }
    await opened.page.locator('body').click({ position: { x: 700, y: 400 } });
    await opened.page.keyboard.press(`${app.mod}+2`);
    await expect.poll(() => app.hash()).toBe('#/images');
    await opened.page.keyboard.press(`${app.mod}+1`);
    await expect.poll(() => app.hash()).toBe('#/containers');
    await opened.page.evaluate(() => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = '#/no-such-page';
    });
    await expect.poll(() => app.hash()).toBe('#/containers');
    await expect.poll(() => app.heading.textContent()).toBe('Containers');
  });

  it('has a keyboard-operable command palette with fuzzy filtering', async () => {
    await app.openPalette();
    expect(await app.paletteInput.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
    await app.paletteInput.fill('gvol');
    const options = app.palette.getByRole('option');
    await expect.poll(() => options.first().textContent()).toContain('Go to Volumes');
    const activeId = await app.paletteInput.getAttribute('aria-activedescendant');
    expect(activeId).toBe(await options.first().getAttribute('id'));
    await screenshot(opened.page, 'shell-palette-light');
    const violations = await axeViolations(opened.page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await opened.page.keyboard.press('Enter');
    await app.palette.waitFor({ state: 'detached' });
    await expect.poll(() => app.hash()).toBe('#/volumes');

    // Arrow keys move the active option; Escape closes without running anything.
    await app.openPalette();
    await app.paletteInput.fill('theme');
    const first = await app.paletteInput.getAttribute('aria-activedescendant');
    await opened.page.keyboard.press('ArrowDown');
    const second = await app.paletteInput.getAttribute('aria-activedescendant');
    expect(second).not.toBe(first);
    expect(await app.palette.locator(`[id="${second}"]`).getAttribute('aria-selected')).toBe('true');
    await opened.page.keyboard.press('Escape');
    await app.palette.waitFor({ state: 'detached' });
    expect(await app.hash()).toBe('#/volumes');

    await app.openPalette();
    await app.paletteInput.fill('zzzzqqq');
    await expect.poll(() => app.palette.getByRole('status').textContent()).toContain('No command matches');
    await opened.page.keyboard.press('Escape');
  });

  it('switches themes, persists them in settings and follows the system theme', async () => {
    const { page } = opened;
    await app.setTheme('Dark');
    await expect.poll(() => app.theme()).toBe('dark');
    await expect.poll(async () => (await berth.core.services.settings.get()).ui.theme).toBe('dark');
    await screenshot(page, 'shell-dark');
    const dark = await axeViolations(page);
    expect(dark, describeViolations(dark)).toEqual([]);

    // A reload keeps the session (token in sessionStorage) and the saved theme.
    await page.reload();
    await app.waitReady();
    await expect.poll(() => app.theme()).toBe('dark');

    await app.runCommand('theme light');
    await expect.poll(() => app.theme()).toBe('light');
    await app.setTheme('System');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => app.theme()).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => app.theme()).toBe('light');
    await expect.poll(async () => (await berth.core.services.settings.get()).ui.theme).toBe('system');
  });

  it('zooms with the keyboard and saves the zoom', async () => {
    const { page } = opened;
    await page.locator('body').click({ position: { x: 700, y: 400 } });
    await page.keyboard.press(`${app.mod}+Equal`);
    await expect.poll(() => app.rootFontSize()).toBe('17.6px');
    await expect.poll(async () => (await berth.core.services.settings.get()).ui.zoom).toBe(1.1);
    await page.keyboard.press(`${app.mod}+Minus`);
    await page.keyboard.press(`${app.mod}+Minus`);
    await expect.poll(async () => (await berth.core.services.settings.get()).ui.zoom).toBe(0.9);
    await page.keyboard.press(`${app.mod}+0`);
    await expect.poll(() => app.rootFontSize()).toBe('16px');
    await expect.poll(async () => (await berth.core.services.settings.get()).ui.zoom).toBe(1);
  });

  it('shows the shortcut help with ? and closes it with Escape', async () => {
    const { page } = opened;
    await page.locator('body').click({ position: { x: 700, y: 400 } });
    await page.keyboard.press('Shift+Slash');
    await app.shortcutsHelp.waitFor();
    expect(await app.shortcutsHelp.textContent()).toContain('Open the command palette');
    const v = await axeViolations(page);
    expect(v, describeViolations(v)).toEqual([]);
    await page.keyboard.press('Escape');
    await app.shortcutsHelp.waitFor({ state: 'detached' });
  });

  it('passes axe on every page in both themes and saves screenshots', async () => {
    for (const theme of ['Light', 'Dark'] as const) {
      await app.setTheme(theme);
      await expect.poll(() => app.theme()).toBe(theme.toLowerCase());
      for (const id of PAGES) {
        await app.gotoPage(id);
        const v = await axeViolations(opened.page);
        expect(v, `${theme} ${id}:\n${describeViolations(v)}`).toEqual([]);
      }
      await app.gotoPage('containers');
      await screenshot(opened.page, `shell-containers-${theme.toLowerCase()}`);
    }
    await app.setTheme('System');
    await expect.poll(async () => (await berth.core.services.settings.get()).ui.theme).toBe('system');
  });

  it('reconnects after the link to the core drops', async () => {
    await berth.stopServer();
    await opened.page.locator('[data-testid="connection"]:not([data-state="open"])').waitFor();
    await opened.page.getByRole('alert').filter({ hasText: "Lost the connection to Berth's core" }).waitFor();
    await screenshot(opened.page, 'shell-disconnected');
    await berth.restartServer();
    await opened.page.locator('[data-testid="connection"][data-state="open"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => app.engineState.textContent()).toBe('Running');
    await opened.page.getByRole('alert').filter({ hasText: "Lost the connection to Berth's core" }).waitFor({ state: 'detached' });
  });

  it('reported no console errors (no CSP violations, no exceptions)', () => {
    // The link drop above logs the browser's own WebSocket errors; nothing else may appear.
    const unexpected = opened.errors.filter((e) => !/WebSocket connection to .* failed/.test(e));
    expect(unexpected).toEqual([]);
  });
});

describe.skipIf(noBrowser !== null)('renderer shell without an engine or a token, with a corrupt settings file', () => {
  let berth: BerthWeb;
  let browser: Browser;
  beforeAll(async () => {
    berth = await serveBerth('unix:///nonexistent/berth-e2e.sock', {
      seed: (dir) => fs.writeFileSync(path.join(dir, 'settings.json'), '{ "version": 1, "ui": { "theme": '),
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await berth?.dispose();
  });

  it('shows why the engine is down, with the socket it tried', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const opened = await openPage(browser, berth.url, { colorScheme: scheme });
      try {
        const app = new AppPage(opened.page);
        await app.waitReady();
        expect(await app.waitEngineKnown()).toBe('Unreachable');
        expect(await app.engineEndpoint.textContent()).toBe('unix:///nonexistent/berth-e2e.sock');
        const err = (await app.engineError.textContent()) ?? '';
        expect(err.length).toBeGreaterThan(10);
        await opened.page.getByRole('alert').filter({ hasText: 'is not reachable' }).waitFor();
        await screenshot(opened.page, `shell-engine-down-${scheme}`);
        const v = await axeViolations(opened.page);
        expect(v, describeViolations(v)).toEqual([]);
        expect(opened.errors).toEqual([]);
      } finally {
        await opened.close();
      }
    }
  });

  it('shows the start-up warning until it is dismissed', async () => {
    const opened = await openPage(browser, berth.url);
    try {
      await new AppPage(opened.page).waitReady();
      const warning = opened.page.getByRole('alert').filter({ hasText: 'Berth started with a warning' });
      await warning.waitFor();
      expect(await warning.textContent()).toContain('settings.json could not be used');
      await warning.getByRole('button', { name: 'Dismiss' }).click();
      await warning.waitFor({ state: 'detached' });
    } finally {
      await opened.close();
    }
  });

  it('asks for the printed URL when opened without a token', async () => {
    const opened = await openPage(browser, berth.web.origin + '/');
    try {
      await opened.page.getByText('Open Berth with the URL printed by').waitFor();
      expect(await opened.page.locator('main').textContent()).toContain('npm run web');
      await screenshot(opened.page, 'shell-no-token');
      const v = await axeViolations(opened.page);
      expect(v, describeViolations(v)).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});
