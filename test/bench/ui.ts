/**
 * The UI scale bench (issue 4): headless Chromium on the real renderer, served in browser mode by
 * the bench's core on its private dockerd, with 2,000 containers and 5,000 images. For the
 * Containers and Images pages: time to the first rendered rows on fresh page loads, the page's
 * JS heap and DOM size, and the latency of filter keystrokes. Printed, never asserted; the bench
 * stops with an error when the page does not show what the engine holds.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Core } from '../../app/composition';
import { startWebServer, type WebServer } from '../../app/server/ws-server';
import { browserUnavailable, CHROMIUM } from '../e2e/support/browser';
import { ROOT } from '../e2e/support/build';
import type { Transports } from './lists';
import { log, now, rawRequest } from './support';
import { ensureUiData } from './ui-fixtures';
import { armKeys, pressMeasured, probeScript, readProbe, waitCallsIdle, waitFirstRowPainted, type KeySample } from './ui-probe';
import { recordUiGoals, uiTables, type ApiTimes, type LoadSample, type PageResult } from './ui-report';
import { recordPostureGoal, waitPostureBadges, type PostureSample } from './ui-posture';

export interface UiBenchOptions {
  docker: Docker;
  socketPath: string;
  /** The base image (busybox) the containers and images are made from. */
  image: string;
  /** The bench's core (web mode) on the private dockerd; served here, not disposed here. */
  core: Core;
  t: Transports;
  sizes: { containers: number; images: number; runs: number };
  /** A folder the caller removes (whatever happens): the renderer build goes there. */
  workDir: string;
  /** A production renderer build the run made already (else one is made in workDir for this section). */
  staticDir?: string;
}

export interface PageSpec {
  id: 'containers' | 'images';
  title: string;
  grid: string;
  search: string;
  method: 'containers.list' | 'images.list';
  /** Typed one key at a time, then erased with Backspace. */
  query: string;
}

/** The pages; each query names one item that exists (`ui-1617` among 2,000 containers, `img-4321` among 5,000 images). */
export const pages = (sizes: { containers: number; images: number }): PageSpec[] => [
  { id: 'containers', title: 'Containers', grid: 'Containers', search: 'Filter containers', method: 'containers.list', query: `ui-${1000 + Math.floor(0.617 * (sizes.containers - Math.floor(sizes.containers / 2)))}` },
  { id: 'images', title: 'Images', grid: 'Images', search: 'Filter images', method: 'images.list', query: `img-${Math.floor(0.8642 * sizes.images)}` },
];

const rowSel = (grid: string) => `[role="grid"][aria-label="${grid}"] [role="row"][data-row-id]`;
const LOAD_TIMEOUT = 120_000;

/** The grid as it is now: rows in the list (aria-rowcount less the header), rows in the DOM, the first row's text. */
async function gridState(page: Page, grid: string): Promise<{ listRows: number; domRows: number; first: string }> {
  return page.evaluate(
    ({ g, sel }) => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null; querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document;
      const el = d.querySelector(`[role="grid"][aria-label="${g}"]`);
      const rows = d.querySelectorAll(sel);
      return { listRows: Number(el?.getAttribute('aria-rowcount') ?? 1) - 1, domRows: rows.length, first: rows[0]?.textContent ?? '' };
    },
    { g: grid, sel: rowSel(grid) },
  );
}

/** One fresh page load (own browser context: no cache, no storage), then the keystrokes. */
export async function oneRun(browser: Browser, url: { origin: string; token: string }, spec: PageSpec, opts: { posture?: boolean } = {}): Promise<{ load: LoadSample; keys: Array<KeySample & { listRows: number }>; posture?: PostureSample }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  try {
    await context.addInitScript({ content: probeScript({ token: url.token, origin: url.origin, rowSelector: rowSel(spec.grid) }) });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url.origin}/#/${spec.id}`);
    await waitFirstRowPainted(page, LOAD_TIMEOUT).catch((e: unknown) => {
      throw new Error(`${spec.title}: no row was rendered within ${LOAD_TIMEOUT / 1000} s${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}: ${String(e)}`);
    });
    const { marks } = await readProbe(page);
    // The containers list (Docker UI section) is measured with its Security column on, its badges painted before the keys are typed.
    const posture = opts.posture && spec.id === 'containers' ? await waitPostureBadges(page, spec.grid, rowSel(spec.grid), LOAD_TIMEOUT) : undefined;
    // Let the page finish what follows the first render (refetches, effects), then collect garbage and read the heap.
    await waitCallsIdle(page, 750, LOAD_TIMEOUT);
    const { calls } = await readProbe(page);
    const listCalls = calls.filter((c) => c.method === spec.method);
    const call = listCalls[0];
    if (!call?.received || !call.ok) throw new Error(`${spec.title}: the page's ${spec.method} call was not answered with success: ${JSON.stringify(call)}`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (n: string) => metrics.find((m) => m.name === n)?.value ?? NaN;
    const grid = await gridState(page, spec.grid);
    const load: LoadSample = { marks, call, listCalls: listCalls.length, heapUsed: metric('JSHeapUsedSize'), domNodes: metric('Nodes'), listRows: grid.listRows, domRows: grid.domRows };

    await page.getByRole('searchbox', { name: spec.search }).focus();
    await armKeys(page);
    const keys: Array<KeySample & { listRows: number }> = [];
    const presses = [...spec.query.split(''), ...spec.query.split('').map(() => 'Backspace')];
    for (const [i, key] of presses.entries()) {
      const k = await pressMeasured(page, key, i);
      const g = await gridState(page, spec.grid);
      keys.push({ ...k, listRows: g.listRows });
      if (i === spec.query.length - 1 && !g.first.includes(spec.query)) {
        throw new Error(`${spec.title}: after typing “${spec.query}” the first row reads “${g.first}”: the filter did not apply`);
      }
    }
    const last = keys.at(-1);
    if (last?.listRows !== grid.listRows) throw new Error(`${spec.title}: after clearing the filter the list has ${last?.listRows} rows, not ${grid.listRows}`);
    if (errors.length) throw new Error(`${spec.title}: the page threw: ${errors.join('; ')}`);
    return { load, keys, ...(posture ? { posture } : {}) };
  } finally {
    await context.close();
  }
}

