import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngine, useEngine } from '../support/engine';
import { screenshot } from './support/browser';
import { openContainersPage, type ContainersSession } from './support/containers-page';

describeEngine('run dialog: dangerous bind mounts are warned about before the run', () => {
  let s: ContainersSession;
  beforeAll(async () => {
    s = await openContainersPage();
  });
  afterAll(async () => {
    await s?.close();
  });

  it("warns about a bind of the host's root and of the engine's socket, naming each", async () => {
    const page = s.opened.page;
    await page.getByRole('button', { name: 'Run a container' }).first().click();
    await s.ui.dialog.waitFor();
    const d = s.ui.dialog;
    await d.getByLabel('Image', { exact: true }).fill(useEngine().images.busybox);
    await d.getByRole('tab', { name: /Ports, volumes, env/ }).click();
    await d.getByRole('button', { name: 'Add volume' }).click();
    await d.getByLabel('Mount 1 type', { exact: true }).selectOption('bind');
    await d.getByLabel('Mount 1 source', { exact: true }).fill('/');
    await d.getByLabel('Mount 1 target', { exact: true }).fill('/host');
    await d.getByRole('button', { name: 'Add volume' }).click();
    await d.getByLabel('Mount 2 type', { exact: true }).selectOption('bind');
    await d.getByLabel('Mount 2 source', { exact: true }).fill('/var/run/docker.sock');
    await d.getByLabel('Mount 2 target', { exact: true }).fill('/var/run/docker.sock');
    await expect.poll(() => d.getByText(/bind mount of \/ at \/host exposes the host's root folder/).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => d.getByText(/bind mount of \/var\/run\/docker\.sock .* engine's socket/).count()).toBeGreaterThan(0);
    await screenshot(page, 'run-dialog-bind-warnings');
  });
});
