import { expect, it } from 'vitest';
import { describeEngine, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import { nerdctlRaw } from '../support/nerdctl-raw';
import { screenshot } from './support/browser';
import { useNerdctlPage } from './support/nerdctl-page';
import { TerminalUi } from './support/terminal-dock';

/*
 * The everyday flow on the nerdctl engine (vitest project `nerdctl`, whose cores use Berth's nerdctl
 * adapter over the private containerd): run from the Run dialog, see it live, logs, stats, terminal, remove.
 * In the Docker-API projects it is skipped: the same flow is covered there by containers.test.ts and container-detail.test.ts.
 */
const NAME = `berth-e2e-nerdctl-${randomSuffix()}`;

describeEngine('nerdctl engine in the window: run, live row, logs, stats, terminal, remove (browser)', () => {
  const { why, session } = useNerdctlPage([NAME]);
  const page = () => session().opened.page;
  const row = () => session().ui.row(NAME);
  const detail = () => page().getByRole('region', { name: `Details of ${NAME}` });

  it.skipIf(why)('runs a container from the Run dialog and follows it live, logs, stats and a terminal, then removes it', async () => {
    expect(await page().getByTestId('engine-kind').textContent()).toContain('containerd via nerdctl');
    const d = await session().ui.openRunDialog();
    await d.getByLabel('Image', { exact: true }).fill(useEngine().images.busybox);
    await d.getByLabel('Name', { exact: true }).fill(NAME);
    await d.getByLabel('Command', { exact: true }).fill("sh -c 'echo hello from nerdctl; exec sleep 600'");
    await d.getByRole('button', { name: 'Run', exact: true }).click();
    await d.waitFor({ state: 'detached', timeout: 30_000 });

    // The row comes from the change feed (one `nerdctl events` process), running.
    await row().waitFor({ timeout: 20_000 });
    await expect.poll(() => session().ui.stateOf(NAME), { timeout: 20_000 }).toMatch(/^Running/);

    await row().getByText(NAME, { exact: true }).click();
    await detail().waitFor();
    await detail().getByRole('tab', { name: 'Logs', exact: true }).click();
    await page().getByRole('log', { name: `Logs of ${NAME}` }).getByText('hello from nerdctl', { exact: true }).waitFor({ timeout: 20_000 });

    await detail().getByRole('tab', { name: 'Stats', exact: true }).click();
    await expect.poll(() => page().getByTestId('stat-cpu').textContent(), { timeout: 20_000 }).toMatch(/^\d+(\.\d+)?%$/);
    expect(Number(await page().getByTestId('stat-pids').textContent())).toBeGreaterThanOrEqual(1);
    await screenshot(page(), 'nerdctl-stats');

    await detail().getByRole('tab', { name: 'Terminal', exact: true }).click();
    const term = new TerminalUi(page());
    await term.pane(detail()).waitFor({ timeout: 20_000 });
    await term.typeLine(detail(), 'echo $((40+2))');
    await expect.poll(async () => (await term.lines(detail())).some((l) => l.trim() === '42'), { timeout: 20_000 }).toBe(true);
    await screenshot(page(), 'nerdctl-terminal');

    // The detail pane's own Remove action (the list is narrowed to names while a detail is open).
    await detail().getByRole('button', { name: /^Remove/ }).first().click();
    const confirm = page().getByRole('alertdialog', { name: new RegExp(`^Remove ${NAME}`) });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await row().waitFor({ state: 'detached', timeout: 20_000 });
    const n = testNerdctl();
    if (n) expect((await nerdctlRaw(n, 'ps', '-a', '--format', '{{.Names}}')).stdout.split('\n')).not.toContain(NAME);
  });
});
