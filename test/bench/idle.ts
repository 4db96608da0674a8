/**
 * Idle cost (issue 11): with `running` containers running, CPU of the core (its own process), of
 * the renderer (Chromium's renderer processes, from CDP) and of the engine (Docker: dockerd, its
 * containerd and the shims; nerdctl: containerd, the shims and the nerdctl processes the core
 * runs), over `seconds`: first the engine alone (the raw reference: no Berth), then Berth open on
 * the Containers page, then the page hidden. While hidden, the page counts the timers that fire
 * and the messages it sends to the core (test/support/page-activity).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { activityScript, readActivity, resetActivity, setPageHidden } from '../support/page-activity';
import { CHROMIUM } from '../e2e/support/browser';
import type { BenchEngine } from './bench-engine';
import { spawnCore, type CoreProcess } from './core-process';
import { recordGoal } from './goals';
import { childCpuSeconds, cpuOver } from './procfs';
import { log, table } from './support';

export interface IdleOptions {
  engine: BenchEngine;
  /** The renderer build and the core bundle the run made. */
  staticDir: string;
  bundle: string;
  dataDir: string;
  running: number;
  seconds: number;
}

export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * CPU seconds of the browser's renderer processes (CDP SystemInfo), but Chromium's own WebUI renderer (`--top-chrome-webui`
 * on its command line: the browser's UI, which headless Chromium runs too and Electron does not; 0.1-0.2 % of a core with a
 * blank page and no Berth).
 */
async function rendererSeconds(cdp: CDPSession): Promise<number> {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number; cpuTime: number }> };
  return processInfo.filter((p) => p.type === 'renderer' && !isChromiumWebUi(p.id)).reduce((s, p) => s + p.cpuTime, 0);
}

/**
 * Chromium rewrites its child processes' titles: /proc/PID/cmdline is then one string of the arguments joined by spaces,
 * not one NUL-terminated argument each, so both separators are split on (with NULs alone, the WebUI renderer was counted).
 */
export function isChromiumWebUi(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).includes('--top-chrome-webui');
  } catch {
    return false;
  }
}

/**
 * The window's first load leaves garbage that V8's memory reducer collects once allocation slows down, with two or three major
 * GCs up to ~10 s apart: in the core 40-115 s after it started (~120 ms of CPU with 2,000 containers and 5,000 images listed;
 * ~200 ms on nerdctl with 2,000 containers), in the page ~30-40 s after load (~70 ms). Measured from 5 s after load, the 60 s
 * window caught them or not by chance (core 0.08-0.43 %). The window starts once the core has had a major GC since the
 * figures showed and none for SETTLE_QUIET_MS, at least SETTLE_MIN_MS after them (the page's), at most SETTLE_MAX_MS (a core
 * that never collects is measured as it is).
 */
const SETTLE_MIN_MS = 45_000;
const SETTLE_QUIET_MS = 20_000;
const SETTLE_MAX_MS = 150_000;

const majorGcs = (gcLog: string): number => {
  try {
    return fs.readFileSync(gcLog, 'utf8').split('\n').filter((l) => / major /.test(l)).length;
  } catch {
    return 0;
  }
};

