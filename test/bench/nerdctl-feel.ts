/**
 * Issue 11's "what the user feels" sections on nerdctl (sections `nerdctl-ui`, `nerdctl-feel`,
 * `nerdctl-idle`): the same measurements as `ui` (Containers page only: the images page's 5,000
 * images are a Docker-API fixture), `feel` and `idle`, with the core process pointed at a private
 * containerd through nerdctl (no Docker engine). One containerd for the three, removed at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { containerdUnavailable, startContainerd, type Containerd } from '../support/containerd';
import { buildBusyboxInto } from '../support/peers-setup';
import { browserUnavailable, CHROMIUM } from '../e2e/support/browser';
import { nerdctlBenchEngine, type BenchEngine } from './bench-engine';
import { rawContainerdListMs } from './nerdctl-clone';
import { spawnCore, type CoreProcess } from './core-process';
import { benchFeel } from './feel';
import { benchIdle, BROWSER_ARGS } from './idle';
import { log, now } from './support';
import { oneRun, pages } from './ui';
import type { KeySample } from './ui-probe';
import { recordUiGoals, uiTables, type LoadSample } from './ui-report';

export interface NerdctlFeelOptions {
  sections: { ui: boolean; feel: boolean; idle: boolean };
  staticDir: string;
  bundle: string;
  /** A folder the caller removes; each core gets a data folder inside. */
  workDir: string;
  sizes: { containers: number; runs: number };
  feel: { runs: number; events: number };
  idle: { running: number; seconds: number };
}

/** The Containers page, `runs` fresh loads after a warm-up, against the core process on nerdctl. */
async function containersPage(o: NerdctlFeelOptions, engine: BenchEngine, total: number, c: Containerd): Promise<string[]> {
  const why = browserUnavailable();
  if (why) return [`\nnerdctl UI bench skipped: ${why}.`];
  const started = now();
  const spec = pages({ containers: o.sizes.containers, images: 0 }).find((p) => p.id === 'containers')!;
  let core: CoreProcess | null = null;
  let browser: Browser | null = null;
  try {
    core = await spawnCore(o.bundle, { engineEnv: engine.coreEnv, dataDir: fs.mkdtempSync(path.join(o.workDir, 'core-')), staticDir: o.staticDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, handleSIGINT: false, handleSIGTERM: false, args: BROWSER_ARGS });
    const raw = await engine.rawListMs();
    // Berth reads the list from containerd's API where it can reach the socket (as here): its raw reference beside ps.
    const rawApi = await rawContainerdListMs(c);
    const loads: LoadSample[] = [];
    const keys: Array<KeySample & { listRows: number }> = [];
    const sequences: number[][] = [];
    for (let r = -1; r < o.sizes.runs; r++) {
      log(`nerdctl: Containers page: ${r < 0 ? 'warm-up load' : `load ${r + 1} of ${o.sizes.runs}`}`);
      const run = await oneRun(browser, { origin: core.origin, token: core.token }, spec);
      if (r < 0) continue;
      loads.push(run.load);
      keys.push(...run.keys);
      sequences.push(run.keys.map((k) => k.listRows));
    }
    const results = [{ title: spec.title, method: spec.method, query: spec.query, engineCount: total, api: { raw, inproc: NaN, ws: NaN }, loads, keys, sequences }];
    recordUiGoals(results, engine.name);
    return [
      `\nThe UI on nerdctl: the core in its own process (bundled as in production) on a private containerd through nerdctl; ` +
        `the raw reference of the list is nerdctl ps -a --format json (${raw.toFixed(0)} ms); containerd's API (Containers/ListStream + Tasks/List, ` +
        `${rawApi.count} containers, a fresh client) answers the same in ${rawApi.ms.toFixed(0)} ms, and the core reads it that way; Berth's own list calls from Node are not timed here (section nerdctl).`,
      ...uiTables(results, o.sizes.runs, (now() - started) / 1000),
    ];
  } finally {
    await browser?.close().catch(() => undefined);
    await core?.stop();
  }
}

export async function benchNerdctlFeel(o: NerdctlFeelOptions): Promise<string[]> {
  const why = containerdUnavailable();
  if (why) return [`\nnerdctl UI, feel and idle sections skipped: ${why}.`];
  log('nerdctl (ui/feel/idle): starting a private containerd');
  const c: Containerd = await startContainerd();
  const engine = nerdctlBenchEngine(c, await buildBusyboxInto(c));
  const out: string[] = [];
  try {
    if (o.sections.ui || o.sections.feel) {
      log(`nerdctl: ${o.sizes.containers} containers for the Containers page`);
      const total = await engine.ensureUiContainers({ containers: o.sizes.containers, images: 0 });
      if (o.sections.ui) out.push(...(await containersPage(o, engine, total, c)));
      if (o.sections.feel) {
        out.push(
          ...(await benchFeel({ engine, staticDir: o.staticDir, bundle: o.bundle, dataDir: fs.mkdtempSync(path.join(o.workDir, 'core-')), sizes: { containers: o.sizes.containers, images: 0 }, ...o.feel })),
        );
      }
    }
    if (o.sections.idle) out.push(...(await benchIdle({ engine, staticDir: o.staticDir, bundle: o.bundle, dataDir: fs.mkdtempSync(path.join(o.workDir, 'core-')), ...o.idle })));
    return out;
  } finally {
    engine.close();
    await c.dispose();
  }
}
