import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './build';

export const CHROMIUM = process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** Why the browser tests cannot run here, or null. */
export function browserUnavailable(): string | null {
  return fs.existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (set BERTH_CHROMIUM)`;
}

/** Headless Chromium with nothing that phones home. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far (CSP violations show up here). */
  errors: string[];
  /**
   * Loads Chromium cut off because this machine's network interfaces changed (net::ERR_NETWORK_CHANGED): the suites'
   * private dockerds add and remove bridges and veths while pages load, and Chromium then fails whatever request is in
   * flight, loopback ones included. Not Berth's error (an Electron window loads its files from its own protocol), so kept
   * here, with the URL, instead of in `errors`.
   */
  networkChanged: string[];
  close(): Promise<void>;
}

const NETWORK_CHANGED = 'net::ERR_NETWORK_CHANGED';

/** A fresh context (its own storage) with a page at `url`; collects console errors. */
export async function openPage(browser: Browser, url: string, opts: OpenOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
  const page = await context.newPage();
  const errors: string[] = [];
  const networkChanged: string[] = [];
  page.on('console', (m) => {
    // Chromium's own line for it ("Failed to load resource: net::ERR_NETWORK_CHANGED"); the request's URL comes below.
    if (m.type() === 'error' && !(m.text().startsWith('Failed to load resource:') && m.text().endsWith(NETWORK_CHANGED))) errors.push(m.text());
  });
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText === NETWORK_CHANGED) networkChanged.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  // A load cut off that way is loaded again (up to 3 times): the page would otherwise run without its stylesheet
  // (seen in CI: a suite's own dockerd, started just before, was still setting up its bridge).
  for (let load = 1; ; load++) {
    const cut = networkChanged.length;
    await page.goto(url);
    if (networkChanged.length === cut || load === 3) break;
  }
  return { context, page, errors, networkChanged, close: () => context.close() };
}

/** Saves test-results/screenshots/<name>.png (kept as an artifact). */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
  return file;
}

let axeCode: string | null = null;
const axeSource = () => (axeCode ??= `${fs.readFileSync(AXE, 'utf8')}\n;void 0;`);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core on the page; returns the violations of at least `minImpact` (default serious). */
export async function axeViolations(page: Page, minImpact: 'moderate' | 'serious' | 'critical' = 'serious'): Promise<AxeViolation[]> {
  const has = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  // Through the debugger, not a <script> tag: Berth's CSP (script-src 'self') rightly blocks inline scripts.
  if (!has) await page.evaluate(axeSource());
  const all = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx?: unknown): Promise<{ violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const r = await axe.run();
    return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
  const rank = { minor: 0, moderate: 1, serious: 2, critical: 3 } as const;
  return all.filter((v) => v.impact !== null && rank[v.impact as keyof typeof rank] >= rank[minImpact]);
}

/** A readable list of violations for an assertion message. */
export const describeViolations = (vs: AxeViolation[]) => vs.map((v) => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.slice(0, 3).join(' | ')}`).join('\n');
