import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { busyboxContext } from '../support/images';
import { describeEngine, randomSuffix, rawDocker } from '../support/engine';
import { screenshot, type OpenedPage } from './support/browser';
import { ImagesUi } from './support/images-page';
import { openBerthPage, type BerthSession } from './support/session';

const DOCKERFILE = `FROM scratch AS base
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]

FROM base
COPY app.txt /app.txt
RUN cat /app.txt
`;

/**
 * The build dialog on dockerd with no BuildKit daemon configured: it says before the build that dockerd's own
 * BuildKit will build (and warns when an option needs a daemon), names that builder while it runs, shows the
 * step graph, and a rebuild after a one-file change shows the reused steps.
 */
describeEngine("build dialog: dockerd's own BuildKit", () => {
  let session: BerthSession | undefined;
  let opened: OpenedPage;
  let ui: ImagesUi;
  let dir = '';
  const tag = `berth-e2e/ebk:${randomSuffix()}`;
  const saved = { host: process.env.BUILDKIT_HOST, classic: process.env.DOCKER_BUILDKIT };

  beforeAll(async () => {
    // The core reads its environment when it starts: this file's worker only.
    delete process.env.BUILDKIT_HOST;
    delete process.env.DOCKER_BUILDKIT;
    session = await openBerthPage('images');
    opened = session.opened;
    ui = new ImagesUi(session.app, opened.page);
    await ui.table.waitFor();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-ebk-'));
    fs.writeFileSync(path.join(dir, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    fs.writeFileSync(path.join(dir, 'app.txt'), 'v1\n');
  });
  afterAll(async () => {
    await session?.close();
    await rawDocker().getImage(tag).remove({ force: true }).catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of [['BUILDKIT_HOST', saved.host], ['DOCKER_BUILDKIT', saved.classic]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('names the builder before and during the build, streams the graph, and shows the reused steps on a rebuild', async () => {
    const { page } = opened;
    await page.getByRole('button', { name: 'Build…' }).click();
    const dlg = ui.dialog('Build an image');
    await dlg.getByLabel('Folder').fill(dir);
    await dlg.getByLabel('Tags').fill(tag);
    const route = dlg.locator('.build-route');
    await expect.poll(() => route.textContent()).toBe("Builds with dockerd's own BuildKit, straight into its image store.");
    // A secret needs a session: with no BuildKit daemon configured, the dialog warns before the build.
    await dlg.getByLabel('Secrets').fill('id=token,env=HOME');
    await expect.poll(() => route.textContent()).toBe("dockerd's own BuildKit cannot take secrets, and no BuildKit daemon is configured (BUILDKIT_HOST): leave them out or configure one.");
    expect(await route.getAttribute('class')).toContain('build-route-warn');
    await screenshot(page, 'images-build-dockerd-route-warn-light');
    await dlg.getByLabel('Secrets').fill('');
    await expect.poll(() => route.textContent()).toMatch(/^Builds with dockerd's own BuildKit/);
    await screenshot(page, 'images-build-dockerd-form-light', { fullPage: true });

    await dlg.getByRole('button', { name: 'Build', exact: true }).click();
    const status = dlg.locator('.build-status');
    await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(/^Built [0-9a-f]{12} as berth-e2e\/ebk/);
    expect(await dlg.locator('.build-builder').textContent()).toBe("BuildKit (dockerd's own, straight into its image store)");
    const graph = dlg.getByLabel('Build steps');
    for (const stage of ['base', 'stage-1']) await graph.getByRole('region', { name: `Stage ${stage}` }).waitFor();
    await dlg.getByRole('log', { name: 'Build output' }).getByText('v1', { exact: true }).waitFor();
    await screenshot(page, 'images-build-dockerd-graph-light');

    fs.writeFileSync(path.join(dir, 'app.txt'), 'v2\n');
    await dlg.getByRole('button', { name: 'Change settings' }).click();
    await dlg.getByRole('button', { name: 'Build', exact: true }).click();
    await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(/^Built [0-9a-f]{12}/);
    expect(await graph.getByRole('region', { name: 'Stage base' }).locator('.bg-step.bg-cached').count()).toBe(2);
    expect(await graph.locator('.bg-summary').textContent()).toMatch(/ · 2 of 4 steps from cache \(50%\)$/);
    await dlg.getByRole('log', { name: 'Build output' }).getByText('v2', { exact: true }).waitFor();
    await screenshot(page, 'images-build-dockerd-graph-cached-light');
  });
});
