import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type Docker from 'dockerode';
import type { Page } from 'playwright-core';
import { buildImage, busyboxContext, describeEngine, randomSuffix, rawDocker, TEST_LABEL, useEngine } from '../support/engine';
import { slowProxy } from './support/images-page';
import { axeViolations, describeViolations, screenshot } from './support/browser';
import { openContainersPage, type ContainersSession } from './support/containers-page';

const sfx = randomSuffix();
/** Not even a finding of moderate impact. */
async function axeStrict(page: Page, label: string): Promise<void> {
  const v = await axeViolations(page, 'moderate');
  expect(v, `${label}:\n${describeViolations(v)}`).toEqual([]);
}
const A = `berth-e2e-every-a-${sfx}`;
const B = `berth-e2e-every-b-${sfx}`;
const PULLED = `berth-e2e-every-pulled-${sfx}`;
type Doc = { activeElement: { id: string } | null; getSelection(): { toString(): string } | null };

async function rawPush(docker: Docker, ref: string): Promise<void> {
  // dockerd wants an X-Registry-Auth header even for a registry without auth.
  const stream = (await docker.getImage(ref).push({ authconfig: {} } as never)) as unknown as NodeJS.ReadableStream;
  const out: Array<{ error?: string }> = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: Array<{ error?: string }>) => (err ? reject(err) : resolve(res))),
  );
  const failed = out.find((o) => o.error);
  if (failed) throw new Error(`push ${ref}: ${failed.error}`);
}

