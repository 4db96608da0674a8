import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngine, rawDocker, randomSuffix, TEST_LABEL, useEngine } from '../support/engine';
import { openBerthPage, type BerthSession } from './support/session';
import { screenshot } from './support/browser';
import { expectAxeClean } from './support/axe';
import { TerminalUi } from './support/terminal-dock';

const sfx = randomSuffix();
const NAME = `berth-e2e-term-${sfx}`;

describeEngine('terminals: dock sessions that outlive the view (browser)', () => {
  let s: BerthSession;
  let ui: TerminalUi;
  let id = '';

  beforeAll(async () => {
    const docker = rawDocker();
    const c = await docker.createContainer({ name: NAME, Image: useEngine().images.busybox, Cmd: ['sleep', '100000'], Labels: { [TEST_LABEL]: '1' } });
    id = c.id;
    await c.start();
    s = await openBerthPage('containers');
    // A shell that reads no rc files: the test must not depend on this machine's ~/.bashrc.
    await s.berth.core.services.settings.update({ terminal: { shell: '/bin/sh' } });
    ui = new TerminalUi(s.opened.page);
  });
  afterAll(async () => {
    await s?.close();
    await rawDocker().getContainer(id).remove({ force: true }).catch(() => undefined);
  });

  it("a container's terminal keeps its session and scrollback across a reload", async () => {
    const { page } = s.opened;
    await page.evaluate((h) => ((globalThis as unknown as { location: { hash: string } }).location.hash = h), `#/containers/${id}/terminal`);
    const tab = page.getByTestId('terminal-tab');
    await expect.poll(() => tab.getByTestId('terminal-status').textContent(), { timeout: 20_000 }).toBe('Connected: sh');
    await ui.typeLine(tab, 'echo "answer-$((6*7))"');
    await expect.poll(() => ui.lines(tab), { timeout: 20_000 }).toContain('answer-42');
    const session = await ui.pane(tab).getAttribute('data-session');
    expect(session).toBeTruthy();
    await screenshot(page, 'terminals-container-tab');

    await page.reload();
    await s.app.waitReady();
    const again = page.getByTestId('terminal-tab');
    await expect.poll(() => again.getByTestId('terminal-status').textContent(), { timeout: 20_000 }).toBe('Connected: sh');
    // The same session, its scrollback replayed from the core.
    expect(await ui.pane(again).getAttribute('data-session')).toBe(session);
    await expect.poll(() => ui.lines(again), { timeout: 20_000 }).toContain('answer-42');
    // And it is still alive.
    await ui.typeLine(again, 'echo "still-$((1+1))"');
    await expect.poll(() => ui.lines(again), { timeout: 20_000 }).toContain('still-2');
  });

  it('opens a container terminal from its row, in the dock', async () => {
    const { page } = s.opened;
    await page.evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/containers'));
    await page.getByRole('button', { name: `Open a terminal in ${NAME}` }).click();
    const dock = ui.dock;
    await expect.poll(() => dock.getByRole('tab', { selected: true }).textContent(), { timeout: 20_000 }).toContain(NAME);
    await ui.typeLine(dock, 'echo "row-$((3*3))"');
    await expect.poll(() => ui.lines(dock), { timeout: 20_000 }).toContain('row-9');
    await screenshot(page, 'terminals-from-row');
  });

  it("opens a host shell from the palette whose docker talks to Berth's engine", async () => {
    const { page } = s.opened;
    await s.app.runCommand('New host terminal');
    const dock = ui.dock;
    await expect.poll(() => ui.tabs().count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => dock.getByRole('tab', { selected: true }).textContent()).toMatch(/bash|sh|zsh/);
    await ui.pane(dock).waitFor();
    await ui.typeLine(dock, "docker ps --format 'name={{.Names}}'");
    await expect.poll(() => ui.lines(dock), { timeout: 30_000 }).toContain(`name=${NAME}`);
    await screenshot(page, 'terminals-dock-host');
    await expectAxeClean(page, 'terminal dock');

    // Exit shows the code and offers a restart.
    await ui.typeLine(dock, 'exit 5');
    await expect.poll(() => dock.getByTestId('terminal-exit').textContent(), { timeout: 20_000 }).toContain('exit code 5');
    await dock.getByRole('button', { name: 'Restart' }).click();
    await dock.getByTestId('terminal-exit').waitFor({ state: 'detached' });
    await ui.typeLine(dock, 'echo "back-$((2+2))"');
    await expect.poll(() => ui.lines(dock), { timeout: 20_000 }).toContain('back-4');

    // Reorder from the keyboard: Alt+Shift+Left moves the selected tab one place to the left.
    const titles = async () => (await ui.tabs().allTextContents()).map((t) => t.trim());
    const order = await titles();
    const at = order.findIndex((t) => /^sh/.test(t));
    expect(at).toBeGreaterThan(0);
    await dock.getByRole('tab', { selected: true }).focus();
    await page.keyboard.press('Alt+Shift+ArrowLeft');
    await expect.poll(titles).toEqual([...order.slice(0, at - 1), order[at], order[at - 1], ...order.slice(at + 1)]);

    // Rename (double-click), then close the tab: its process ends.
    const before = await ui.tabs().count();
    await dock.getByRole('tab', { selected: true }).dblclick();
    const name = dock.getByRole('textbox', { name: 'Terminal name' });
    await name.fill('my shell');
    await name.press('Enter');
    await expect.poll(() => dock.getByRole('tab', { selected: true }).textContent()).toContain('my shell');
    await dock.locator('button[title="Close my shell"]').click();
    await expect.poll(() => ui.tabs().count()).toBe(before - 1);
    await expect.poll(async () => (await s.berth.core.services.terminals.list()).some((t) => t.title === 'my shell')).toBe(false);
  });

  it('a flood stays smooth: the page answers while 8 MB arrive, and find works on the scrollback', async () => {
    const { page } = s.opened;
    // The route the tray uses.
    await page.evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/containers?terminal=host'));
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe('#/containers');
    const dock = ui.dock;
    const tab = dock.getByRole('tab', { selected: true });
    await expect.poll(() => tab.textContent(), { timeout: 20_000 }).toMatch(/bash|sh|zsh/);
    await ui.pane(dock).waitFor();
    const id = await ui.pane(dock).getAttribute('data-session');
    await ui.typeLine(dock, `stty -echo; echo FIND-$((6*7)); yes flood-line | head -c ${8 * 1024 * 1024}; echo; echo FLOOD-$((0))OVER | sed s/0//`);
    // While it floods, the window still answers: the palette opens and closes.
    await s.app.openPalette();
    await page.keyboard.press('Escape');
    await s.app.palette.waitFor({ state: 'detached' });
    await expect.poll(() => ui.lines(dock), { timeout: 120_000, interval: 500 }).toContain('FLOOD-OVER');
    const session = s.berth.core.services.terminals.session(id as string);
    expect(session.ring.end).toBeGreaterThan(8 * 1024 * 1024);
    expect(session.bufferedChars()).toBeLessThanOrEqual(1024 * 1024);

    // Find (Ctrl+Shift+F) in the terminal's scrollback.
    await ui.pane(dock).getByTestId('terminal').click();
    await page.keyboard.type('echo FIND-$((40+2))');
    await page.keyboard.press('Enter');
    // Echo is off (stty -echo): the output follows the prompt on its line.
    await expect.poll(async () => (await ui.lines(dock)).some((l) => l.endsWith('FIND-42'))).toBe(true);
    await page.keyboard.press('Control+Shift+F');
    const find = dock.getByRole('searchbox', { name: 'Find in terminal' }).or(dock.getByRole('textbox', { name: 'Find in terminal' }));
    await find.fill('FIND-42');
    // The match is selected in the terminal, and counted.
    const selection = () => ui.pane(dock).locator('.term-box').evaluate((el) => (el as unknown as { berthTerm?: { getSelection(): string } }).berthTerm?.getSelection() ?? '');
    await expect.poll(selection).toBe('FIND-42');
    await screenshot(page, 'terminals-find');
    await expect.poll(() => dock.locator('.term-search-count').textContent()).toMatch(/^\d+ of \d+$/);
    await find.press('Escape');
  }, 180_000);
});
