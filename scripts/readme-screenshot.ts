// Regenerates docs/screenshot.png for the README: a private dockerd with a small demo
// (a compose project and a standalone container), Berth in browser mode, headless Chromium.
// Run as root with the test packages installed: `npx tsx scripts/readme-screenshot.ts`.
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { startDockerd } from '../test/support/dockerd';
import { buildBusybox } from '../test/support/images';
import os from 'node:os';
import { createCore } from '../app/composition';
import { serveCore } from '../test/e2e/support/berth';
import { launchBrowser, openPage } from '../test/e2e/support/browser';
import { ROOT } from '../test/e2e/support/build';

const compose = (service: string) => ({
  'com.docker.compose.project': 'shop',
  'com.docker.compose.service': service,
  'com.docker.compose.container-number': '1',
});

async function main() {
  const dockerd = await startDockerd();
  try {
    const image = await buildBusybox(dockerd.dockerHost);
    const docker = new Docker({ socketPath: dockerd.socketPath });
    const demo: Array<{ name: string; cmd: string[]; labels?: Record<string, string>; port?: number; start: boolean }> = [
      { name: 'shop-web-1', cmd: ['sh', '-c', 'mkdir -p /www && echo shop > /www/index.html && httpd -f -p 80 -h /www'], labels: compose('web'), port: 8080, start: true },
      { name: 'shop-api-1', cmd: ['sh', '-c', 'while :; do echo "GET /orders 200"; sleep 2; done'], labels: compose('api'), port: 3000, start: true },
      { name: 'shop-worker-1', cmd: ['sleep', '100000'], labels: compose('worker'), start: false },
      { name: 'notes', cmd: ['sleep', '100000'], start: true },
      { name: 'nightly-backup', cmd: ['true'], start: true },
    ];
    for (const c of demo) {
      const ports = c.port ? { [`${c.port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] } : undefined;
      const ctr = await docker.createContainer({
        name: c.name,
        Image: image,
        Cmd: c.cmd,
        Labels: c.labels ?? {},
        ExposedPorts: c.port ? { [`${c.port}/tcp`]: {} } : undefined,
        HostConfig: { PortBindings: ports },
      });
      if (c.start) await ctr.start();
    }
    // Berth as released (its own version, not a test build's), on the demo engine.
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-readme-'));
    const core = await createCore({ dataDir, mode: 'web', version, env: { ...process.env, DOCKER_HOST: dockerd.dockerHost } });
    const berth = await serveCore(core, {
      dispose: async () => {
        await core.dispose();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    });
    const browser = await launchBrowser();
    try {
      const opened = await openPage(browser, berth.url, { viewport: { width: 1280, height: 720 } });
      await opened.page.getByText('shop-web-1').first().waitFor();
      await opened.page.waitForTimeout(2500); // let live CPU and memory arrive
      // A session in use: one click on the API's row opens its details, on its logs.
      await opened.page.getByRole('grid', { name: 'Containers' }).getByText('shop-api-1', { exact: true }).click();
      await opened.page.getByRole('region', { name: /^Details of shop-api-1/ }).waitFor();
      await opened.page.getByRole('tab', { name: 'Logs' }).click();
      await opened.page.getByText('GET /orders 200').first().waitFor();
      await opened.page.waitForTimeout(1000);
      const out = path.join(ROOT, 'docs', 'screenshot.png');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await opened.page.screenshot({ path: out });
      process.stdout.write(`Wrote ${out}\n`);
      await opened.close();
    } finally {
      await browser.close();
      await berth.dispose();
    }
  } finally {
    await dockerd.dispose();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
