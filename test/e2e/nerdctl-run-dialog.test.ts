import { expect, it } from 'vitest';
import { describeEngine, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import { nerdctlRaw } from '../support/nerdctl-raw';
import { screenshot } from './support/browser';
import { useNerdctlPage } from './support/nerdctl-page';

/*
 * The Run dialog on the nerdctl engine (vitest project `nerdctl`): what nerdctl cannot do is explained
 * before the run (standard input kept open only with a TTY), and a port given without a host port gets
 * one (from containerd itself when rootful, as here; from Berth's containers.freePort when rootless,
 * unit-tested in test/unit/renderer/run-host-ports.test.ts). Skipped in the Docker-API projects.
 */
const NAME = `berth-e2e-nrun-${randomSuffix()}`;

describeEngine('run dialog on nerdctl: stdin needs a TTY, a published port without a host port (browser)', () => {
  const { why, session } = useNerdctlPage([NAME]);

  it.skipIf(why)('explains that standard input needs a TTY, then runs with both and an engine-chosen host port', async () => {
    const page = session().opened.page;
    const d = await session().ui.openRunDialog();
    await d.getByLabel('Image', { exact: true }).fill(useEngine().images.busybox);
    await d.getByLabel('Name', { exact: true }).fill(NAME);
    await d.getByLabel('Command', { exact: true }).fill("sh -c 'mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 80 -h /www'");
    const note = d.getByRole('note').filter({ hasText: 'keeps standard input open only together with a terminal' });
    await d.getByLabel('Keep standard input open', { exact: true }).check();
    await note.waitFor();
    await screenshot(page, 'nerdctl-run-dialog-stdin');
    await d.getByLabel('Allocate a terminal (TTY)', { exact: true }).check();
    await note.waitFor({ state: 'detached' });

    await d.getByRole('tab', { name: /Ports, volumes, env/ }).click();
    await d.getByRole('button', { name: 'Add port' }).click();
    await d.getByLabel('Port 1', { exact: true }).fill('127.0.0.1::80');
    // This containerd is rootful: it picks the host port itself, and the hint says so.
    await d.getByText('and the engine picks a free one', { exact: false }).waitFor();
    expect(await d.getByTestId('run-ports-rootless').count()).toBe(0);
    await d.getByRole('button', { name: 'Run', exact: true }).click();
    await d.waitFor({ state: 'detached', timeout: 30_000 });

    await session().ui.row(NAME).waitFor({ timeout: 20_000 });
    const n = testNerdctl();
    if (!n) throw new Error('no nerdctl');
    const [doc] = JSON.parse((await nerdctlRaw(n, 'container', 'inspect', NAME)).stdout) as Array<{ NetworkSettings: { Ports: Record<string, Array<{ HostPort: string }> | null> } }>;
    const hostPort = Number(doc?.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort);
    expect(hostPort).toBeGreaterThan(0);
    const [native] = JSON.parse((await nerdctlRaw(n, 'container', 'inspect', '--mode=native', NAME)).stdout) as Array<{ Spec: { process: { terminal?: boolean } } }>;
    expect(native?.Spec.process.terminal).toBe(true);
  });
});
