import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestCore, describeEngine, rawDocker, randomSuffix, testNerdctl } from '../support/engine';
import { serveCore, type BerthWeb } from './support/berth';
import { AppPage } from './support/app-page';
import { axeViolations, browserUnavailable, describeViolations, launchBrowser, openPage, screenshot, type OpenedPage } from './support/browser';
import { buildDistroless, execOut, runDistroless } from '../contract/files-support';
import { TerminalUi } from './support/terminal-dock';
import { DEBUG_LABEL } from '../../app/contract/debug';

const noBrowser = browserUnavailable();
const sfx = randomSuffix();
const NAME = `berth-e2e-files-${sfx}`;
const TAG = `berth-test/distroless-e2e-${sfx}:latest`;
// The whole flow on the Docker API (arranged through dockerode); on nerdctl the tab is checked by test/nerdctl/files-page.test.ts.
const onNerdctl = testNerdctl() !== null;

describeEngine('container Files tab and debug shell on a distroless container (browser)', () => {
  let berth: BerthWeb;
  let browser: Browser;
  let opened: OpenedPage;
  let id = '';
  let dir = '';
  const docker = rawDocker();

  beforeAll(async () => {
    if (onNerdctl) return;
    if (noBrowser) throw new Error(noBrowser);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-files-'));
    await buildDistroless(docker, TAG);
    id = (await runDistroless(docker, TAG, NAME)).id;
    const tc = await createTestCore();
    berth = await serveCore(tc.core, { dispose: tc.dispose });
    browser = await launchBrowser();
    opened = await openPage(browser, berth.url);
    await new AppPage(opened.page).waitReady();
  }, 180_000);

  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    await berth?.dispose();
    if (id) await docker.getContainer(id).remove({ force: true });
    if (!onNerdctl) await docker.getImage(TAG).remove({ force: true }).catch((e: unknown) => console.warn(`could not remove ${TAG}: ${String(e)}`));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(onNerdctl)('browses, views a text file, downloads, uploads with a replace confirmation, and shows the upload in Changed', async () => {
    const { page } = opened;
    await page.evaluate((h) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = h;
    }, `#/containers/${id}/files`);
    const table = page.getByRole('table', { name: 'Files in /' });
    await table.waitFor();
    await table.getByRole('button', { name: 'busybox', exact: true }).waitFor();
    await table.getByText('→ /busybox').waitFor();
    expect(await table.getByRole('row').filter({ has: page.getByRole('button', { name: 'busybox', exact: true }) }).textContent()).toMatch(/-rwxr-xr-x/);

    await table.getByRole('button', { name: 'data/' }).click();
    const data = page.getByRole('table', { name: 'Files in /data' });
    await data.getByRole('button', { name: 'hello.txt' }).click();
    await page.getByRole('region', { name: 'Contents of /data/hello.txt' }).getByText('hello from a distroless image').waitFor();
    expect(await data.getByRole('row').filter({ hasText: 'hello.txt' }).textContent()).toMatch(/1234:5678/);
    const v = await axeViolations(page);
    expect(v, describeViolations(v)).toEqual([]);
    await screenshot(page, 'files-tab-browse');

    // Download the selected file as a tar.
    await page.getByRole('button', { name: 'Download…' }).click();
    const to = path.join(dir, 'hello.tar');
    await page.getByRole('form', { name: 'Download' }).getByRole('textbox').fill(to);
    await page.getByRole('form', { name: 'Download' }).getByRole('button', { name: 'Download', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `Saved /data/hello.txt to ${to}` }).waitFor();
    expect(fs.readFileSync(to).includes(Buffer.from('hello from a distroless image'))).toBe(true);
    await page.getByRole('button', { name: 'Download…' }).click();

    // Upload a host file into /data; the second time asks before replacing it.
    const src = path.join(dir, 'note.txt');
    fs.writeFileSync(src, 'first\n');
    await page.getByRole('button', { name: 'Upload…' }).click();
    const form = page.getByRole('form', { name: 'Upload' });
    await form.getByRole('textbox').fill(src);
    await form.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Uploaded note.txt into /data.' }).waitFor();
    await data.getByRole('button', { name: 'note.txt' }).waitFor();
    expect(await execOut(docker, docker.getContainer(id), ['/busybox', 'cat', '/data/note.txt'])).toBe('first\n');

    fs.writeFileSync(src, 'second\n');
    await form.getByRole('button', { name: 'Upload', exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Replace an item in /data?' });
    await dialog.getByText('note.txt').waitFor();
    await screenshot(page, 'files-tab-replace');
    await dialog.getByRole('button', { name: 'Replace' }).click();
    await page.getByRole('status').filter({ hasText: 'replaced note.txt' }).waitFor();
    expect(await execOut(docker, docker.getContainer(id), ['/busybox', 'cat', '/data/note.txt'])).toBe('second\n');

    await page.getByRole('button', { name: 'Changed' }).click();
    const changed = page.getByRole('list', { name: 'Changed since the image' });
    await changed.getByText('/data/note.txt').waitFor();
    expect(await changed.getByRole('listitem').filter({ hasText: '/data/note.txt' }).textContent()).toMatch(/^Added/);
    await screenshot(page, 'files-tab-changed');
  });

  it('exec finds no shell and offers a debug shell: it sees the target’s processes and files, and goes away on exit', async () => {
    const { page } = opened;
    const before = await docker.getContainer(id).inspect();
    await page.evaluate((h) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = h;
    }, `#/containers/${id}/terminal`);
    const offer = page.getByRole('button', { name: 'Open a debug shell instead' });
    await offer.first().waitFor({ timeout: 20_000 });
    await offer.first().click();
    const term = new TerminalUi(page);
    await term.dock.getByRole('tab', { name: /^debug / }).waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await term.lines(term.dock)).some((l) => l.startsWith('debug #')), { timeout: 20_000 }).toBe(true);
    await term.typeLine(term.dock, 'ps');
    await expect.poll(async () => (await term.lines(term.dock)).some((l) => l.includes('/busybox sleep 100000'))).toBe(true);
    await term.typeLine(term.dock, 'cat data/hello.txt');
    await expect.poll(() => term.lines(term.dock)).toContain('hello from a distroless image');
    await screenshot(page, 'debug-shell-dock');
    // The toolbox is Berth's helper: the containers list leaves it out (the target stays listed).
    const [toolbox] = await docker.listContainers({ all: true, filters: { label: [`${DEBUG_LABEL}=${id}`] } });
    expect(toolbox).toBeDefined();
    await page.evaluate(() => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = '#/containers';
    });
    const list = page.getByRole('grid', { name: 'Containers' });
    await list.getByText(NAME, { exact: true }).first().waitFor();
    expect(await list.getByText((toolbox?.Names[0] ?? '').replace(/^\//, ''), { exact: true }).count()).toBe(0);
    await term.typeLine(term.dock, 'exit');
    await expect
      .poll(async () => (await docker.listContainers({ all: true, filters: { label: [`${DEBUG_LABEL}=${id}`] } })).length, { timeout: 60_000 })
      .toBe(0);
    const after = await docker.getContainer(id).inspect();
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    expect(after.State.Running).toBe(true);
  }, 150_000);

  it('a stopped container’s Debug shell opens in a read-only copy of its files; the copy goes on exit and the container stays stopped', async () => {
    const { page } = opened;
    const stopped = await runDistroless(docker, TAG, `${NAME}-stopped`);
    try {
      await stopped.stop({ t: 1 });
      const before = await stopped.inspect();
      await page.evaluate((h) => {
        (globalThis as unknown as { location: { hash: string } }).location.hash = h;
      }, `#/containers/${stopped.id}/files`);
      await page.getByRole('table', { name: 'Files in /' }).getByRole('button', { name: 'busybox', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Debug shell' }).click();
      const term = new TerminalUi(page);
      await term.dock.getByRole('tab', { name: /read-only copy/ }).waitFor({ timeout: 60_000 });
      await expect.poll(async () => (await term.lines(term.dock)).some((l) => l.startsWith('debug #')), { timeout: 30_000 }).toBe(true);
      await term.typeLine(term.dock, 'cat data/hello.txt');
      await expect.poll(() => term.lines(term.dock)).toContain('hello from a distroless image');
      await screenshot(page, 'debug-shell-stopped-copy');
      await term.typeLine(term.dock, 'exit');
      await expect
        .poll(async () => (await docker.listContainers({ all: true, filters: { label: [`${DEBUG_LABEL}=${stopped.id}`] } })).length, { timeout: 60_000 })
        .toBe(0);
      const after = await stopped.inspect();
      expect(after.State.Running).toBe(false);
      expect(after.State.StartedAt).toBe(before.State.StartedAt);
    } finally {
      await stopped.remove({ force: true });
    }
  }, 180_000);
});
