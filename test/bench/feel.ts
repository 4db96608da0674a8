/**
 * What a user feels with 2,000 containers (issue 11), against the core in its own process:
 * - cold start: from spawning the core, on a quiet machine, to the first row painted on the Containers page opened as
 *   soon as the core listens (fresh browser context, made before); as `npm run web`, it listens once the core is ready, or, on a
 *   local nerdctl, before its modules load, the page's first list answered from containerd's early list then
 *   (app/server/early-start.ts; BENCH_CORE_NO_EARLY_ANSWER=1: not); BENCH_CORE_LISTEN_FIRST=1 listens first anyway;
 * - memory: RSS of the core process and of the renderer (not only the JS heap), page at rest;
 * - event → row visible: a container created with the engine's raw API or CLI; from the moment its create
 *   event reached a raw subscriber (Docker's `/events`, `nerdctl events`) until its row is painted in the real
 *   page (the create call's own time, which on nerdctl is the CLI's, is left out and printed beside it).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from '../e2e/support/browser';
import type { BenchEngine } from './bench-engine';
import { spawnCore, type CoreProcess } from './core-process';
import { recordGoal } from './goals';
import { BROWSER_ARGS } from './idle';
import { machineQuiet, rssBytes } from './procfs';
import { fmtMs, log, median, percentile, table } from './support';
import { probeScript, readProbe, waitCallsIdle, waitFirstRowPainted } from './ui-probe';

export interface FeelOptions {
  engine: BenchEngine;
  staticDir: string;
  bundle: string;
  dataDir: string;
  sizes: { containers: number; images: number };
  /** Cold starts, and events timed. */
  runs: number;
  events: number;
}

const ROWS = '[role="grid"][aria-label="Containers"] [role="row"][data-row-id]';
const mb = (b: number) => b / 1e6;

/** The wall-clock time (ms) at which something happened in the page, from its performance clock. */
const wall = (page: Page, perfMs: number) => page.evaluate((t) => performance.timeOrigin + t, perfMs);

/**
 * A fresh browser context and its blank tab, made before the core is spawned: the window Berth's URL opens in exists
 * already (Electron makes its window while the core starts). Making a Chromium profile took 200-600 ms on a loaded
 * machine, all of it Chromium's and Playwright's, and it sat inside the cold start when it was made after the core's URL.
 * It went on after `newPage()` returned, as did the previous run's teardown (its page's context, its core's exit): on this
 * 2-CPU machine 400-550 ms of Chromium's CPU in the core's first ~400 ms. So the core is spawned once the machine is
 * quiet (`machineQuiet`; at most 5 s), and a cold start measures Berth's core and page alone.
 */
async function blankTab(browser: Browser, waitQuiet: boolean): Promise<{ context: BrowserContext; page: Page; quiet: { waitedMs: number; quiet: boolean } | null }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  return { context, page, quiet: waitQuiet ? await machineQuiet() : null };
}

/** Opens the Containers page of `core` in `tab` and waits for the first row painted; returns that wall time and the navigation's. */
async function openContainers(tab: { context: BrowserContext; page: Page }, core: CoreProcess): Promise<{ page: Page; navigatedAt: number; paintedAt: number; close(): Promise<void> }> {
  const { context, page } = tab;
  await context.addInitScript({ content: probeScript({ token: core.token, origin: core.origin, rowSelector: ROWS }) });
  await page.goto(`${core.origin}/#/containers`);
  await waitFirstRowPainted(page, 120_000);
  const { marks } = await readProbe(page);
  return { page, navigatedAt: await page.evaluate(() => performance.timeOrigin), paintedAt: await wall(page, marks.firstRowPainted as number), close: () => context.close() };
}

/** The renderer process with the largest RSS (the page's; spare renderers are small). */
async function rendererRss(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
  await cdp.detach();
  return Math.max(...processInfo.filter((p) => p.type === 'renderer').map((p) => rssBytes(p.id)));
}