async function settle(gcLog: string): Promise<{ majorGcs: number }> {
  const t0 = Date.now();
  const before = majorGcs(gcLog);
  let seen = before;
  let lastAt = t0;
  for (;;) {
    const now = Date.now();
    const n = majorGcs(gcLog);
    if (n !== seen) {
      seen = n;
      lastAt = now;
    }
    const settled = seen > before && now - lastAt >= SETTLE_QUIET_MS && now - t0 >= SETTLE_MIN_MS;
    if (settled || now - t0 >= SETTLE_MAX_MS) return { majorGcs: seen - before };
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** CPU of `groups` while `work` runs, as % of one core (as cpuOver, over a span of its own length). */
async function cpuDuring<T extends object>(work: () => Promise<T>, groups: Record<string, () => number[] | number | Promise<number>>): Promise<T & { pct: Record<string, number>; machineBusy: number; seconds: number }> {
  let got: T | undefined;
  const t0 = Date.now();
  const r = await cpuOver(0, groups, async () => {
    got = await work();
  });
  return { ...(got as T), ...r, seconds: (Date.now() - t0) / 1000 };
}

const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(2)} %`);

export async function benchIdle(o: IdleOptions): Promise<string[]> {
  const E = o.engine.name;
  log(`(e) idle on ${E}: ${o.running} running containers, ${o.seconds} s per phase`);
  await o.engine.ensureRunning(o.running);
  const ms = o.seconds * 1000;
  const engine = () => o.engine.enginePids();

  log('(e) idle: the engine alone (no Berth)');
  const raw = await cpuOver(ms, { engine });

  let core: CoreProcess | null = null;
  let browser: Browser | null = null;
  try {
    // The core's garbage collections, to see when its start-up ones are done (see settle()).
    const gcLog = process.env.BENCH_CORE_GC_LOG ?? path.join(o.dataDir, 'core-gc.log');
    core = await spawnCore(o.bundle, { engineEnv: { ...o.engine.coreEnv, BENCH_CORE_GC_LOG: gcLog }, dataDir: o.dataDir, staticDir: o.staticDir });
    const corePid = core.pid;
    browser = await chromium.launch({ executablePath: CHROMIUM, handleSIGINT: false, handleSIGTERM: false, args: BROWSER_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    await context.addInitScript({ content: activityScript });
    const page = await context.newPage();
    await page.goto(core.url);
    await page.waitForFunction(() => !/token=/.test((globalThis as unknown as { location: { hash: string } }).location.hash), undefined, { timeout: 60_000 });
    await page.evaluate("location.hash = '#/containers'");
    const firstRunning = page.locator('[role="grid"][aria-label="Containers"] [role="row"][data-row-id]').filter({ hasText: 'idle-000' });
    await firstRunning.waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      (sel) => /\d%/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector(sel)?.textContent ?? ''),
      '[role="grid"][aria-label="Containers"] [role="row"][data-row-id]',
      { timeout: 60_000 },
    );
    const bcdp = await browser.newBrowserCDPSession();
    // The core's finished child processes (nerdctl's CLI runs; Docker: none) are engine work Berth caused.
    const groups = { core: () => [corePid], renderer: () => rendererSeconds(bcdp), engine, clis: () => childCpuSeconds(corePid) };
    // Let the first load's work finish before measuring, its garbage collections included; what it costs is shown apart.
    log('(e) idle: settling (start-up garbage collections)');
    const settling = await cpuDuring(() => settle(gcLog), groups);

    log('(e) idle: Berth open on the Containers page');
    const sends0 = (await readActivity(page)).allSends;
    // BENCH_RENDERER_CPU_PROF=<folder>: a V8 CPU profile of the page's JavaScript over the visible phase (where, not how much).
    const rprof = process.env.BENCH_RENDERER_CPU_PROF;
    const pcdp = rprof ? await context.newCDPSession(page) : null;
    if (pcdp) {
      await pcdp.send('Profiler.enable');
      await pcdp.send('Profiler.start');
    }
    // BENCH_RENDERER_TRACE=<folder>: a Chromium performance trace of the page over the visible phase (what runs per sample: style, layout, paint).
    const rtrace = process.env.BENCH_RENDERER_TRACE;
    if (rtrace) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8.execute'] });
    const visible = await cpuOver(ms, groups);
    if (rtrace) {
      fs.mkdirSync(rtrace, { recursive: true });
      fs.writeFileSync(path.join(rtrace, `renderer-idle-${E}-${Date.now()}.json`), await browser.stopTracing());
    }
    if (pcdp && rprof) {
      const { profile } = (await pcdp.send('Profiler.stop')) as { profile: unknown };
      fs.mkdirSync(rprof, { recursive: true });
      fs.writeFileSync(path.join(rprof, `renderer-idle-${E}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
      await pcdp.detach();
    }
    const sendsVisible = (await readActivity(page)).allSends - sends0;

    log('(e) idle: the page hidden');
    await setPageHidden(page, true);
    await resetActivity(page);
    const hidden = await cpuOver(ms, groups);
    const act = await readActivity(page);
    await setPageHidden(page, false);

    const sum = (r: Record<string, number>) => (r.core ?? 0) + (r.renderer ?? 0);
    const added = (r: Record<string, number>) => (r.engine ?? 0) + (r.clis ?? 0) - (raw.pct.engine ?? 0);
    const tag = { engine: E };
    recordGoal({
      ...tag,
      what: `Core + renderer CPU, ${o.running} running, page visible`,
      value: sum(visible.pct),
      unit: '%',
      goal: { op: '≤', limit: 0.5 },
      reference: `core ${pct(visible.pct.core)}, renderer ${pct(visible.pct.renderer)}; start-up GCs before it: ${pct(sum(settling.pct))} over ${settling.seconds.toFixed(0)} s`,
    });
    recordGoal({ ...tag, what: 'Engine CPU added by Berth, page visible', value: added(visible.pct), unit: '%', goal: { op: '≤', limit: 1 }, reference: `engine alone ${pct(raw.pct.engine)}` });
    recordGoal({ ...tag, what: 'Core + renderer CPU, page hidden', value: sum(hidden.pct), unit: '%', goal: { op: '≤', limit: 0.5 }, reference: `engine added ${pct(added(hidden.pct))}` });
    recordGoal({ ...tag, what: 'Timer firings while hidden', value: act.timers + act.frames, unit: 'count', goal: { op: '≤', limit: 0 }, reference: `over ${o.seconds} s; ${act.acks} acks of pushed items` });
    recordGoal({ ...tag, what: 'Requests while hidden', value: act.sends, unit: 'count', goal: { op: '≤', limit: 0 }, reference: `${sendsVisible} while visible over ${o.seconds} s` });

    return [
      table(
        `Idle on ${E}: ${o.running} running containers (plus whatever else the engine holds), ${o.seconds} s per phase; CPU as % of one core`,
        ['', 'core', 'renderer', 'core + renderer', 'engine', 'CLI runs', 'engine added', 'machine busy', 'timers', 'requests'],
        [
          ['Engine alone (no Berth)', '', '', '', pct(raw.pct.engine), '', '', pct(raw.machineBusy), '', ''],
          [`Berth settling: figures shown → start-up GCs done (${settling.seconds.toFixed(0)} s, ${settling.majorGcs} major GCs of the core)`, pct(settling.pct.core), pct(settling.pct.renderer), pct(sum(settling.pct)), pct(settling.pct.engine), pct(settling.pct.clis), pct(added(settling.pct)), pct(settling.machineBusy), '', ''],
          ['Berth, Containers page visible', pct(visible.pct.core), pct(visible.pct.renderer), pct(sum(visible.pct)), pct(visible.pct.engine), pct(visible.pct.clis), pct(added(visible.pct)), pct(visible.machineBusy), '', String(sendsVisible)],
          ['Berth, page hidden', pct(hidden.pct.core), pct(hidden.pct.renderer), pct(sum(hidden.pct)), pct(hidden.pct.engine), pct(hidden.pct.clis), pct(added(hidden.pct)), pct(hidden.machineBusy), String(act.timers + act.frames), String(act.sends)],
        ],
      ),
      `Core = the core's own process (bundled as in production, serving browser mode); renderer = the renderer processes of headless Chromium (CDP SystemInfo) but Chromium's own WebUI renderer (--top-chrome-webui, which Electron does not run); ` +
        `engine = the private engine's processes (/proc: Docker: dockerd, its containerd and shims; nerdctl: containerd, shims and nerdctl processes running); ` +
        `CLI runs = the core's child processes that finished in the phase (the nerdctl commands it ran). Engine added = engine + CLI runs − engine alone. ` +
        `Settling = from the first figures on screen until the core's major garbage collections after them are over (V8's memory reducer collecting the first load's garbage; ` +
        `${SETTLE_QUIET_MS / 1000} s without one, ${SETTLE_MIN_MS / 1000}-${SETTLE_MAX_MS / 1000} s in all; the page's own come ~30-40 s after load), not counted in the goal: a one-off of start-up, not idle work. ` +
        `Hidden = the page's document reports hidden (headless Chromium cannot minimize), ` +
        `so the browser's own throttling of hidden pages does not help: timers and requests are the app's. Machine busy = all processes of the machine (other work included).`,
    ];
  } finally {
    await browser?.close().catch(() => undefined);
    await core?.stop();
  }
}
