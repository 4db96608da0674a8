import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type Docker from 'dockerode';
import { createTestCore, describeEngine, rawDocker, randomSuffix, TEST_LABEL, useEngine } from '../support/engine';
import { serveCore, type BerthWeb } from './support/berth';
import { AppPage } from './support/app-page';
import { axeViolations, browserUnavailable, describeViolations, launchBrowser, openPage, screenshot, type OpenedPage } from './support/browser';
import { TerminalUi } from './support/terminal-dock';

const noBrowser = browserUnavailable();
const sfx = randomSuffix();
const NAME = `berth-e2e-detail-${sfx}`;
const STOPPED = `berth-e2e-detail-stopped-${sfx}`;
const FLOOD = `berth-e2e-detail-flood-${sfx}`;

// stdout, stderr, ANSI red, enough lines that the first ones scroll out of view, then wait.
const SCRIPT = [
  'echo "hello from stdout"',
  'echo "oops on stderr" >&2',
  "printf '\\033[31mred alert\\033[0m plain tail\\n'",
  'i=0; while [ $i -lt 300 ]; do echo "filler line $i"; i=$((i+1)); done',
  'echo "needle one"',
  'echo "needle two" >&2',
  'echo ready',
  'exec sleep 100000',
].join('; ');

/** The detail pane's tabs as a user drives them. */
class DetailUi {
  constructor(readonly page: Page) {}
  get pane(): Locator {
    return this.page.getByRole('region', { name: `Details of ${NAME}` });
  }
  tab(name: 'Logs' | 'Stats' | 'Inspect' | 'Terminal'): Locator {
    return this.pane.getByRole('tab', { name, exact: true });
  }
  get logView(): Locator {
    return this.page.getByRole('log', { name: `Logs of ${NAME}` });
  }
  search(label: string): Locator {
    return this.page.getByRole('searchbox', { name: label });
  }
  get count(): Locator {
    return this.page.getByTestId('search-count');
  }
  get currentHit(): Locator {
    return this.page.locator('mark[data-current]');
  }
  /** The log line (row) holding the current hit. */
  get currentLine(): Locator {
    return this.page.locator('.log-line').filter({ has: this.page.locator('mark[data-current]') });
  }
  async open(id: string, tab: string): Promise<void> {
    await this.page.evaluate((h) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = h;
    }, `#/containers/${id}/${tab}`);
  }
  async axe(label: string): Promise<void> {
    const v = await axeViolations(this.page);
    expect(v, `${label}:\n${describeViolations(v)}`).toEqual([]);
  }
}

async function logsOf(c: Docker.Container): Promise<string> {
  const buf = (await c.logs({ stdout: true, stderr: true })) as unknown as Buffer;
  return buf.toString('utf8');
}