/** Creates containers one at a time and times each until its row is painted in `page`. */
async function eventToRow(o: FeelOptions, page: Page, n: number): Promise<{ row: number[]; fromCall: number[]; raw: number[] }> {
  const row: number[] = [];
  const fromCall: number[] = [];
  const raw: number[] = [];
  const made: Array<() => Promise<void>> = [];
  // Not inside the first event's timed window (it once held a 500 ms wait for the raw /events stream).
  await o.engine.prepareCreates();
  try {
    for (let i = 0; i < n; i++) {
      // Sorted by name, each new `a-evt-…` is the first row (before the earlier ones): visible without scrolling.
      const name = `a-evt-${String(9999 - i).padStart(4, '0')}-${Date.now().toString(36)}`;
      await page.evaluate(`(() => {
        const sel = ${JSON.stringify(ROWS)};
        const want = ${JSON.stringify(name)};
        delete window.__evt;
        const seen = () => [...document.querySelectorAll(sel)].some((r) => (r.textContent || '').includes(want));
        const obs = new MutationObserver(() => {
          if (!seen()) return;
          obs.disconnect();
          requestAnimationFrame(() => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => { window.__evt = performance.timeOrigin + performance.now(); };
            ch.port2.postMessage(0);
          });
        });
        obs.observe(document.body, { childList: true, subtree: true, characterData: true });
      })()`);
      const t0 = Date.now();
      const c = await o.engine.createTimed(name);
      made.push(c.remove);
      const h = await page.waitForFunction(() => (globalThis as unknown as { __evt?: number }).__evt, undefined, { timeout: 30_000, polling: 10 });
      const painted = Number(await h.jsonValue()) - t0;
      fromCall.push(painted);
      // Without a raw event (it never came) the sample counts from the call: never in Berth's favour.
      row.push(painted - (c.reference ?? 0));
      if (c.reference !== undefined) raw.push(c.reference);
      // Let the list settle before the next one (each event is timed alone).
      await new Promise((r) => setTimeout(r, 400));
    }
  } finally {
    for (const remove of made) await remove().catch(() => undefined);
  }
  return { row, fromCall, raw };
}

