import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngine, randomSuffix, rawDocker, TEST_LABEL, useEngine } from '../support/engine';
import { tcpProxyTo, type TcpProxy } from '../support/tcp-proxy';
import { axeViolations, describeViolations, screenshot } from './support/browser';
import { expectAxeClean } from './support/axe';
import { openBerthPage, type BerthSession } from './support/session';

const sfx = randomSuffix();
const A = `berth-e2e-prefs-a-${sfx}`;
const B = `berth-e2e-prefs-b-${sfx}`;
const FAILS = `berth-e2e-prefs-fails-${sfx}`;
type Win = { location: { hash: string }; __notes?: Array<{ title: string; body?: string; onclick: (() => void) | null }> };

/** Preferences, the command palette and notifications, in Chromium against the private dockerd (issue 12). */
describeEngine('everyday: Preferences, palette actions and notifications', () => {
  let s: BerthSession;
  let proxy: TcpProxy;
  const page = () => s.opened.page;
  const settingsFile = () => path.join(s.berth.core.services.info.dataDir, 'settings.json');
  const saved = (): Record<string, Record<string, unknown>> => (fs.existsSync(settingsFile()) ? (JSON.parse(fs.readFileSync(settingsFile(), 'utf8')) as Record<string, Record<string, unknown>>) : {});

  beforeAll(async () => {
    const docker = rawDocker();
    for (const name of [A, B]) {
      const c = await docker.createContainer({ Image: useEngine().images.busybox, name, Cmd: ['sleep', '600'], Labels: { [TEST_LABEL]: '1' } });
      await c.start();
    }
    proxy = await tcpProxyTo(useEngine().socketPath);
    s = await openBerthPage('containers');
  });
  afterAll(async () => {
    await s?.close();
    await proxy?.close();
    const docker = rawDocker();
    const mine = await docker.listContainers({ all: true, filters: { name: [sfx] } });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  });

  it('Preferences: a bad engine address is refused with the reason and nothing is saved; a good one is checked, added and used live; switching back is live too', async () => {
    await s.app.nav.getByRole('link', { name: 'Preferences' }).click();
    await page().getByRole('heading', { level: 1, name: 'Preferences' }).waitFor();
    await page().getByTestId('engine-choice-local').waitFor();
    expect(await page().getByTestId('engine-choice-local').getByRole('radio').isChecked()).toBe(true);
    await expectAxeClean(page(), 'preferences');

    const before = JSON.stringify(saved());
    const address = page().getByLabel('Custom engine address');
    const missing = `/tmp/berth-nothing-${sfx}.sock`;
    await address.fill(`unix://${missing}`);
    await page().getByRole('button', { name: 'Add and use' }).click();
    const refused = page().getByRole('alert').filter({ hasText: 'That address was not saved' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain(`No container engine answered at unix://${missing}`);
    await address.fill('docker.example');
    await page().getByRole('button', { name: 'Add and use' }).click();
    await page().getByText(/"docker.example" is not a usable engine address: it has no scheme/).waitFor();
    expect(JSON.stringify(saved())).toBe(before);
    await expectAxeClean(page(), 'preferences with a refused address');

    await address.fill(proxy.address);
    await page().getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => page().getByTestId('address-ok').textContent()).toContain(`An engine answers at ${proxy.address}`);
    await page().getByRole('button', { name: 'Add and use' }).click();
    await page().getByTestId('engine-choice-custom').waitFor();
    await expect.poll(() => page().getByTestId('engine-choice-custom').getByRole('radio').isChecked()).toBe(true);
    await expect.poll(() => s.app.engineEndpoint.textContent()).toBe(proxy.address);
    expect(saved().engine).toMatchObject({ customHost: proxy.address, active: 'custom' });
    // The lists now come through the custom engine, without a reload.
    await s.app.gotoPage('containers');
    await page().getByRole('grid', { name: 'Containers' }).getByText(A, { exact: true }).waitFor();

    await s.app.nav.getByRole('link', { name: 'Preferences' }).click();
    await page().getByTestId('engine-choice-local').getByRole('radio').check();
    await expect.poll(() => s.app.engineEndpoint.textContent()).toBe(useEngine().dockerHost);
    expect(saved().engine).toMatchObject({ active: 'local' });
    await screenshot(page(), 'everyday-preferences-switched');
    // Not even a moderate finding, in either theme.
    for (const theme of ['Dark', 'Light'] as const) {
      await s.app.setTheme(theme);
      const v = await axeViolations(page(), 'moderate');
      expect(v, `preferences, ${theme}:\n${describeViolations(v)}`).toEqual([]);
      await screenshot(page(), `everyday-preferences-${theme.toLowerCase()}`);
    }
    await s.app.setTheme('System');
  });

  it('Preferences: a bad terminal font size is refused with the reason; density applies at once', async () => {
    const size = page().getByLabel('Font size');
    await size.fill('99');
    await page().getByText(/Font size: .*(32|less than or equal)/i).waitFor();
    expect(await page().getByRole('button', { name: 'Save terminal settings' }).isDisabled()).toBe(true);
    // Another setting saved meanwhile (density applies at once) does not wipe what is being typed.
    await page().getByRole('radio', { name: 'Compact' }).check();
    await expect.poll(() => page().locator('html').getAttribute('data-density')).toBe('compact');
    await expect.poll(() => (saved().ui as { density?: string } | undefined)?.density).toBe('compact');
    expect(await size.inputValue()).toBe('99');
    expect((saved().terminal as { fontSize?: number } | undefined)?.fontSize ?? 13).toBe(13);
    await size.fill('15');
    await page().getByRole('button', { name: 'Save terminal settings' }).click();
    await expect.poll(() => (saved().terminal as { fontSize?: number } | undefined)?.fontSize).toBe(15);

    await page().getByRole('radio', { name: 'Compact' }).check();
    await expect.poll(() => page().locator('html').getAttribute('data-density')).toBe('compact');
    await page().getByRole('radio', { name: 'Comfortable' }).check();
    await expect.poll(() => page().locator('html').getAttribute('data-density')).toBe('comfortable');
  });

  it('the palette acts: open Preferences (its shortcut shown), stop a container by name, open the logs of another', async () => {
    await s.app.gotoPage('containers');
    await s.app.openPalette();
    await s.app.paletteInput.fill('Open Preferences');
    const option = s.app.palette.getByRole('option', { name: /Open Preferences/ });
    expect(await option.locator('kbd').textContent()).toBe('Ctrl+,');
    await expectAxeClean(page(), 'command palette');
    await page().keyboard.press('Enter');
    await expect.poll(() => page().evaluate(() => (globalThis as unknown as Win).location.hash)).toBe('#/preferences');

    await s.app.runCommand(`Stop ${A}`);
    await expect.poll(async () => (await rawDocker().getContainer(A).inspect()).State.Running, { timeout: 20_000 }).toBe(false);

    await s.app.runCommand(`Logs of ${B}`);
    const id = (await rawDocker().getContainer(B).inspect()).Id;
    await expect.poll(() => page().evaluate(() => (globalThis as unknown as Win).location.hash)).toBe(`#/containers/${id}/logs`);
    await page().getByRole('region', { name: new RegExp(`^Details of ${B}`) }).waitFor();
  });

  it('a container that exits with code 1 raises a desktop notification that opens its logs', async () => {
    const ctx = s.opened.context;
    await ctx.grantPermissions(['notifications']);
    // A spy around the browser's own Notification (headless Chromium shows nothing on screen).
    await ctx.addInitScript(() => {
      const w = globalThis as unknown as { Notification: unknown; __notes: unknown[] };
      const Real = w.Notification as { new (t: string, o?: unknown): unknown; permission: string; requestPermission(): Promise<string> };
      w.__notes = [];
      class Spy {
        onclick: (() => void) | null = null;
        constructor(
          readonly title: string,
          readonly opts?: { body?: string },
        ) {
          w.__notes.push(this);
          new Real(title, opts);
        }
        close() {}
        static get permission() {
          return Real.permission;
        }
        static requestPermission() {
          return Real.requestPermission();
        }
      }
      w.Notification = Spy;
    });
    await page().reload();
    await s.app.waitReady();
    await s.app.gotoPage('containers');

    const docker = rawDocker();
    const c = await docker.createContainer({ Image: useEngine().images.busybox, name: FAILS, Cmd: ['sh', '-c', 'sleep 1; exit 1'], Labels: { [TEST_LABEL]: '1' } });
    await c.start();
    await expect.poll(() => page().evaluate(() => ((globalThis as unknown as Win).__notes ?? []).map((n) => n.title)), { timeout: 20_000 }).toEqual([`${FAILS} exited with code 1`]);
    await page().evaluate(() => (globalThis as unknown as Win).__notes?.[0]?.onclick?.());
    await expect.poll(() => page().evaluate(() => (globalThis as unknown as Win).location.hash)).toBe(`#/containers/${c.id}/logs`);
    await page().getByRole('region', { name: new RegExp(`^Details of ${FAILS}`) }).waitFor();
    await screenshot(page(), 'everyday-notification-logs');

    // Off for this container, from the palette; Preferences lists it and turns it back on.
    await s.app.runCommand(`Stop notifying about ${FAILS}`);
    await expect.poll(() => (saved().behaviour as { mutedContainers?: string[] } | undefined)?.mutedContainers).toEqual([FAILS]);
    await s.app.nav.getByRole('link', { name: 'Preferences' }).click();
    await page().getByText('Containers that never notify').waitFor();
    await page().getByRole('button', { name: 'Notify again' }).click();
    await expect.poll(() => (saved().behaviour as { mutedContainers?: string[] } | undefined)?.mutedContainers).toEqual([]);
  });
});
