import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createCore } from '../../app/composition';
import { BUSYBOX_IMAGE, describeEngine, rawDocker } from '../support/engine';
import { berthLimaUnavailable, startBerthLima, type BerthLima } from '../support/lima-berth';
import { serveCore, type BerthWeb } from './support/berth';
import { AppPage } from './support/app-page';
import { axeViolations, describeViolations, launchBrowser, openPage, screenshot, type OpenedPage } from './support/browser';

const limaSkip = berthLimaUnavailable();

/**
 * The VM page in browser mode: the real limactl (create, list, stop, delete) with the start/shell stand-in,
 * whose guest engine is a private dockerd behind the socket the template forwards.
 */
describeEngine(`VM page${limaSkip ? ` [skipped: ${limaSkip}]` : ''}`, () => {
  let lima: BerthLima;
  let berth: BerthWeb;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let app: AppPage;
  let dataDir: string;
  const vmState = () => page.locator('.vm-state').getAttribute('data-state');
  const standin = (b: object) => fs.writeFileSync(path.join(lima.limaHome, '_standin.json'), JSON.stringify(b));

  beforeAll(async () => {
    if (limaSkip) return;
    lima = await startBerthLima({ standin: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-vm-'));
    fs.writeFileSync(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({ version: 1, engine: { runtime: 'moby' }, vm: { limactlPath: lima.limactl, startOnLaunch: false, cpus: 1, memoryGiB: 1, diskGiB: 10 } }),
    );
    const core = await createCore({
      dataDir,
      mode: 'web',
      version: '0.0.0-e2e',
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/berth-e2e.sock' },
      vm: { home: lima.homeDir, limaHome: lima.limaHome, images: lima.images, containerdArchives: lima.containerdArchives, engineTimeoutMs: 30_000, stopTimeoutMs: 20_000, watchMs: 1000 },
    });
    berth = await serveCore(core, {
      dispose: async () => {
        await core.services.vm.stop().catch(() => undefined);
        await core.dispose();
      },
    });
    browser = await launchBrowser();
    opened = await openPage(browser, berth.url);
    page = opened.page;
    app = new AppPage(page);
    await app.waitReady();
    await app.navLink('VM').click();
    await page.getByRole('heading', { level: 1, name: 'VM' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    await berth?.dispose();
    await lima?.dispose();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(limaSkip !== null)('start shows the stages, then running; the containers of its engine appear', async () => {
    expect(await vmState()).toBe('absent');
    standin({ mode: 'ok', stepMs: 400 });
    await page.getByRole('button', { name: 'Create and start' }).click();
    const stages = new Set<string>();
    const progress = page.getByRole('list', { name: 'Start progress' });
    await progress.waitFor();
    await screenshot(page, 'vm-starting');
    for (let i = 0; i < 600 && (await vmState()) !== 'running'; i++) {
      const cur = await progress.locator('[aria-current="step"]').textContent().catch(() => null);
      if (cur) stages.add(cur.replace(/^\d/, ''));
      await page.waitForTimeout(50);
    }
    expect(await vmState()).toBe('running');
    expect([...stages], [...stages].join(' | ')).toEqual(expect.arrayContaining(['Booting', 'Waiting for ssh', 'Provisioning']));
    await page.getByText('The VM and its engine are running.').waitFor();
    await screenshot(page, 'vm-running', { fullPage: true });
    const v = await axeViolations(page);
    expect(v, describeViolations(v)).toEqual([]);

    // A container in the VM's engine (its image carried over from the harness's engine: no network).
    const vmDocker = new Docker({ socketPath: path.join(lima.limaHome, 'berth', 'sock', 'docker.sock') });
    const image = await rawDocker().getImage(BUSYBOX_IMAGE).get();
    await vmDocker.loadImage(image).then((s) => new Promise((r) => (s.on('end', r), s.resume())));
    const name = `in-the-vm-${Date.now().toString(36)}`;
    const c = await vmDocker.createContainer({ name, Image: BUSYBOX_IMAGE, Cmd: ['sleep', '600'], HostConfig: { NetworkMode: 'none' } });
    await c.start();
    await app.navLink('Containers').click();
    await page.getByRole('row').filter({ hasText: name }).first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'vm-containers');
  }, 120_000);

  it.skipIf(limaSkip !== null)('stop reports the engine down cleanly', async () => {
    await app.navLink('VM').click();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(vmState, { timeout: 60_000 }).toBe('stopped');
    await expect.poll(() => app.engineState.textContent(), { timeout: 20_000 }).toBe('Unreachable');
    await page.getByText('The VM is stopped.').waitFor();
    expect(opened.errors).toEqual([]);
  }, 90_000);

  it.skipIf(limaSkip !== null)('a degraded start shows its reason and the log tail', async () => {
    standin({ mode: 'degraded', stepMs: 100 });
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(vmState, { timeout: 60_000 }).toBe('degraded');
    const alert = page.getByRole('alert').filter({ hasText: 'The VM runs, but not everything works.' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('DEGRADED.');
    expect(await alert.getByLabel('Log tail').textContent()).toContain('dockerd to be running');
    await screenshot(page, 'vm-degraded', { fullPage: true });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(vmState, { timeout: 60_000 }).toBe('stopped');
  }, 90_000);

  it.skipIf(limaSkip !== null)('factory reset states what it deletes and, confirmed, deletes only that', async () => {
    const other = path.join(dataDir, 'keep-me.txt');
    fs.writeFileSync(other, 'mine');
    await page.getByRole('button', { name: 'Factory reset…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Factory reset the VM?' });
    await dialog.waitFor();
    const deleted = await dialog.getByRole('list', { name: 'Deleted' }).textContent();
    expect(deleted).toContain(path.join(lima.limaHome, 'berth'));
    expect(deleted).toContain(lima.limaHome);
    expect(await dialog.getByRole('list', { name: 'Kept' }).textContent()).toMatch(/settings/);
    await screenshot(page, 'vm-factory-reset');
    const v = await axeViolations(page);
    expect(v, describeViolations(v)).toEqual([]);
    await dialog.getByRole('button', { name: 'Factory reset' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(vmState, { timeout: 30_000 }).toBe('absent');
    expect(fs.existsSync(lima.limaHome)).toBe(false);
    expect(fs.readFileSync(other, 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(dataDir, 'settings.json'))).toBe(true);
    expect(opened.errors).toEqual([]);
  }, 60_000);
});
