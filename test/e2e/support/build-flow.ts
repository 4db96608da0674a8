import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { busyboxContext } from '../../support/images';
import { screenshot, type OpenedPage } from './browser';
import type { ImagesUi } from './images-page';

/** A multi-stage build with a cache mount and a secret (from an environment variable of the core). */
export const BUILD_FLOW_DOCKERFILE = `FROM scratch AS base
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]

FROM base AS deps
RUN --mount=type=cache,target=/cache,id=berth-e2e-bk echo x >> /cache/runs && wc -l < /cache/runs > /runs && echo "deps ran"

FROM base
COPY --from=deps /runs /runs
COPY app.txt /app.txt
RUN --mount=type=secret,id=token,env=TOKEN test -n "$TOKEN" && echo "secret length \${#TOKEN}"
LABEL berth.test=1
`;

/** The build folder of the flow (busybox, the Dockerfile, app.txt); the caller removes it. */
export function buildFlowContext(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-bk-'));
  fs.writeFileSync(path.join(dir, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'Dockerfile'), BUILD_FLOW_DOCKERFILE);
  fs.writeFileSync(path.join(dir, 'app.txt'), 'v1\n');
  return dir;
}

/**
 * The build dialog flow: build with the secret, the graph shows the stages, the secret is nowhere on the page,
 * a step opens on its log; one file changed and a rebuild shows base and deps reused. `shot` names the screenshots.
 */
export async function runBuildFlow(opts: {
  opened: OpenedPage;
  ui: ImagesUi;
  dir: string;
  tag: string;
  secretVar: string;
  secret: string;
  shot: string;
  /** What the dialog says about the builder, before the build (absent: no note) and while it runs (default: BuildKit). */
  builder?: { before: RegExp; running: RegExp };
}) {
  const { page } = opts.opened;
  await page.getByRole('button', { name: 'Build…' }).click();
  const dlg = opts.ui.dialog('Build an image');
  await dlg.getByLabel('Folder').fill(opts.dir);
  await dlg.getByLabel('Tags').fill(opts.tag);
  await dlg.getByLabel('Secrets').fill(`id=token,env=${opts.secretVar}`);
  // The target stage is picked from the Dockerfile's stages, read by the core.
  const target = dlg.getByLabel('Target stage');
  await expect
    .poll(async () => (await target.locator('option').allTextContents()).join(' | '), { timeout: 20_000 })
    .toBe('Last stage (base, line 8) | base  ·  FROM scratch, line 1 | deps  ·  FROM base, line 5');
  if (opts.builder) await expect.poll(() => dlg.locator('.build-route').textContent()).toMatch(opts.builder.before);
  else expect(await dlg.locator('.build-route').count()).toBe(0);
  await screenshot(page, `${opts.shot}-form-light`, { fullPage: true });
  await dlg.getByRole('button', { name: 'Build', exact: true }).click();
  const status = dlg.locator('.build-status');
  await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(new RegExp(`^Built [0-9a-f]{12} as ${opts.tag.split(':')[0]}`));
  expect(await dlg.locator('.build-builder').textContent()).toMatch(opts.builder?.running ?? /^BuildKit$/);
  const graph = dlg.getByLabel('Build steps');
  for (const stage of ['base', 'deps', 'stage-2']) await graph.getByRole('region', { name: `Stage ${stage}` }).waitFor();
  expect(await graph.locator('.bg-summary').textContent()).toMatch(/ · \d+ of \d+ steps from cache \(\d+%\)$/);
  // The step's own output is in the log, the value of the secret nowhere on the page.
  await dlg.getByRole('log', { name: 'Build output' }).getByText(`secret length ${opts.secret.length}`).waitFor();
  expect(await page.content()).not.toContain(opts.secret);
  // A step opens on its log.
  await graph.getByRole('button', { name: /RUN --mount=type=cache/ }).click();
  expect(await dlg.getByLabel(/^Log of \[deps 1\/1\]/).textContent()).toContain('deps ran');
  await screenshot(page, `${opts.shot}-graph-light`);

  // One file changed: build again; base and deps come from cache.
  fs.writeFileSync(path.join(opts.dir, 'app.txt'), `v2 ${Date.now()}\n`);
  await dlg.getByRole('button', { name: 'Change settings' }).click();
  await dlg.getByRole('button', { name: 'Build', exact: true }).click();
  await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(/^Built [0-9a-f]{12}/);
  const summary = (await graph.locator('.bg-summary').textContent()) ?? '';
  const cached = Number(/(\d+) of \d+ steps from cache/.exec(summary)?.[1] ?? '0');
  expect(cached).toBeGreaterThanOrEqual(3);
  expect(await graph.getByRole('region', { name: 'Stage deps' }).locator('.bg-step.bg-cached').count()).toBe(1);
  expect(await graph.getByRole('region', { name: 'Stage base' }).locator('.bg-step.bg-cached').count()).toBe(2);
  await screenshot(page, `${opts.shot}-graph-cached-light`);
  expect(await page.content()).not.toContain(opts.secret);
  return dlg;
}

/**
 * From a finished build: target the `base` stage (the later ones count their runs in a cache mount, which is
 * rightly not reproducible), turn on Reproducible, build, then "Check reproducibility" rebuilds without the cache
 * and finds the same digest.
 */
export async function checkReproducibleBuild(dlg: Locator, page: Page, shot: string) {
  const status = dlg.locator('.build-status');
  await dlg.getByRole('button', { name: 'Change settings' }).click();
  // The form reads the Dockerfile's stages again: the picker is a list once they are in.
  const target = dlg.getByLabel('Target stage');
  await expect.poll(() => target.evaluate((el) => el.tagName), { timeout: 20_000 }).toBe('SELECT');
  await target.selectOption('base');
  await dlg.getByLabel('Reproducible').check();
  await dlg.getByLabel('Timestamp (SOURCE_DATE_EPOCH)').fill('1700000000');
  await dlg.getByRole('button', { name: 'Build', exact: true }).click();
  await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(/^Built [0-9a-f]{12}/);
  expect(await dlg.getByLabel('Build steps').getByRole('region', { name: 'Stage deps' }).count()).toBe(0);
  const first = /^Built ([0-9a-f]{12})/.exec((await status.textContent()) ?? '')?.[1];
  await dlg.getByRole('button', { name: 'Check reproducibility' }).click();
  await expect.poll(async () => (await dlg.locator('.build-repro').count()) > 0, { timeout: 90_000 }).toBe(true);
  expect(await dlg.locator('.build-repro').textContent()).toBe(`Same digest as the previous build of this source (${first}): reproducible.`);
  // The check ran every step again.
  expect(await dlg.getByLabel('Build steps').locator('.bg-summary').textContent()).toMatch(/ · 0 of \d+ steps from cache/);
  await screenshot(page, `${shot}-reproducible-light`);
}