/** The everyday path on the Containers page, in Chromium against the private dockerd (issue 12). */
describeEngine('everyday: one click to details, columns that fit, run dialog problems, pull on run', () => {
  let s: ContainersSession;
  const page = () => s.opened.page;
  const repo = () => `${useEngine().registry}/berth-e2e/pullrun-${sfx}`;
  const cleanupRefs: string[] = [];
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const docker = rawDocker();
    for (const name of [A, B]) {
      const c = await docker.createContainer({ Image: useEngine().images.busybox, name, Cmd: ['sleep', '600'], Labels: { [TEST_LABEL]: '1' } });
      await c.start();
    }
    s = await openContainersPage();
    await s.ui.row(A).waitFor();
  });
  afterAll(async () => {
    await s?.close();
    const docker = rawDocker();
    const mine = await docker.listContainers({ all: true, filters: { name: [sfx] } });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    for (const ref of [`${repo()}:1`, ...cleanupRefs]) await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
    for (const close of closers) await close();
  });

  it('one click on a row opens its details; the checkbox alone selects; a double-click selects no text', async () => {
    await s.ui.row(A).getByRole('gridcell').getByText(A, { exact: true }).click();
    await s.ui.detail.waitFor();
    expect(await s.ui.detail.getAttribute('aria-label')).toContain(A);
    expect(await s.app.hash()).toMatch(/^#\/containers\/[0-9a-f]{12,}/);
    // Nothing got selected by that click.
    expect(await s.ui.row(A).getAttribute('aria-selected')).toBe('false');

    await s.ui.detail.getByRole('button', { name: /^Close/ }).first().click();
    await s.ui.detail.waitFor({ state: 'detached' });
    await s.ui.row(B).getByRole('checkbox', { name: `Select ${B}` }).click();
    expect(await s.ui.row(B).getAttribute('aria-selected')).toBe('true');
    expect(await s.ui.detail.count()).toBe(0);
    await page().getByRole('group', { name: 'Selected containers' }).waitFor();
    await page().getByRole('button', { name: 'Clear selection' }).click();

    await s.ui.row(B).getByRole('gridcell').getByText(B, { exact: true }).dblclick();
    await s.ui.detail.waitFor();
    expect(await page().evaluate(() => (globalThis as unknown as { document: Doc }).document.getSelection()?.toString() ?? '')).toBe('');
    await screenshot(page(), 'everyday-one-click-detail');
    await s.ui.detail.getByRole('button', { name: /^Close/ }).first().click();
    await s.ui.detail.waitFor({ state: 'detached' });
  });

  it('at 900 px every column is reachable (the table scrolls sideways); columns can be chosen and ordered, and it is remembered', async () => {
    await page().setViewportSize({ width: 900, height: 700 });
    const grid = s.ui.grid;
    const sizes = await grid.evaluate((el) => ({ scroll: (el as unknown as { scrollWidth: number }).scrollWidth, client: (el as unknown as { clientWidth: number }).clientWidth }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    const uptime = grid.getByRole('columnheader', { name: 'Uptime' });
    await uptime.scrollIntoViewIfNeeded();
    expect(await uptime.isVisible()).toBe(true);
    const box = await uptime.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(900);
    await screenshot(page(), 'everyday-narrow-scrolled');

    await page().getByRole('button', { name: 'Columns…' }).click();
    const dlg = page().getByRole('dialog', { name: 'Columns' });
    await dlg.waitFor();
    await axeStrict(page(), 'columns dialog');
    await dlg.getByRole('checkbox', { name: 'Ports' }).uncheck();
    await dlg.getByRole('checkbox', { name: 'Image' }).uncheck();
    for (let i = 0; i < 8; i++) {
      const up = dlg.getByRole('button', { name: 'Move Uptime up' });
      if (await up.isDisabled()) break;
      await up.click();
    }
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    const headers = async () => (await grid.getByRole('columnheader').allTextContents()).map((t) => t.trim()).filter(Boolean);
    await expect.poll(headers).not.toContain('Ports');
    expect((await headers())[0]).toBe('Uptime');
    expect(await headers()).not.toContain('Image');
    const saved = JSON.parse(fs.readFileSync(path.join(s.berth.core.services.info.dataDir, 'settings.json'), 'utf8')) as { ui: { containerColumns: string[] } };
    expect(saved.ui.containerColumns[0]).toBe('uptime');
    expect(saved.ui.containerColumns).not.toContain('ports');
    // Fewer columns: less to scroll.
    const after = await grid.evaluate((el) => (el as unknown as { scrollWidth: number }).scrollWidth);
    expect(after).toBeLessThan(sizes.scroll);
    await page().reload();
    await s.app.waitReady();
    await s.ui.row(A).waitFor();
    expect((await headers())[0]).toBe('Uptime');
    await screenshot(page(), 'everyday-narrow-chosen-columns');

    await page().getByRole('button', { name: 'Columns…' }).click();
    await dlg.getByRole('button', { name: 'Reset' }).click();
    await dlg.waitFor({ state: 'detached' });
    await expect.poll(headers).toContain('Ports');
    await page().setViewportSize({ width: 1280, height: 800 });
  });

  it('a Run with problems lists each one by its field and focuses the first', async () => {
    const d = await s.ui.openRunDialog();
    await d.getByRole('button', { name: 'Run', exact: true }).click();
    const summary = d.getByTestId('run-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Image: Give the image to run');
    await expect.poll(() => page().evaluate(() => (globalThis as unknown as { document: Doc }).document.activeElement?.id ?? '')).toMatch(/-image$/);
    // A problem on another tab: the link goes there and focuses it.
    await d.getByLabel('Image', { exact: true }).fill(useEngine().images.busybox);
    await d.getByRole('tab', { name: /Resources/ }).click();
    await d.getByLabel('Memory', { exact: true }).fill('1m');
    await d.getByRole('tab', { name: /Basic/ }).click();
    await d.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => summary.textContent()).toContain('Memory: must be at least 6 MiB');
    await expect.poll(() => page().evaluate(() => (globalThis as unknown as { document: Doc }).document.activeElement?.id ?? '')).toMatch(/-memory$/);
    await axeStrict(page(), 'run dialog with its summary of problems');
    await screenshot(page(), 'everyday-run-summary');
    await d.getByRole('button', { name: 'Cancel' }).click();
    await d.waitFor({ state: 'detached' });
  });

  it('runs an image that is not here: pulls it from the local registry with progress in place, then runs it', async () => {
    const docker = rawDocker();
    // An image with a layer of its own (1.5 MB of random bytes), in the registry only, reached through
    // a throttled loopback proxy: the pull takes a few seconds, long enough to watch it.
    const pushed = `${repo()}:1`;
    await buildImage(docker, pushed, busyboxContext('RUN head -c 1500000 /dev/urandom > /random'));
    await rawPush(docker, pushed);
    await docker.getImage(pushed).remove({ force: true });
    const proxy = await slowProxy(useEngine().registry, 400_000);
    const ref = `${proxy.host}/berth-e2e/pullrun-${sfx}:1`;
    cleanupRefs.push(ref);
    closers.push(() => proxy.close());

    const d = await s.ui.openRunDialog();
    await d.getByLabel('Image', { exact: true }).fill(ref);
    expect(await d.getByLabel('Pull the image').inputValue()).toBe('missing');
    await d.getByLabel('Name', { exact: true }).fill(PULLED);
    await d.getByLabel('Command', { exact: true }).fill('sleep 600');
    await d.getByRole('button', { name: 'Run', exact: true }).click();
    const pull = d.getByTestId('run-pull');
    await pull.waitFor();
    expect(await pull.textContent()).toContain(`Pulling ${ref}`);
    await pull.getByTestId('transfer').waitFor();
    // Real bytes arrive: the total reads "x of y".
    await expect.poll(() => pull.getByTestId('transfer-total').textContent(), { timeout: 20_000 }).toMatch(/ of /);
    await axeStrict(page(), 'run dialog while pulling');
    await screenshot(page(), 'everyday-run-pulling');
    await d.waitFor({ state: 'detached', timeout: 60_000 });
    const info = await docker.getContainer(PULLED).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.Config.Image).toBe(ref);
    await s.ui.row(PULLED).waitFor();

    // Policy "never" with a missing image: the engine's own error, nothing pulled.
    await docker.getContainer(PULLED).remove({ force: true });
    await docker.getImage(ref).remove({ force: true });
    const d2 = await s.ui.openRunDialog();
    await d2.getByLabel('Image', { exact: true }).fill(ref);
    await d2.getByLabel('Pull the image').selectOption('never');
    await d2.getByRole('button', { name: 'Run', exact: true }).click();
    await d2.getByRole('alert').filter({ hasText: 'The container did not start' }).waitFor();
    expect(await d2.getByRole('alert').filter({ hasText: 'The container did not start' }).textContent()).toContain('IMAGE_NOT_FOUND');
    await expect(docker.getImage(ref).inspect()).rejects.toThrow();
    await d2.getByRole('button', { name: 'Cancel' }).click();
  });
});