export async function benchFeel(o: FeelOptions): Promise<string[]> {
  const E = o.engine.name;
  log(`(f) feel on ${E}: ${o.sizes.containers} containers`);
  const total = await o.engine.ensureUiContainers(o.sizes);
  let browser: Browser | null = null;
  let core: CoreProcess | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, handleSIGINT: false, handleSIGTERM: false, args: BROWSER_ARGS });
    const cold: number[] = [];
    /** Navigation → first row painted (the page's part of `cold`, begun while the core starts). */
    const page: number[] = [];
    /** Spawn → URL printed (listening), and spawn → the core ready (serving the page's WebSocket). */
    const ready: number[] = [];
    const coreReady: number[] = [];
    const loaded: number[] = [];
    const loadedCpu: number[] = [];
    const created: number[] = [];
    /** How long each run waited for a quiet machine before spawning the core, and the runs that did not get one. */
    const settled: number[] = [];
    let unsettled = 0;
    /** For reference, as measured before: cold starts spawned right after the blank tab (Chromium still making it). */
    const coldBusy: number[] = [];
    // Interleaved: the goal's runs (on a quiet machine), then one spawned at once, and so on.
    const runs = 2 * o.runs;
    for (let r = 0; r < runs; r++) {
      const quietRun = r % 2 === 0;
      log(`(f) cold start ${r + 1} of ${runs}${quietRun ? '' : ' (spawned at once, for reference)'}`);
      const tab = await blankTab(browser, quietRun);
      if (tab.quiet) settled.push(tab.quiet.waitedMs);
      if (tab.quiet && !tab.quiet.quiet) unsettled++;
      core = await spawnCore(o.bundle, { engineEnv: o.engine.coreEnv, dataDir: o.dataDir, staticDir: o.staticDir });
      const opened = await openContainers(tab, core);
      const timing = await core.ready;
      if (quietRun) {
        cold.push(opened.paintedAt - core.spawnedAt);
        page.push(opened.paintedAt - opened.navigatedAt);
        ready.push(core.readyAt - core.spawnedAt);
        coreReady.push(timing.readyAt - core.spawnedAt);
        loaded.push(timing.loadedMs);
        loadedCpu.push(timing.loadedCpuMs);
        created.push(timing.createCoreMs);
      } else coldBusy.push(opened.paintedAt - core.spawnedAt);
      if (r < runs - 1) {
        await opened.close();
        await core.stop();
        core = null;
        continue;
      }
      // The last run stays open: memory at rest, then events.
      await waitCallsIdle(opened.page, 750, 60_000).catch(async (err: unknown) => {
        const { calls } = await readProbe(opened.page);
        const recent = calls.slice(-12).map((c) => `${c.method} ${c.received === undefined ? 'unanswered' : `${(c.received - c.sent).toFixed(0)} ms`}`);
        throw new Error(`${E}: the page's calls did not rest for 750 ms within 60 s (last: ${recent.join(', ')}): ${String(err)}`);
      });
      await new Promise((res) => setTimeout(res, 2000));
      const coreRss = rssBytes(core.pid);
      const rendRss = await rendererRss(browser);
      log(`(f) event → row visible: ${o.events} creates`);
      const ev = await eventToRow(o, opened.page, o.events);
      await opened.close();

      const tag = { engine: E };
      recordGoal({ ...tag, what: 'First row after a cold start (containers)', value: median(cold), unit: 'ms', goal: { op: '≤', limit: 1000 }, reference: `URL printed (listening) after ${fmtMs(median(ready))}; core ready after ${fmtMs(median(coreReady))} (modules ${fmtMs(median(loaded))}, ${fmtMs(median(loadedCpu))} of CPU; createCore ${fmtMs(median(created))}); navigation → row ${fmtMs(median(page))}, begun at the URL; spawned on a quiet machine (waited ${fmtMs(median(settled))}${unsettled ? `; ${unsettled} runs not quiet within 5 s` : ''}); spawned at once after the blank tab, as before: ${fmtMs(median(coldBusy))}` });
      recordGoal({ ...tag, what: 'Event → row visible p99', value: percentile(ev.row, 99), unit: 'ms', goal: { op: '≤', limit: 300 }, reference: `p50 ${fmtMs(median(ev.row))}; from the create call p99 ${fmtMs(percentile(ev.fromCall, 99))}, event on ${o.engine.referenceName} p99 ${fmtMs(percentile(ev.raw, 99))} after it` });
      recordGoal({ ...tag, what: `Core RSS, ${total} containers listed`, value: mb(coreRss), unit: 'MB', goal: { op: '≤', limit: 150 } });
      recordGoal({ ...tag, what: `Renderer RSS, ${total} containers listed`, value: mb(rendRss), unit: 'MB', goal: { op: '≤', limit: 250 } });
      return [
        table(
          `Feel on ${E}: ${total} containers on the engine, the core in its own process (bundled as in production), headless Chromium 1280×800`,
          ['', 'p50 / median', 'p99 / max', 'runs', 'raw reference'],
          [
            ['Cold start → first row painted', fmtMs(median(cold)), fmtMs(Math.max(...cold)), String(cold.length), `URL printed ${fmtMs(median(ready))}; core ready ${fmtMs(median(coreReady))}: node + modules ${fmtMs(median(loaded))} (${fmtMs(median(loadedCpu))} CPU), createCore ${fmtMs(median(created))}; navigation (at the URL) → row ${fmtMs(median(page))}`],
            ['Cold start, spawned at once after the blank tab (reference)', fmtMs(median(coldBusy)), fmtMs(Math.max(...coldBusy)), String(coldBusy.length), 'as measured before: Chromium still making the tab, the previous run still ending'],
            ['Event (create) → row painted', fmtMs(median(ev.row)), fmtMs(percentile(ev.row, 99)), String(ev.row.length), `event on ${o.engine.referenceName} after the call: ${fmtMs(median(ev.raw))} / ${fmtMs(percentile(ev.raw, 99))}`],
            ['Create call → row painted', fmtMs(median(ev.fromCall)), fmtMs(percentile(ev.fromCall, 99)), String(ev.fromCall.length), ''],
            ['Core RSS', `${mb(coreRss).toFixed(0)} MB`, '', '1', ''],
            ['Renderer RSS', `${mb(rendRss).toFixed(0)} MB`, '', '1', ''],
          ],
        ),
        `Cold start = spawn of the core process → the first container row painted in a page opened as soon as the core printed its URL (its browser context made before the spawn, and the core spawned once the machine was quiet: Berth's core and page alone; the reference row spawns it at once, interleaved); ` +
          `The core prints its URL once it listens: once it is ready (Docker); on nerdctl before its modules load, answering the page's first list from containerd's early list and holding the page's other messages until the core is ready (as npm run web). ` +
          `Event → row = the create event's arrival on a raw subscriber opened before (Docker: /events; nerdctl: nerdctl events) → the frame painted after ` +
          `the new row (first by name) appeared; "create call → row" counts from the raw create sent instead.`,
      ];
    }
    return [];
  } finally {
    await browser?.close().catch(() => undefined);
    await core?.stop();
  }
}
