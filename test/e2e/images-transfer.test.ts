import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { buildImage, describeEngine, randomSuffix, rawDocker, TEST_LABEL, useEngine } from '../support/engine';
import { startRegistry, type Registry } from '../support/registry';
import type { AppPage } from './support/app-page';
import { openBerthPage, type BerthSession } from './support/session';
import { browserUnavailable, screenshot, type OpenedPage } from './support/browser';
import { expectAxeClean } from './support/axe';
import { ImagesUi, slowProxy } from './support/images-page';

const noBrowser = browserUnavailable();
const isFocused = (el: unknown) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement;

/** Pushes with dockerode (arranging state, not the thing under test), failing on an in-stream error. */
async function rawPush(docker: Docker, ref: string): Promise<void> {
  // dockerd wants an X-Registry-Auth header even for a registry without auth.
  const stream = (await docker.getImage(ref).push({ authconfig: {} } as never)) as unknown as NodeJS.ReadableStream;
  const out: Array<{ error?: string }> = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: Array<{ error?: string }>) => (err ? reject(err) : resolve(res))),
  );
  const failed = out.find((o) => o.error);
  if (failed) throw new Error(`push ${ref}: ${failed.error}`);
}

/** GET on a registry on 127.0.0.1, with basic auth when given. */
function registryGet(host: string, urlPath: string, auth?: { user: string; password: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = auth ? { Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` } : {};
    const req = http.get({ host: '127.0.0.1', port: Number(host.split(':')[1]), path: urlPath, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describeEngine('images page: pull, push and build', () => {
  let session: BerthSession | undefined;
  let opened: OpenedPage;
  let app: AppPage;
  let ui: ImagesUi;
  const made: string[] = [];
  const dirs: string[] = [];
  const leftovers: string[] = [];
  const docker = () => rawDocker();
  const classic = process.env.DOCKER_BUILDKIT;

  beforeAll(async () => {
    if (noBrowser) throw new Error(noBrowser);
    // The build flows here are the classic builder's (its "Step N/M" log); dockerd's own BuildKit has its e2e
    // (images-build-dockerd-buildkit.test.ts). The core reads its environment when it starts: this file's worker only.
    process.env.DOCKER_BUILDKIT = '0';
    session = await openBerthPage('images');
    ({ opened, app } = session);
    ui = new ImagesUi(app, opened.page);
    await ui.table.waitFor();
  });
  afterAll(async () => {
    await session?.close();
    if (classic === undefined) delete process.env.DOCKER_BUILDKIT;
    else process.env.DOCKER_BUILDKIT = classic;
    for (const ref of made.reverse()) await docker().getImage(ref).remove({ force: true }).catch(() => undefined);
    for (const label of leftovers) {
      for (const i of await docker().listImages({ all: true, filters: { label: [label] } })) await docker().getImage(i.Id).remove({ force: true }).catch(() => undefined);
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('pulls from the local registry in the dialog: per-layer progress and total bytes, then the image is in the list', async () => {
    const { page } = opened;
    const { registry, images } = useEngine();
    const repoPath = 'berth-e2e/busybox';
    const tag = randomSuffix();
    const pushed = `${registry}/${repoPath}:${tag}`;
    // busybox plus a layer of its own, so the pull has bytes to download (busybox's layers are here already).
    await buildImage(docker(), pushed, { Dockerfile: [`FROM ${images.busybox}`, `LABEL ${TEST_LABEL}=1`, `RUN head -c 4000000 /dev/urandom > /blob-${tag}`].join('\n') });
    made.push(pushed);
    await rawPush(docker(), pushed);
    await docker().getImage(pushed).remove();

    // Through a slow loopback proxy to the same registry: the download takes a few seconds.
    const proxy = await slowProxy(registry, 1_000_000);
    const ref = `${proxy.host}/${repoPath}:${tag}`;
    made.push(ref);
    try {
      await page.getByRole('button', { name: 'Pull…' }).click();
      const dlg = ui.dialog('Pull an image');
      await dlg.waitFor();
      const input = dlg.getByLabel('Image reference');
      await input.fill('Berth/Busybox');
      await dlg.getByText('The repository name must be lowercase.').waitFor();
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      await dlg.getByRole('button', { name: 'Pull', exact: true }).click();
      expect(await dlg.getByTestId('transfer').count()).toBe(0);

      await input.fill(ref);
      expect(await input.getAttribute('aria-invalid')).toBeNull();
      await dlg.getByRole('button', { name: 'Pull', exact: true }).click();

      // Mid-way: a layer downloading with its bytes, and the total so far.
      const downloading = dlg.locator('.xfer-layer[data-status="downloading"]');
      await downloading.first().waitFor({ timeout: 20_000 });
      await expect.poll(async () => (await downloading.first().locator('.xfer-layer-status').textContent()) ?? '', { timeout: 10_000 }).toMatch(/^Downloading \d+(\.\d)? [kM]?B \/ \d+(\.\d)? MB$/);
      expect(await dlg.getByTestId('transfer-total').textContent()).toMatch(/^\d+(\.\d)? [kM]?B of \d+(\.\d)? MB$/);
      expect(await dlg.getByRole('progressbar', { name: 'Pull progress' }).getAttribute('aria-valuenow')).toMatch(/^\d+$/);
      await screenshot(page, 'images-pull-progress-light');
      await expectAxeClean(page);

      const result = dlg.locator('.img-result');
      await result.waitFor({ timeout: 60_000 });
      expect(await result.textContent()).toContain(`Pulled ${ref}`);
      // The keyboard focus follows: Cancel while it ran, Close now.
      await expect.poll(() => dlg.getByRole('button', { name: 'Close', exact: true }).last().evaluate(isFocused)).toBe(true);
      expect(await dlg.getByTestId('transfer-total').textContent()).toMatch(/^(\d+(\.\d)? MB) of \1$/);
      expect(await dlg.locator('.xfer-layer').count()).toBeGreaterThanOrEqual(3);
      expect(await dlg.locator('.xfer-layer:not([data-status="complete"]):not([data-status="exists"])').count()).toBe(0);
      await screenshot(page, 'images-pull-done-light');

      // In the list when the dialog says so.
      const raw = await docker().getImage(ref).inspect();
      await dlg.getByRole('button', { name: 'Close', exact: true }).last().click();
      await dlg.waitFor({ state: 'detached' });
      await ui.row(raw.Id).waitFor();
      expect(await ui.row(raw.Id).textContent()).toContain(`${proxy.host}/${repoPath}:${tag}`);
    } finally {
      await proxy.close();
    }
  });

  it('cancels a pull from the dialog: it says so, and the image is not there', async () => {
    const { page } = opened;
    const { registry, images } = useEngine();
    const repoPath = `berth-e2e/cancel-${randomSuffix()}`;
    await buildImage(docker(), `${registry}/${repoPath}:1`, { Dockerfile: [`FROM ${images.busybox}`, `LABEL ${TEST_LABEL}=1`, `RUN head -c 4000000 /dev/urandom > /blob`].join('\n') });
    made.push(`${registry}/${repoPath}:1`);
    await rawPush(docker(), `${registry}/${repoPath}:1`);
    await docker().getImage(`${registry}/${repoPath}:1`).remove();
    // 4 MB at 250 kB/s: well over ten seconds, so the cancel comes first.
    const proxy = await slowProxy(registry, 250_000);
    const ref = `${proxy.host}/${repoPath}:1`;
    made.push(ref);
    try {
      await page.getByRole('button', { name: 'Pull…' }).click();
      const dlg = ui.dialog('Pull an image');
      await dlg.getByLabel('Image reference').fill(ref);
      await dlg.getByRole('button', { name: 'Pull', exact: true }).click();
      await dlg.locator('.xfer-layer[data-status="downloading"]').first().waitFor({ timeout: 20_000 });
      await dlg.getByRole('button', { name: 'Cancel pull' }).click();
      await dlg.getByText('Pull cancelled.').waitFor();
      expect(await docker().getImage(ref).inspect().then(() => true, () => false)).toBe(false);
      expect(await dlg.getByLabel('Image reference').isEnabled()).toBe(true);
      await dlg.getByRole('button', { name: 'Pull again' }).waitFor();
      await page.keyboard.press('Escape');
      await dlg.waitFor({ state: 'detached' });
    } finally {
      await proxy.close();
    }
  });

  it('shows the registry’s refusal in the pull dialog', async () => {
    const { page } = opened;
    const { registry } = useEngine();
    await page.getByRole('button', { name: 'Pull…' }).click();
    const dlg = ui.dialog('Pull an image');
    await dlg.getByLabel('Image reference').fill(`${registry}/berth-e2e/not-there-${randomSuffix()}:1`);
    await dlg.getByRole('button', { name: 'Pull', exact: true }).click();
    const alert = dlg.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('The pull failed');
    expect(await alert.textContent()).toContain('IMAGE_NOT_FOUND');
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });
  });

  it('pushes to a registry that wants a login: asks for it once, then pushes with it', async () => {
    const { page } = opened;
    const auth = { user: 'berth', password: `pw-${randomSuffix()}` };
    let reg: Registry | undefined;
    try {
      reg = await startRegistry({ auth });
      const repo = `berth-e2e/private-${randomSuffix()}`;
      const ref = `${reg.host}/${repo}:1`;
      await buildImage(docker(), ref, { Dockerfile: [`FROM ${useEngine().images.busybox}`, `LABEL ${TEST_LABEL}=1 berth.e2e=${repo}`].join('\n') });
      made.push(ref);
      const id = (await docker().getImage(ref).inspect()).Id;
      await ui.row(id).waitFor();
      await ui.row(id).getByRole('button', { name: `Push ${ref}` }).click();
      const dlg = ui.dialog(`Push ${ref}`);
      await dlg.waitFor();
      await dlg.getByRole('button', { name: 'Push', exact: true }).click();

      const form = dlg.getByRole('form', { name: `Sign in to ${reg.host}` });
      await form.waitFor({ timeout: 30_000 });
      expect(await dlg.getByRole('alert').textContent()).toContain('AUTH_REQUIRED');
      expect(await form.getByLabel('Username').evaluate(isFocused)).toBe(true);
      await form.getByRole('button', { name: 'Push with these credentials' }).click();
      await form.getByText('Enter the user name.').waitFor();
      await form.getByLabel('Username').fill(auth.user);
      await form.getByLabel('Password or token').fill(auth.password);
      await screenshot(page, 'images-push-login-light');
      await form.getByRole('button', { name: 'Push with these credentials' }).click();

      const result = dlg.locator('.img-result');
      await result.waitFor({ timeout: 60_000 });
      expect(await result.textContent()).toMatch(new RegExp(`^Pushed ${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} as sha256:[0-9a-f]{64}\\.$`));
      // The UI keeps no credentials: the form is gone with the dialog's state.
      expect(await dlg.getByLabel('Password or token').count()).toBe(0);
      const tags = await registryGet(reg.host, `/v2/${repo}/tags/list`, auth);
      expect(tags.status).toBe(200);
      expect(JSON.parse(tags.body)).toMatchObject({ name: repo, tags: ['1'] });
      await dlg.getByRole('button', { name: 'Close', exact: true }).last().click();
      await dlg.waitFor({ state: 'detached' });
    } finally {
      await reg?.stop();
    }
  });

  it('builds an image from a folder: the log streams, and the image is in the list', async () => {
    const { page } = opened;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-build-'));
    dirs.push(dir);
    const tag = `berth-e2e/built:${randomSuffix()}`;
    fs.writeFileSync(path.join(dir, 'Dockerfile'), [`FROM ${useEngine().images.busybox}`, 'RUN echo built > /built', `LABEL ${TEST_LABEL}=1`, ''].join('\n'));
    made.push(tag);

    await page.getByRole('button', { name: 'Build…' }).click();
    const dlg = ui.dialog('Build an image');
    await dlg.waitFor();
    await dlg.getByLabel('Folder').fill('relative/path');
    await dlg.getByText('Give the full path of the folder (starting with /).').waitFor();
    await dlg.getByLabel('Folder').fill(dir);
    await dlg.getByLabel('Tags').fill(`${tag} Bad:Tag`);
    await dlg.getByText('Bad:Tag: The repository name must be lowercase.').waitFor();
    await dlg.getByLabel('Tags').fill(tag);
    await dlg.getByRole('button', { name: 'Add build argument' }).click();
    await dlg.getByLabel('Build argument 1 name').fill('GREETING');
    await dlg.getByLabel('Build argument 1 value').fill('hello');
    await screenshot(page, 'images-build-form-light');
    await dlg.getByRole('button', { name: 'Build', exact: true }).click();

    const log = dlg.getByRole('log', { name: 'Build output' });
    await log.getByText('Step 2/3 : RUN echo built > /built').waitFor({ timeout: 60_000 });
    const status = dlg.locator('.build-status');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^Built [0-9a-f]{12} as berth-e2e\/built:[a-z0-9]+\. It is in the list\.$/);
    const text = (await log.textContent()) ?? '';
    expect(text).toContain('Step 1/3 : FROM');
    expect(text).toContain('Step 3/3 : LABEL');
    expect(text).toMatch(/Successfully built [0-9a-f]{12}/);
    // The unused build argument is reported by the builder, in the log.
    expect(text).toContain('[GREETING] were not consumed');
    await screenshot(page, 'images-build-log-light');
    await expectAxeClean(page);

    const raw = await docker().getImage(tag).inspect();
    expect(raw.Config.Labels).toMatchObject({ [TEST_LABEL]: '1' });
    expect(raw.RepoTags).toContain(tag);
    await dlg.getByRole('button', { name: 'Close', exact: true }).last().click();
    await dlg.waitFor({ state: 'detached' });
    await ui.row(raw.Id).waitFor();
    expect(await ui.row(raw.Id).textContent()).toContain(tag);
  });

  it('cancels a build from the dialog', async () => {
    const { page } = opened;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-build-'));
    dirs.push(dir);
    const run = `berth.e2e.run=${randomSuffix()}`;
    leftovers.push(run);
    const tag = `berth-e2e/cancelled:${randomSuffix()}`;
    fs.writeFileSync(path.join(dir, 'Dockerfile'), [`FROM ${useEngine().images.busybox}`, `LABEL ${TEST_LABEL}=1 ${run}`, 'RUN echo sleeping && sleep 30', ''].join('\n'));
    await page.getByRole('button', { name: 'Build…' }).click();
    const dlg = ui.dialog('Build an image');
    await dlg.getByLabel('Folder').fill(dir);
    await dlg.getByLabel('Tags').fill(tag);
    await dlg.getByRole('button', { name: 'Build', exact: true }).click();
    const log = dlg.getByRole('log', { name: 'Build output' });
    await log.getByText('sleeping', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await dlg.locator('.build-status').textContent()).toBe('Step 3 of 3: RUN echo sleeping && sleep 30');
    expect(await dlg.getByRole('button', { name: 'Cancel build' }).evaluate(isFocused)).toBe(true);
    await page.keyboard.press('Enter');
    await dlg.locator('.build-status').getByText('Build cancelled.').waitFor();
    expect(await log.locator('.build-line').last().textContent()).toBe('Cancelled.');
    expect(await docker().getImage(tag).inspect().then(() => true, () => false)).toBe(false);
    await dlg.getByRole('button', { name: 'Build again' }).waitFor();
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });
  });

  it('shows a failing build step highlighted in the log and the error in the dialog', async () => {
    const { page } = opened;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-build-'));
    dirs.push(dir);
    // The steps before the failing one leave an untagged image behind: this label finds it for cleanup.
    const run = `berth.e2e.run=${randomSuffix()}`;
    fs.writeFileSync(path.join(dir, 'Dockerfile'), [`FROM ${useEngine().images.busybox}`, `LABEL ${TEST_LABEL}=1 ${run}`, 'RUN echo about to fail && exit 3', ''].join('\n'));
    leftovers.push(run);
    await app.setTheme('Dark');
    await expect.poll(() => app.theme()).toBe('dark');
    await page.getByRole('button', { name: 'Build…' }).click();
    const dlg = ui.dialog('Build an image');
    await dlg.getByLabel('Folder').fill(dir);
    await dlg.getByRole('button', { name: 'Build', exact: true }).click();
    const alert = dlg.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.textContent()).toContain('COMMAND_FAILED');
    expect(await alert.textContent()).toContain('step 3/3');
    const log = dlg.getByRole('log', { name: 'Build output' });
    expect(await log.getByText('about to fail').count()).toBeGreaterThan(0);
    expect(await log.locator('.build-error').filter({ hasText: 'returned a non-zero code: 3' }).count()).toBeGreaterThan(0);
    await screenshot(page, 'images-build-failed-dark');
    await expectAxeClean(page);
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });
    await app.setTheme('System');
  });

  it('reported no console errors', () => {
    expect(opened.errors).toEqual([]);
  });
});