describeEngine('container detail tabs: logs, stats, inspect, terminal (browser)', () => {
  let berth: BerthWeb;
  let browser: Browser;
  let opened: OpenedPage;
  let app: AppPage;
  let ui: DetailUi;
  let id = '';
  let stoppedId = '';
  let floodId = '';

  beforeAll(async () => {
    if (noBrowser) throw new Error(noBrowser);
    const docker = rawDocker();
    const image = useEngine().images.busybox;
    const c = await docker.createContainer({ name: NAME, Image: image, Cmd: ['sh', '-c', SCRIPT], Labels: { [TEST_LABEL]: '1' } });
    id = c.id;
    await c.start();
    const s = await docker.createContainer({ name: STOPPED, Image: image, Cmd: ['sh', '-c', 'echo finished'], Labels: { [TEST_LABEL]: '1' } });
    stoppedId = s.id;
    await s.start();
    await s.wait();
    const f = await docker.createContainer({ name: FLOOD, Image: image, Cmd: ['seq', '1', '60000'], Labels: { [TEST_LABEL]: '1' } });
    floodId = f.id;
    await f.start();
    await f.wait();
    for (const deadline = Date.now() + 20_000; !(await logsOf(c)).includes('ready'); ) {
      if (Date.now() > deadline) throw new Error(`${NAME} did not print its lines: ${await logsOf(c)}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const tc = await createTestCore();
    berth = await serveCore(tc.core, { dispose: tc.dispose });
    browser = await launchBrowser();
    opened = await openPage(browser, berth.url);
    app = new AppPage(opened.page);
    ui = new DetailUi(opened.page);
    await app.waitReady();
  });

  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    await berth?.dispose();
    const docker = rawDocker();
    const mine = await docker.listContainers({ all: true, filters: { name: [sfx] } });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  });

  it('shows the logs: search with next/previous, stderr marked, ANSI colour, follow, download', async () => {
    const { page } = opened;
    await ui.open(id, 'logs');
    await ui.logView.waitFor();
    // Follow is on: the newest lines are in view.
    await ui.logView.getByText('ready', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('true');

    // Search: the first line is far above the view; Enter brings it in.
    const box = ui.search('Search the logs');
    await box.fill('hello from stdout');
    await expect.poll(() => ui.count.textContent()).toBe('1 match');
    await box.press('Enter');
    await expect.poll(() => ui.count.textContent()).toBe('1 of 1');
    await expect.poll(() => ui.currentHit.textContent()).toBe('hello from stdout');
    expect(await page.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
    await page.getByRole('button', { name: 'Jump to end' }).waitFor();

    await box.fill('NEEDLE');
    await expect.poll(() => ui.count.textContent()).toBe('2 matches');
    // The engine keeps stdout and stderr apart, so their relative order is not fixed: read both hits.
    const hitLine = async () => ({
      text: ((await ui.currentLine.locator('.log-text').textContent()) ?? '').trim(),
      stream: await ui.currentLine.getAttribute('data-stream'),
      mark: ((await ui.currentLine.locator('.log-stream').textContent()) ?? '').trim(),
    });
    await box.press('Enter');
    await expect.poll(() => ui.count.textContent()).toBe('1 of 2');
    const first = await hitLine();
    await box.press('Enter');
    await expect.poll(() => ui.count.textContent()).toBe('2 of 2');
    const second = await hitLine();
    // stderr is marked in text, not only by colour.
    expect([first, second].sort((a, b) => a.text.localeCompare(b.text))).toEqual([
      { text: 'needle one', stream: 'stdout', mark: '' },
      { text: 'needle two', stream: 'stderr', mark: 'err (stderr)' },
    ]);
    await box.press('Shift+Enter');
    await expect.poll(() => ui.count.textContent()).toBe('1 of 2');
    expect((await hitLine()).text).toBe(first.text);
    await page.getByRole('button', { name: 'Next match (Enter)' }).click();
    await expect.poll(() => ui.count.textContent()).toBe('2 of 2');

    // Every hit in view is highlighted, not only the current one: 2, 20–29 and 200–299.
    await box.fill('filler line 2');
    await expect.poll(() => ui.count.textContent()).toBe('111 matches');
    await box.press('Enter');
    await expect.poll(() => ui.currentHit.textContent()).toBe('filler line 2');
    const rendered = (await ui.logView.locator('.log-line').allTextContents()).filter((t) => t.includes('filler line 2'));
    expect(rendered.length).toBeGreaterThan(1);
    expect(await ui.logView.locator('mark.log-hit').count()).toBe(rendered.length);
    expect(await ui.logView.locator('mark[data-current]').count()).toBe(1);

    await box.fill('oops on stderr');
    await box.press('Enter');
    await expect.poll(() => ui.currentLine.getAttribute('data-stream')).toBe('stderr');

    // ANSI red: coloured text, no escape codes.
    await box.fill('red alert');
    await box.press('Enter');
    const line = ui.currentLine;
    await expect.poll(() => line.textContent()).toContain('red alert plain tail');
    const text = (await line.locator('.log-text').textContent()) ?? '';
    expect(text).toBe('red alert plain tail');
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('[31m');
    const red = line.locator('span.ansi').filter({ hasText: 'red' });
    const expected = String(await page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--ansi-1').trim()"));
    const color = await computed(red, 'color');
    expect(hexToRgb(expected)).toBe(color);
    const plainColor = await computed(line.locator('.log-text'), 'color');
    expect(color).not.toBe(plainColor);

    // Screenshots with a coloured line, stderr lines and search hits in view.
    await settle(page);
    await screenshot(page, 'container-detail-logs-light');
    await ui.axe('logs with hits (light)');
    await app.setTheme('Dark');
    await expect.poll(() => app.theme()).toBe('dark');
    await settle(page);
    await screenshot(page, 'container-detail-logs-dark');
    await ui.axe('logs with hits (dark)');
    await app.setTheme('Light');
    await expect.poll(() => app.theme()).toBe('light');

    // Timestamps and wrap toggles.
    await page.getByRole('button', { name: 'Timestamps' }).click();
    await expect.poll(() => line.locator('.log-ts').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    await page.getByRole('button', { name: 'Wrap' }).click();
    expect(await ui.logView.getAttribute('class')).toContain('is-wrapped');
    await page.getByRole('button', { name: 'Wrap' }).click();

    // Follow: back to the end, and a line written now appears.
    await box.fill('');
    await page.getByRole('button', { name: 'Jump to end' }).click();
    expect(await page.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('true');
    const late = `late line ${sfx}`;
    await printInto(id, late);
    await ui.logView.getByText(late).waitFor({ timeout: 10_000 });

    // Scrolling up pauses following: a new line does not pull the view down; "Jump to end" does.
    const follow = page.getByRole('button', { name: 'Follow' });
    await ui.logView.hover();
    await page.mouse.wheel(0, -3000);
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('false');
    const later = `later line ${sfx}`;
    await printInto(id, later);
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('308 lines');
    expect(await ui.logView.getByText(later).count()).toBe(0);
    await page.getByRole('button', { name: 'Jump to end' }).click();
    await ui.logView.getByText(later).waitFor();
    expect(await follow.getAttribute('aria-pressed')).toBe('true');

    await ui.axe('logs (light)');

    // Download: the whole log with timestamps, named after the container.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe(`${NAME}-logs.txt`);
    const file = await download.path();
    const saved = fs.readFileSync(file, 'utf8').split('\n');
    expect(saved.pop()).toBe('');
    for (const l of saved) expect(l).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z /);
    expect(saved).toHaveLength(300 + 8);
    expect(saved.some((l) => l.endsWith(' hello from stdout'))).toBe(true);
    expect(saved.some((l) => l.endsWith(' oops on stderr'))).toBe(true);
    expect(saved.some((l) => l.endsWith(' \x1b[31mred alert\x1b[0m plain tail'))).toBe(true);
    expect(saved.some((l) => l.endsWith(` ${late}`))).toBe(true);
  });

  it('shows live stats as numbers and charts', async () => {
    const { page } = opened;
    await ui.tab('Stats').click();
    await expect.poll(() => page.getByTestId('stat-cpu').textContent(), { timeout: 20_000 }).toMatch(/^\d+(\.\d+)?%$/);
    expect(await page.getByTestId('stat-memory').textContent()).toMatch(/^\d+(\.\d+)? (B|KiB|MiB|GiB) of \d+(\.\d+)? (B|KiB|MiB|GiB|TiB) \(\d+(\.\d+)?%\)$/);
    expect(Number(await page.getByTestId('stat-pids').textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('stat-network').textContent()).toMatch(/received .* sent$/);
    // A second sample draws a line, and each chart has a text summary.
    await expect.poll(() => page.locator('.stat-line-a').first().getAttribute('d'), { timeout: 20_000 }).toContain('L');
    const charts = page.getByRole('img', { name: /over the last (minute|\d+ minutes): now/ });
    expect(await charts.count()).toBe(5);
    await settle(page);
    await screenshot(page, 'container-detail-stats-light');
    await ui.axe('stats (light)');
    await app.setTheme('Dark');
    await expect.poll(() => app.theme()).toBe('dark');
    await settle(page);
    await screenshot(page, 'container-detail-stats-dark');
    await ui.axe('stats (dark)');
    await app.setTheme('Light');
  });

  it('shows the inspect document with search and copy', async () => {
    const { page } = opened;
    await ui.tab('Inspect').click();
    const tree = page.getByRole('tree', { name: `Inspect document of ${NAME}` });
    await tree.waitFor();
    await tree.getByRole('treeitem', { name: `"Id": "${id}"` }).waitFor();
    const box = ui.search('Search the inspect document');
    await box.fill(id.slice(0, 12));
    await expect.poll(() => ui.count.textContent()).toMatch(/^\d+ match(es)?$/);
    await box.press('Enter');
    await expect.poll(() => ui.count.textContent()).toMatch(/^1 of \d+$/);
    expect(await ui.currentHit.textContent()).toBe(id.slice(0, 12));
    await box.fill('sleep');
    await box.press('Enter');
    await box.press('Enter');
    await expect.poll(() => ui.count.textContent()).toMatch(/^2 of \d+$/);

    // Collapse everything, then search finds (and opens up) a nested value.
    await page.getByRole('button', { name: 'Collapse all' }).click();
    expect(await tree.getByRole('treeitem', { name: /^"Pid": / }).count()).toBe(0);
    await box.fill('Pid');
    await box.press('Enter');
    await tree.getByRole('treeitem', { name: /^"Pid": \d+/ }).waitFor();
    await page.getByRole('button', { name: 'Expand all' }).click();

    // Copy the whole document, and the path and value of a selected line (keyboard).
    await page.getByRole('button', { name: 'Copy the whole JSON' }).click();
    const copied = await clipboard(page);
    expect((JSON.parse(copied) as { Id: string }).Id).toBe(id);
    const idItem = tree.getByRole('treeitem', { name: `"Id": "${id}"` });
    await idItem.click();
    expect(await idItem.getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'Copy the value of .Id' }).click();
    await expect.poll(() => clipboard(page)).toBe(id);
    await idItem.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Copy the path .Created' }).click();
    await expect.poll(() => clipboard(page)).toBe('.Created');

    await box.fill('running');
    await box.press('Enter');
    await settle(page);
    await screenshot(page, 'container-detail-inspect-light');
    await ui.axe('inspect (light)');
    await app.setTheme('Dark');
    await expect.poll(() => app.theme()).toBe('dark');
    await settle(page);
    await screenshot(page, 'container-detail-inspect-dark');
    await ui.axe('inspect (dark)');
    await app.setTheme('Light');
  });

  it('opens a terminal, runs a command, shows the exit code and restarts', async () => {
    const { page } = opened;
    await ui.tab('Terminal').click();
    const status = page.getByTestId('terminal-status');
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('Connected: sh');
    const tab = page.getByTestId('terminal-tab');
    const term = new TerminalUi(page);
    await term.typeLine(tab, 'echo $((6*7))');
    await expect.poll(() => term.lines(tab)).toContain('42');

    await settle(page);
    await screenshot(page, 'container-detail-terminal-light');
    await ui.axe('terminal (light)');
    await app.setTheme('Dark');
    await expect.poll(() => app.theme()).toBe('dark');
    await settle(page);
    await screenshot(page, 'container-detail-terminal-dark');
    await ui.axe('terminal (dark)');
    await app.setTheme('Light');

    // Shift+Tab leaves the terminal (Tab itself belongs to the shell).
    await page.getByTestId('terminal').click();
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate("document.activeElement?.closest('.xterm') === null")).toBe(true);

    await term.typeLine(tab, 'exit 3');
    await expect.poll(() => status.textContent()).toBe('Ended with exit code 3');
    await tab.getByRole('button', { name: 'Restart' }).click();
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('Connected: sh');
    await term.typeLine(tab, 'echo "again-$((40+2))"');
    await expect.poll(() => term.lines(tab)).toContain('again-42');
  });

  it('says so when the container is not running', async () => {
    const { page } = opened;
    await ui.open(stoppedId, 'stats');
    await page.getByRole('heading', { name: `${STOPPED} is not running` }).waitFor();
    await page.getByRole('tab', { name: 'Terminal', exact: true }).click();
    await page.getByText('Start the container to open one.').waitFor();
    await page.getByRole('tab', { name: 'Logs', exact: true }).click();
    await page.getByRole('log', { name: `Logs of ${STOPPED}` }).getByText('finished', { exact: true }).waitFor();
    await expect.poll(() => page.getByText('Not running: output up to when it stopped').count()).toBe(1);
    await ui.axe('stopped container');
  });

  it('keeps the last 50,000 lines of a long log, virtualized, and says older ones were dropped', async () => {
    const { page } = opened;
    await ui.open(floodId, 'logs');
    const view = page.getByRole('log', { name: `Logs of ${FLOOD}` });
    await view.getByText('60000', { exact: true }).waitFor();
    // The default tail: the last 1,000 lines.
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('1,000 lines');
    await page.getByRole('combobox', { name: 'Lines to load' }).selectOption('all');
    await page.getByText('10,000 older lines were dropped').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('50,000 lines');
    await view.getByText('60000', { exact: true }).waitFor();
    expect(await view.locator('.log-line').count()).toBeLessThan(200);
    const box = ui.search('Search the logs');
    // The buffer holds lines 10001–60000: the oldest kept line is found, the newest dropped one is not.
    await box.fill('10001');
    await expect.poll(() => ui.count.textContent()).toBe('1 match');
    await box.fill('10000');
    await expect.poll(() => ui.count.textContent()).toBe('No matches');
    await ui.axe('long log');
  });

  it('reported no console errors', () => {
    expect(opened.errors).toEqual([]);
  });
});

/** Writes a line to the container's stdout (PID 1's), as if its process printed it. */
async function printInto(id: string, line: string): Promise<void> {
  const exec = await rawDocker()
    .getContainer(id)
    .exec({ Cmd: ['sh', '-c', `echo "${line}" > /proc/1/fd/1`], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  stream.resume();
  await new Promise((r) => stream.on('end', r));
}

/** Two animation frames: the theme switch is painted before a screenshot. */
async function settle(page: Page): Promise<void> {
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

/** A computed style property of the element (the test's tsconfig has no DOM types). */
function computed(loc: Locator, prop: string): Promise<string> {
  return loc.evaluate((el, p) => {
    const g = globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> };
    return g.getComputedStyle(el)[p] ?? '';
  }, prop);
}

async function clipboard(page: Page): Promise<string> {
  return String(await page.evaluate('navigator.clipboard.readText()'));
}

function hexToRgb(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgb(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)})`;
}
