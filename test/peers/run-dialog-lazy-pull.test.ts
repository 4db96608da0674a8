import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCore } from '../../app/composition';
import { serveCore, type BerthWeb } from '../e2e/support/berth';
import { AppPage } from '../e2e/support/app-page';
import { launchBrowser, openPage, screenshot, type OpenedPage } from '../e2e/support/browser';
import { ContainersUi } from '../e2e/support/containers-page';
import { startContainerd, type Containerd } from '../support/containerd';
import { randomSuffix } from '../support/engine';
import { buildBusyboxInto } from '../support/peers-setup';
import { describePeer } from '../support/peers';
import { startRegistry, type Registry } from '../support/registry';
import type { Browser } from 'playwright-core';

const execFileP = promisify(execFile);

/**
 * The Run dialog on a containerd with the stargz snapshotter: "Pull lazily" pulls an eStargz image from the local
 * registry through the stargz snapshotter, and the container runs on it (nerdctl's own snapshotter stays overlayfs).
 */
describePeer('containerd', 'Run dialog: lazy pull on run (stargz snapshotter)', () => {
  let c: Containerd;
  let registry: Registry;
  let berth: BerthWeb;
  let browser: Browser;
  let opened: OpenedPage;
  let dataDir: string;
  const nerdctl = (...args: string[]) => execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 64 << 20 });

  beforeAll(async () => {
    registry = await startRegistry();
    c = await startContainerd({ stargz: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-core-'));
    const core = await createCore({
      dataDir,
      mode: 'web',
      version: '0.0.0-test',
      env: {
        ...process.env,
        DOCKER_HOST: 'unix:///nonexistent/berth-lazy-run/docker.sock',
        BERTH_NERDCTL: c.nerdctl,
        BERTH_NERDCTL_ARGS: JSON.stringify(c.nerdctlArgs),
        BERTH_NERDCTL_ENV: JSON.stringify(c.env),
        BERTH_NERDCTL_NAMESPACE: c.namespace,
        BERTH_NERDCTL_ACTIVE: '1',
      },
    });
    berth = await serveCore(core);
    browser = await launchBrowser();
    opened = await openPage(browser, berth.url);
  }, 240_000);
  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    await berth?.dispose();
    await c?.dispose();
    await registry?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('"Pull lazily" pulls the eStargz image through the stargz snapshotter and runs it there', async () => {
    const ref = `${registry.host}/berth-test/lazy-run-${randomSuffix()}:1`;
    const name = `lazy-run-${randomSuffix()}`;
    await nerdctl('image', 'convert', '--estargz', '--oci', await buildBusyboxInto(c), ref);
    await nerdctl('push', '--insecure-registry', ref);
    await nerdctl('rmi', ref);

    const app = new AppPage(opened.page);
    await app.waitReady();
    await app.gotoPage('containers');
    const ui = new ContainersUi(app, opened.page);
    const d = await ui.openRunDialog();
    await d.getByLabel('Image', { exact: true }).fill(ref);
    const lazy = d.getByLabel('Pull lazily (eStargz)');
    await lazy.check();
    await d.getByLabel('Name', { exact: true }).fill(name);
    await d.getByLabel('Command', { exact: true }).fill('sleep 600');
    await screenshot(opened.page, 'run-dialog-lazy-pull');
    await ui.axe('run dialog with lazy pull');
    // "Never" pulls nothing, so it offers no lazy pull.
    await d.getByLabel('Pull the image').selectOption('never');
    expect(await d.getByLabel('Pull lazily (eStargz)').count()).toBe(0);
    await d.getByLabel('Pull the image').selectOption('missing');
    expect(await d.getByLabel('Pull lazily (eStargz)').isChecked()).toBe(true);
    await d.getByRole('button', { name: 'Run', exact: true }).click();
    await d.waitFor({ state: 'detached', timeout: 120_000 });
    await ui.row(name).waitFor();

    // The container runs on the stargz snapshotter; the image's layers are FUSE mounts (pulled lazily).
    const [native] = JSON.parse((await nerdctl('container', 'inspect', '--mode=native', name)).stdout) as Array<{ Snapshotter: string; Process?: { Status?: { Status?: string } } }>;
    expect(native?.Snapshotter).toBe('stargz');
    const fuse = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(c.dir) && l.includes('fuse'));
    expect(fuse.length, 'remote layers mounted through FUSE').toBeGreaterThan(0);
    const { stdout } = await nerdctl('inspect', '--format', '{{.State.Running}}', name);
    expect(stdout.trim()).toBe('true');
    await nerdctl('rm', '-f', name);
  }, 240_000);
});