/** The same list calls from Node (median of `n` after one warm-up): raw Engine API, Berth in-process, Berth over WebSocket. */
async function apiTimes(socketPath: string, t: Transports, spec: PageSpec, n: number): Promise<ApiTimes> {
  const rawPath = spec.id === 'containers' ? '/containers/json?all=1' : '/images/json';
  const input = spec.id === 'containers' ? { all: true } : { filter: 'all' as const };
  const call = (client: Transports['inproc']) => (spec.method === 'containers.list' ? client.call('containers.list', input as { all: boolean }) : client.call('images.list', input as { filter: 'all' }));
  const variants: Array<[keyof ApiTimes, () => Promise<unknown>]> = [
    ['raw', async () => JSON.parse((await rawRequest(socketPath, 'GET', rawPath)).body.toString()) as unknown],
    ['inproc', () => call(t.inproc)],
  ];
  const ws = t.ws;
  if (ws) variants.push(['ws', () => call(ws)]);
  const samples: Record<string, number[]> = {};
  for (let round = -1; round < n; round++) {
    for (const [name, run] of variants) {
      const t0 = now();
      await run();
      if (round >= 0) (samples[name] ??= []).push(now() - t0);
    }
  }
  const med = (s: number[] | undefined) => (s ? [...s].sort((a, b) => a - b)[Math.floor((s.length - 1) / 2)]! : NaN);
  return { raw: med(samples.raw), inproc: med(samples.inproc), ws: med(samples.ws) };
}

/**
 * A production build of the renderer in a folder of its own, as `npm run build:renderer` makes
 * it: NODE_ENV is forced (a build started from vitest inherits NODE_ENV=test and gets React's
 * development bundle), and a test rebuilding dist/renderer meanwhile cannot change what is measured.
 */
export function buildRenderer(outDir: string): void {
  const t0 = now();
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  log(`built the renderer (production) in ${((now() - t0) / 1000).toFixed(1)} s`);
}

export async function benchUi(o: UiBenchOptions): Promise<string[]> {
  const why = browserUnavailable();
  if (why) return [`\nUI bench skipped: ${why}.`];
  const started = now();
  const staticDir = o.staticDir ?? fs.mkdtempSync(path.join(o.workDir, 'renderer-'));
  let web: WebServer | null = null;
  let browser: Browser | null = null;
  try {
    if (!o.staticDir) buildRenderer(staticDir);
    log(`(d) UI setup: ${o.sizes.containers} containers, ${o.sizes.images} images`);
    await ensureUiData(o.docker, o.image, o.sizes);
    const engine = { containers: (await o.docker.listContainers({ all: true })).length, images: (await o.docker.listImages()).length };
    web = await startWebServer({ rpc: o.core.rpc, log: o.core.log, staticDir });
    // As the e2e launch it, but a Ctrl-C is left to the bench (which stops its dockerd), not taken by Playwright.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      handleSIGINT: false,
      handleSIGTERM: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const url = { origin: web.origin, token: web.token };
    const results: PageResult[] = [];
    for (const spec of pages(o.sizes)) {
      const api = await apiTimes(o.socketPath, o.t, spec, 5);
      const loads: LoadSample[] = [];
      const keys: Array<KeySample & { listRows: number }> = [];
      const sequences: number[][] = [];
      const postures: PostureSample[] = [];
      for (let r = -1; r < o.sizes.runs; r++) {
        log(`(d) ${spec.title} page: ${r < 0 ? 'warm-up load' : `load ${r + 1} of ${o.sizes.runs}`}`);
        const run = await oneRun(browser, url, spec, { posture: true });
        if (r < 0) continue;
        loads.push(run.load);
        keys.push(...run.keys);
        sequences.push(run.keys.map((k) => k.listRows));
        if (run.posture) postures.push(run.posture);
      }
      if (spec.id === 'containers') recordPostureGoal(postures, engine.containers);
      results.push({ title: spec.title, method: spec.method, query: spec.query, engineCount: engine[spec.id], api, loads, keys, sequences });
    }
    recordUiGoals(results);
    return uiTables(results, o.sizes.runs, (now() - started) / 1000);
  } finally {
    await browser?.close().catch(() => undefined);
    await web?.close();
    if (!o.staticDir) fs.rmSync(staticDir, { recursive: true, force: true });
  }
}
