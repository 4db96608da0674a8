import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { describeEngine, rawDocker, useEngine } from '../support/engine';
import { exists, objectsKit, type ObjectsKit } from '../contract/system-kit';
import type { AppPage } from './support/app-page';
import { openBerthPage, type BerthSession } from './support/session';
import { browserUnavailable, screenshot, type OpenedPage } from './support/browser';
import { expectAxeClean } from './support/axe';

const noBrowser = browserUnavailable();
const isFocused = (l: Locator) => l.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement);

/** The networks page as a user sees it. */
class NetworksUi {
  constructor(
    readonly app: AppPage,
    readonly page: Page,
  ) {}
  get table(): Locator {
    return this.app.table('Networks');
  }
  /** A row by the network's name (rows are keyed by id). */
  row(name: string): Locator {
    return this.table.locator('[role="row"][data-row-id]').filter({ has: this.page.locator('.name-cell', { hasText: new RegExp(`^${name}(built-in)?$`) }) });
  }
  panel(name: string): Locator {
    return this.page.getByRole('complementary', { name: `Network ${name}` });
  }
  async search(q: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Filter networks' }).fill(q);
  }
}

describeEngine('networks page', () => {
  let session: BerthSession | undefined;
  let opened: OpenedPage;
  let app: AppPage;
  let ui: NetworksUi;
  let kit: ObjectsKit;
  const docker = () => rawDocker();
  const netExists = (name: string) => exists(() => docker().getNetwork(name).inspect());
  // A /24 unlikely to collide with the engine's bridge (172.31.x) or other files' networks.
  const octet = () => Math.floor(Math.random() * 250) + 1;
  const subnetBase = `172.29.${octet()}`; // a private range no engine here picks by itself
  const netName = () => kit.name('net');
  let created = '';

  beforeAll(async () => {
    if (noBrowser) throw new Error(noBrowser);
    kit = objectsKit(docker(), useEngine().images.busybox, 'e2e-networks');
    session = await openBerthPage('networks');
    ({ opened, app } = session);
    ui = new NetworksUi(app, opened.page);
    await ui.table.waitFor();
  });
  afterAll(async () => {
    await session?.close();
    await kit?.cleanup();
  });

  it('lists the built-in networks, whose Remove is disabled with the reason as its tooltip', async () => {
    const { page } = opened;
    for (const name of ['bridge', 'host', 'none']) await ui.row(name).waitFor();
    const bridge = ui.row('bridge');
    expect(await bridge.textContent()).toContain('built-in');
    const raw = await docker().getNetwork('bridge').inspect();
    expect(await bridge.textContent()).toContain(raw.IPAM?.Config?.[0]?.Subnet ?? 'no subnet on bridge?');
    const remove = bridge.getByRole('button', { name: 'Remove network bridge' });
    expect(await remove.getAttribute('aria-disabled')).toBe('true');
    expect(await remove.getAttribute('title')).toContain('cannot be removed');
    await bridge.click();
    await remove.click({ force: true }); // aria-disabled: Playwright would wait for it to enable
    await page.waitForTimeout(200);
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    // Delete on the row does nothing for a built-in either.
    await ui.table.focus();
    await page.keyboard.press('Delete');
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    const connect = ui.row('host').getByRole('button', { name: 'Connect a container to host' });
    expect(await connect.getAttribute('aria-disabled')).toBe('true');
  });

  it('creates a network from the dialog, checking the subnet and gateway inline; the engine has it', async () => {
    const { page } = opened;
    created = netName();
    await page.getByRole('button', { name: 'Create network' }).click();
    const dlg = page.getByRole('dialog', { name: 'Create a network' });
    await dlg.waitFor();
    expect(await isFocused(dlg.getByLabel('Name'))).toBe(true);
    await dlg.getByLabel('Name').fill(created);

    const subnet = dlg.getByLabel('Subnet');
    const gateway = dlg.getByLabel('Gateway');
    await subnet.fill(`${subnetBase}.7/24`);
    await subnet.blur();
    await dlg.getByText(`has host bits set; the subnet is ${subnetBase}.0/24`).waitFor();
    expect(await subnet.getAttribute('aria-invalid')).toBe('true');
    await subnet.fill('300.1.2.0/24');
    await dlg.getByText('"300.1.2.0" is not an IPv4 address').waitFor();
    await subnet.fill(`${subnetBase}.0/24`);
    await gateway.fill('10.9.9.1');
    await gateway.blur();
    await dlg.getByText(`The gateway 10.9.9.1 is outside the subnet ${subnetBase}.0/24.`).waitFor();
    await gateway.fill(`${subnetBase}.255`);
    await dlg.getByText('broadcast address').waitFor();
    await gateway.fill(`${subnetBase}.254`);
    expect(await gateway.getAttribute('aria-invalid')).toBeNull();
    expect(await subnet.getAttribute('aria-invalid')).toBeNull();
    // The bridge network's own subnet is taken.
    const bridgeSubnet = (await docker().getNetwork('bridge').inspect()).IPAM?.Config?.[0]?.Subnet as string;
    expect(bridgeSubnet).toMatch(/\/\d+$/);
    await subnet.fill(bridgeSubnet);
    await dlg.getByText(`overlaps ${bridgeSubnet}, the subnet of network "bridge"`).waitFor();
    await subnet.fill(`${subnetBase}.0/24`);

    await dlg.getByLabel('Internal').check();
    for (const [i, [k, v]] of Object.entries(kit.labels).entries()) {
      await dlg.getByRole('button', { name: 'Add label' }).click();
      await dlg.getByLabel(`Label ${i + 1} key`).fill(k);
      await dlg.getByLabel(`Label ${i + 1} value`).fill(v);
    }
    await screenshot(page, 'networks-create-light');
    await expectAxeClean(page);
    await dlg.getByRole('button', { name: 'Create', exact: true }).click();
    await dlg.waitFor({ state: 'detached' });

    const row = ui.row(created);
    await row.waitFor();
    expect(await row.textContent()).toContain(`${subnetBase}.0/24`);
    expect(await row.textContent()).toContain(`${subnetBase}.254`);
    const raw = await docker().getNetwork(created).inspect();
    expect(raw.Driver).toBe('bridge');
    expect(raw.Internal).toBe(true);
    expect(raw.IPAM?.Config).toEqual([{ Subnet: `${subnetBase}.0/24`, Gateway: `${subnetBase}.254` }]);
    expect(raw.Labels).toMatchObject(kit.labels);
  });

  it('connects a container picked from the list, then disconnects it after a confirmation', async () => {
    const { page } = opened;
    const cname = kit.name('member');
    const c = await kit.container({ name: cname });
    const row = ui.row(created);
    await row.getByRole('button', { name: `Connect a container to ${created}` }).click();
    const dlg = page.getByRole('dialog', { name: `Connect a container to ${created}` });
    await dlg.waitFor();
    const picker = dlg.getByLabel('Container');
    await picker.waitFor();
    expect(await isFocused(picker)).toBe(true);
    await picker.selectOption({ label: `${cname} (running)` });
    await dlg.getByLabel('Aliases').fill('db primary');
    await dlg.getByLabel('IPv4 address').fill('10.1.1.1');
    await dlg.getByLabel('IPv4 address').blur();
    await dlg.getByText(`outside the network's subnet ${subnetBase}.0/24`).waitFor();
    await dlg.getByLabel('IPv4 address').fill(`${subnetBase}.20`);
    await dlg.getByRole('button', { name: 'Connect', exact: true }).click();
    await dlg.waitFor({ state: 'detached' });

    await row.getByRole('link', { name: cname }).waitFor();
    const inspected = await c.inspect();
    const ep = inspected.NetworkSettings.Networks[created];
    expect(ep?.IPAddress).toBe(`${subnetBase}.20`);
    expect(ep?.Aliases).toEqual(expect.arrayContaining(['db', 'primary']));

    await row.getByRole('button', { name: `Show details of ${created}` }).click();
    const panel = ui.panel(created);
    await panel.waitFor();
    const list = panel.getByRole('list', { name: `Containers attached to ${created}` });
    expect(await list.textContent()).toContain(`${subnetBase}.20`);
    for (const theme of ['light', 'dark'] as const) {
      await app.setTheme(theme === 'light' ? 'Light' : 'Dark');
      await expect.poll(() => app.theme()).toBe(theme);
      await screenshot(page, `networks-${theme}`);
      await expectAxeClean(page, theme);
    }
    await app.setTheme('Light');

    await list.getByRole('button', { name: `Disconnect ${cname} from ${created}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Disconnect ${cname} from ${created}?` });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(`${subnetBase}.20`);
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await panel.getByText('No running container is attached.').waitFor();
    expect(Object.keys((await c.inspect()).NetworkSettings.Networks)).not.toContain(created);
  });

  it('shows the engine’s refusal on the row when a network with containers is removed', async () => {
    const { page } = opened;
    const cname = kit.name('holder');
    await kit.container({ name: cname, network: created });
    const row = ui.row(created);
    await row.getByRole('link', { name: cname }).waitFor();
    await row.getByRole('button', { name: `Remove network ${created}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Remove network ${created}?` });
    expect(await confirm.textContent()).toContain(`Attached now: ${cname}`);
    await confirm.getByRole('button', { name: 'Remove network' }).click();
    const err = row.locator('.vt-row-error');
    await err.waitFor();
    expect(await err.textContent()).toContain(`still has containers attached: "${cname}"`);
    expect(await netExists(created)).toBe(true);
    await docker().getContainer(cname).remove({ force: true });
    await row.getByRole('button', { name: `Dismiss the error on ${created}` }).click();
  });

  it('removes a network after a confirmation naming it', async () => {
    const { page } = opened;
    const row = ui.row(created);
    await expect.poll(() => row.getByRole('link').count()).toBe(0);
    await row.getByRole('button', { name: `Remove network ${created}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Remove network ${created}?` });
    expect(await confirm.getByRole('list', { name: 'Affected items' }).textContent()).toBe(created);
    await confirm.getByRole('button', { name: 'Remove network' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await netExists(created)).toBe(false);
  });

  it('shows a network made from the raw API without a reload (change feed), and a container joining it', async () => {
    const name = netName();
    const net = await docker().createNetwork({ Name: name, Labels: kit.labels });
    await ui.row(name).waitFor({ timeout: 5000 });
    const cname = kit.name('joiner');
    await kit.container({ name: cname });
    await net.connect({ Container: cname });
    await ui.row(name).getByRole('link', { name: cname }).waitFor({ timeout: 5000 });
    await net.disconnect({ Container: cname, Force: true });
    await expect.poll(() => ui.row(name).getByRole('link').count(), { timeout: 5000 }).toBe(0);
    await net.remove();
    await ui.row(name).waitFor({ state: 'detached', timeout: 5000 });
  });

  it('previews a prune with the unused networks only; Cancel removes nothing', async () => {
    const { page } = opened;
    const unused = netName();
    const used = netName();
    await docker().createNetwork({ Name: unused, Labels: kit.labels });
    await docker().createNetwork({ Name: used, Labels: kit.labels });
    await kit.container({ name: kit.name('stopped'), network: used, start: false });
    await page.getByRole('button', { name: 'Prune…' }).click();
    const dlg = page.getByRole('alertdialog', { name: 'Prune unused networks' });
    const list = dlg.getByRole('list', { name: 'Networks to remove' });
    await list.getByText(unused, { exact: true }).waitFor();
    const names = await list.locator('li').allTextContents();
    expect(names).not.toContain(used);
    for (const b of ['bridge', 'host', 'none']) expect(names).not.toContain(b);
    await screenshot(page, 'networks-prune-light');
    await expectAxeClean(page);
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await dlg.waitFor({ state: 'detached' });
    expect(await netExists(unused)).toBe(true);
  });

  it('has a create dialog that passes axe in the dark theme', async () => {
    const { page } = opened;
    await app.setTheme('Dark');
    await expect.poll(() => app.theme()).toBe('dark');
    await page.getByRole('button', { name: 'Create network' }).click();
    const dlg = page.getByRole('dialog', { name: 'Create a network' });
    await dlg.getByLabel('Subnet').fill('10.0.0.1/8');
    await dlg.getByLabel('Subnet').blur();
    await dlg.getByText('has host bits set').waitFor();
    await screenshot(page, 'networks-create-dark');
    await expectAxeClean(page);
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });
    await app.setTheme('System');
  });

  it('reported no console errors', () => {
    expect(opened.errors).toEqual([]);
  });
});
