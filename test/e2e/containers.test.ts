import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngine, rawDocker, randomSuffix, TEST_LABEL, useEngine } from '../support/engine';
import { freeLocalPort, httpGet } from '../contract/containers-support';
import { screenshot } from './support/browser';
import { openContainersPage, type ContainersSession } from './support/containers-page';

const sfx = randomSuffix();
const NAME = `berth-e2e-web-${sfx}`;
const VOLUME = `berth-e2e-vol-${sfx}`;
const HTTPD = 'sh -c "mkdir -p /www && echo berth-e2e > /www/index.html && httpd -f -p 8080 -h /www"';

const inspect = (name: string) => rawDocker().getContainer(name).inspect();

describeEngine('containers page: run dialog, detail, edit and lifecycle (browser)', () => {
  let s: ContainersSession;
  let hostPort = 0;
  const page = () => s.opened.page;

  beforeAll(async () => {
    s = await openContainersPage();
  });

  afterAll(async () => {
    await s?.close();
    const docker = rawDocker();
    const mine = await docker.listContainers({ all: true, filters: { name: [sfx] } });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
    await docker.getVolume(VOLUME).remove().catch(() => undefined);
  });

  it('runs a container from the dialog with a port, env vars and a volume; its port link is right', async () => {
    hostPort = await freeLocalPort();
    await page().getByRole('button', { name: 'Run a container' }).first().click();
    await s.ui.dialog.waitFor();
    const d = s.ui.dialog;
    // Focus starts in the first field; typing goes there.
    await expect.poll(() => d.getByLabel('Image', { exact: true }).evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true);
    await page().keyboard.type(useEngine().images.busybox);
    expect(await d.getByLabel('Image', { exact: true }).inputValue()).toBe(useEngine().images.busybox);
    await d.getByLabel('Name', { exact: true }).fill('-not valid');
    await expect.poll(() => d.getByText(/letter or digit/).count()).toBe(1);
    await d.getByLabel('Name', { exact: true }).fill(NAME);
    await d.getByLabel('Command', { exact: true }).fill(HTTPD);

    await d.getByRole('tab', { name: /Ports, volumes, env/ }).click();
    await d.getByRole('button', { name: 'Add port' }).click();
    await d.getByLabel('Port 1', { exact: true }).fill('8080:80:70:1');
    await expect.poll(() => d.getByText(/host port:\]?container port|\[host IP:\]/).count()).toBeGreaterThan(0);
    await d.getByLabel('Port 1', { exact: true }).fill(`${hostPort}:8080`);
    await d.getByRole('button', { name: 'Add volume' }).click();
    await d.getByLabel('Mount 1 source', { exact: true }).fill(VOLUME);
    await d.getByLabel('Mount 1 target', { exact: true }).fill('/www');
    for (const [i, [k, v]] of [['GREETING', 'hello'], ['API_TOKEN', 's3cret-value']].entries()) {
      await d.getByRole('button', { name: 'Add variable' }).click();
      await d.getByLabel(`Variable ${i + 1} name`, { exact: true }).fill(k!);
      await d.getByLabel(`Variable ${i + 1} value`, { exact: true }).fill(v!);
    }
    expect(await d.getByLabel('Variable 2 value', { exact: true }).getAttribute('type')).toBe('password');
    await s.ui.axe('run dialog, ports tab');

    await d.getByRole('tab', { name: 'Network' }).click();
    await d.getByRole('button', { name: 'Add label' }).click();
    await d.getByLabel('Label 1 key', { exact: true }).fill(TEST_LABEL);
    await d.getByLabel('Label 1 value', { exact: true }).fill('1');
    await s.ui.axe('run dialog, network tab');

    const command = d.getByTestId('run-command');
    await expect.poll(() => command.textContent(), { timeout: 10_000 }).toContain(`-p ${hostPort}:8080`);
    const line = (await command.textContent()) ?? '';
    expect(line).toMatch(/^docker run -d --name berth-e2e-web-/);
    expect(line).toContain('-e GREETING=hello');
    expect(line).toContain(`--mount type=volume,source=${VOLUME},target=/www`);
    // Only dockerd is known here: no nerdctl line is offered.
    expect(await d.getByRole('group', { name: 'Command line tool' }).count()).toBe(0);
    await d.getByRole('tab', { name: /Resources/ }).click();
    await d.getByLabel('Memory', { exact: true }).fill('1m');
    await d.getByText('must be at least 6 MiB (6291456 bytes)').waitFor();
    await expect.poll(() => d.getByRole('tab', { name: /Resources.*1 to fix/ }).count()).toBe(1);
    await s.ui.axe('run dialog, resources tab');
    await d.getByLabel('Memory', { exact: true }).fill('');
    await d.getByRole('tab', { name: /Security/ }).click();
    await d.getByLabel('Privileged', { exact: true }).check();
    await d.getByRole('alert').filter({ hasText: 'a privileged container controls the host' }).waitFor();
    await s.ui.axe('run dialog, security tab');
    await d.getByLabel('Privileged', { exact: true }).uncheck();
    await d.getByRole('tab', { name: 'Basic' }).click();
    await screenshot(page(), 'containers-run-dialog-light');
    await s.ui.axe('run dialog (light)');

    await d.getByRole('button', { name: 'Run', exact: true }).click();
    await s.ui.dialog.waitFor({ state: 'detached', timeout: 30_000 });
    await s.ui.filter(sfx);
    await s.ui.row(NAME).waitFor();
    await expect.poll(() => s.ui.stateOf(NAME)).toMatch(/^Running/);
    const link = s.ui.row(NAME).getByRole('link', { name: new RegExp(`^${hostPort}`) });
    expect(await link.getAttribute('href')).toBe(`http://localhost:${hostPort}`);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect((await httpGet(hostPort)).trim()).toBe('berth-e2e');

    const info = await inspect(NAME);
    expect(info.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello', 'API_TOKEN=s3cret-value']));
    expect(info.Mounts.find((m) => m.Destination === '/www')?.Name).toBe(VOLUME);
    expect(info.Config.Labels[TEST_LABEL]).toBe('1');
  });

  it("surfaces the engine's PORT_ALLOCATED in the dialog with its free port as a one-click fix", async () => {
    const port = await freeLocalPort();
    // Something that is not a container holds the port: only the engine can tell.
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    const name = `berth-e2e-busy-${sfx}`;
    try {
      await page().getByRole('button', { name: 'Run a container' }).first().click();
      const d = s.ui.dialog;
      await d.getByLabel('Image', { exact: true }).fill(useEngine().images.busybox);
      await d.getByLabel('Name', { exact: true }).fill(name);
      await d.getByLabel('Command', { exact: true }).fill('sleep 1000');
      await d.getByRole('tab', { name: /Ports, volumes, env/ }).click();
      await d.getByRole('button', { name: 'Add port' }).click();
      await d.getByLabel('Port 1', { exact: true }).fill(`127.0.0.1:${port}:80`);
      await d.getByRole('button', { name: 'Run', exact: true }).click();
      const banner = d.getByRole('alert').filter({ hasText: 'The container did not start' });
      await banner.waitFor({ timeout: 30_000 });
      expect(await banner.textContent()).toContain(`host port ${port} is already in use`);
      expect(await banner.textContent()).toContain('PORT_ALLOCATED');
      const fix = banner.getByRole('button', { name: /^Use port \d+$/ });
      const free = Number(((await fix.textContent()) ?? '').replace(/\D/g, ''));
      expect(free).toBeGreaterThan(0);
      expect(free).not.toBe(port);
      await fix.click();
      expect(await d.getByLabel('Port 1', { exact: true }).inputValue()).toBe(`127.0.0.1:${free}:80`);
      // Enter in a field runs, as the Run button does.
      await d.getByLabel('Port 1', { exact: true }).press('Enter');
      await s.ui.dialog.waitFor({ state: 'detached', timeout: 30_000 });
      await expect.poll(async () => (await inspect(name)).NetworkSettings.Ports['80/tcp']?.[0]?.HostPort).toBe(String(free));
    } finally {
      holder.close();
      await rawDocker().getContainer(name).remove({ force: true }).catch(() => undefined);
    }
  });

  it('shows the detail Overview with secrets masked until revealed', async () => {
    await s.ui.row(NAME).getByText(NAME, { exact: true }).click();
    await page().keyboard.press('Enter');
    await s.ui.detail.waitFor();
    const ov = s.ui.detail;
    await ov.getByRole('region', { name: 'Environment' }).waitFor();
    const env = ov.getByRole('region', { name: 'Environment' });
    expect(await env.textContent()).toContain('hello');
    expect(await env.textContent()).not.toContain('s3cret-value');
    await env.getByRole('button', { name: 'Show the value of API_TOKEN' }).click();
    expect(await env.textContent()).toContain('s3cret-value');
    await env.getByRole('button', { name: 'Hide the value of API_TOKEN' }).click();
    expect(await ov.getByRole('region', { name: 'Ports' }).getByRole('link').getAttribute('href')).toBe(`http://localhost:${hostPort}`);
    expect(await ov.getByRole('region', { name: 'Mounts' }).textContent()).toContain(VOLUME);
    expect(await ov.getByRole('region', { name: 'Labels' }).textContent()).toContain(`${TEST_LABEL}=1`);
    await ov.getByRole('tab', { name: 'Logs' }).click();
    await ov.getByRole('tab', { name: 'Overview' }).click();
    await screenshot(page(), 'containers-detail-light');
    await s.ui.axe('detail overview (light)');
  });

  it('edits and recreates the container, keeping its volume', async () => {
    const before = await inspect(NAME);
    await s.ui.detail.getByRole('tab', { name: 'Edit' }).click();
    const edit = s.ui.detail;
    await edit.getByText('replaces the container').waitFor();
    // The form read back from the real container is no change at all.
    await edit.getByText('No changes yet.').waitFor();
    expect(await edit.getByRole('button', { name: 'Recreate', exact: true }).isDisabled()).toBe(true);
    await edit.getByRole('tab', { name: /Ports, volumes, env/ }).click();
    await edit.getByRole('button', { name: 'Add variable' }).click();
    const n = await edit.getByLabel(/^Variable \d+ name$/).count();
    await edit.getByLabel(`Variable ${n} name`, { exact: true }).fill('EDITED');
    await edit.getByLabel(`Variable ${n} value`, { exact: true }).fill('yes');
    await edit.getByText('Changed: env.').waitFor();
    await screenshot(page(), 'containers-edit-light');
    await edit.getByRole('button', { name: 'Recreate', exact: true }).click();
    const confirm = page().getByRole('alertdialog', { name: `Replace ${NAME}?` });
    await confirm.getByRole('button', { name: 'Recreate' }).click();
    await expect.poll(async () => (await inspect(NAME)).Id, { timeout: 30_000 }).not.toBe(before.Id);
    const after = await inspect(NAME);
    expect(after.Config.Env).toContain('EDITED=yes');
    expect(after.Mounts.find((m) => m.Destination === '/www')?.Name).toBe(VOLUME);
    await expect.poll(() => s.app.hash(), { timeout: 10_000 }).toContain(after.Id);
    expect((await httpGet(hostPort)).trim()).toBe('berth-e2e');
    // Escape closes the pane and puts the focus back on the list.
    await s.ui.detail.getByRole('tab', { name: 'Overview' }).click();
    await page().keyboard.press('Escape');
    await s.ui.detail.waitFor({ state: 'detached' });
    await expect.poll(() => page().evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label'))).toBe('Containers');
  });

  it('stops, starts, restarts and removes it (with confirmation)', async () => {
    const row = () => s.ui.row(NAME);
    await row().getByRole('button', { name: `Stop ${NAME}` }).click();
    await expect.poll(() => s.ui.stateOf(NAME), { timeout: 20_000 }).toMatch(/^Exited/);
    expect((await inspect(NAME)).State.Running).toBe(false);
    await row().getByRole('button', { name: `Start ${NAME}` }).click();
    await expect.poll(() => s.ui.stateOf(NAME), { timeout: 20_000 }).toMatch(/^Running/);
    const started = (await inspect(NAME)).State.StartedAt;
    await row().getByRole('button', { name: `Restart ${NAME}` }).click();
    await expect.poll(async () => (await inspect(NAME)).State.StartedAt, { timeout: 20_000 }).not.toBe(started);
    await expect.poll(() => s.ui.stateOf(NAME)).toMatch(/^Running/);

    await row().getByRole('button', { name: `Remove ${NAME}` }).click();
    const confirm = page().getByRole('alertdialog', { name: `Remove ${NAME}?` });
    await confirm.waitFor();
    expect(await confirm.getByRole('list', { name: 'Affected items' }).textContent()).toBe(NAME);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect((await inspect(NAME)).State.Running).toBe(true);
    await row().getByRole('button', { name: `Remove ${NAME}` }).click();
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await row().waitFor({ state: 'detached', timeout: 20_000 });
    await expect(inspect(NAME)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('reported no console errors', () => {
    expect(s.opened.errors).toEqual([]);
  });
});
