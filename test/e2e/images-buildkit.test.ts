import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomSuffix, rawDocker } from '../support/engine';
import { busyboxContext } from '../support/images';
import { describePeer, useContainerd } from '../support/peers';
import { browserUnavailable, screenshot, type OpenedPage } from './support/browser';
import { ImagesUi } from './support/images-page';
import { openBerthPage, type BerthSession } from './support/session';

const SECRET_VAR = 'BERTH_E2E_BUILD_TOKEN';
const SECRET = `e2e-secret-${randomSuffix()}-never-shown`;
const DOCKERFILE = `FROM scratch AS base
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

/**
 * The build dialog on dockerd through BuildKit (BUILDKIT_HOST = the containerd peer's buildkitd): a multi-stage
 * build with a cache mount and a secret from an environment variable, the live step graph with its stages,
 * the secret nowhere on the page, and a rebuild after a one-file change showing the reused steps.
 */
describePeer('containerd', 'build dialog: BuildKit step graph (dockerd through BuildKit)', () => {
  let session: BerthSession | undefined;
  let opened: OpenedPage;
  let ui: ImagesUi;
  let dir = '';
  const tag = `berth-e2e/bk:${randomSuffix()}`;
  const saved = { host: process.env.BUILDKIT_HOST, ctl: process.env.BERTH_BUILDCTL, secret: process.env[SECRET_VAR] };

  beforeAll(async () => {
    const why = browserUnavailable();
    if (why) throw new Error(why);
    const c = useContainerd();
    // The core reads its environment when it starts: this file's worker only.
    process.env.BUILDKIT_HOST = c.buildkitAddress;
    process.env.BERTH_BUILDCTL = c.buildctl;
    process.env[SECRET_VAR] = SECRET;
    session = await openBerthPage('images');
    opened = session.opened;
    ui = new ImagesUi(session.app, opened.page);
    await ui.table.waitFor();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-bk-'));
    fs.writeFileSync(path.join(dir, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    fs.writeFileSync(path.join(dir, 'app.txt'), 'v1\n');
  });
  afterAll(async () => {
    await session?.close();
    await rawDocker().getImage(tag).remove({ force: true }).catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of [['BUILDKIT_HOST', saved.host], ['BERTH_BUILDCTL', saved.ctl], [SECRET_VAR, saved.secret]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('builds from the dialog with a secret; the graph shows the stages; a rebuild shows the reused steps', async () => {
    const { page } = opened;
    await page.getByRole('button', { name: 'Build…' }).click();
    const dlg = ui.dialog('Build an image');
    await dlg.getByLabel('Folder').fill(dir);
    await dlg.getByLabel('Tags').fill(tag);
    await dlg.getByLabel('Secrets').fill(`id=token,env=${SECRET_VAR}`);
    await dlg.getByRole('button', { name: 'Build', exact: true }).click();
    const status = dlg.locator('.build-status');
    await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(/^Built [0-9a-f]{12} as berth-e2e\/bk:/);
    expect(await dlg.locator('.build-builder').textContent()).toBe('BuildKit');
    const graph = dlg.getByLabel('Build steps');
    for (const stage of ['base', 'deps', 'stage-2']) await graph.getByRole('region', { name: `Stage ${stage}` }).waitFor();
    expect(await graph.locator('.bg-summary').textContent()).toMatch(/ · \d+ of \d+ steps from cache \(\d+%\)$/);
    // The step's own output is in the log, the value of the secret nowhere on the page.
    await dlg.getByRole('log', { name: 'Build output' }).getByText(`secret length ${SECRET.length}`).waitFor();
    expect(await page.content()).not.toContain(SECRET);
    // A step opens on its log.
    await graph.getByRole('button', { name: /RUN --mount=type=cache/ }).click();
    expect(await dlg.getByLabel(/^Log of \[deps 1\/1\]/).textContent()).toContain('deps ran');
    await screenshot(page, 'images-build-graph-light');

    // One file changed: build again; base and deps come from cache.
    fs.writeFileSync(path.join(dir, 'app.txt'), `v2 ${Date.now()}\n`);
    await dlg.getByRole('button', { name: 'Change settings' }).click();
    await dlg.getByRole('button', { name: 'Build', exact: true }).click();
    await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(/^Built [0-9a-f]{12}/);
    const summary = (await graph.locator('.bg-summary').textContent()) ?? '';
    const cached = Number(/(\d+) of \d+ steps from cache/.exec(summary)?.[1] ?? '0');
    expect(cached).toBeGreaterThanOrEqual(3);
    expect(await graph.getByRole('region', { name: 'Stage deps' }).locator('.bg-step.bg-cached').count()).toBe(1);
    expect(await graph.getByRole('region', { name: 'Stage base' }).locator('.bg-step.bg-cached').count()).toBe(2);
    await screenshot(page, 'images-build-graph-cached-light');
    expect(await page.content()).not.toContain(SECRET);
  });
});
