/**
 * `npm run bench`: Berth against the raw Engine API on the same socket, in the same run, on a
 * private dockerd started here (and removed at the end). Figures are printed, never asserted.
 *
 * Sizes can be changed with BENCH_CONTAINERS, BENCH_IMAGES, BENCH_ITERATIONS, BENCH_EVENTS,
 * BENCH_LOG_LINES (defaults: 1000, 2000, 20, 200, 200000); `--quick` uses small ones.
 * The UI section (headless Chromium) uses BENCH_UI_CONTAINERS, BENCH_UI_IMAGES, BENCH_UI_RUNS
 * (2000, 5000, 5). `--only ui` (or `--only latency,logs,lists,ui`) runs just those sections.
 * `feel` (cold start, event → row visible, RSS; BENCH_FEEL_RUNS, BENCH_FEEL_EVENTS: 5, 40) and
 * `idle` (idle CPU with BENCH_IDLE_RUNNING running containers over BENCH_IDLE_SECONDS per phase:
 * 50, 60) run the core in its own process. `nerdctl-ui`, `nerdctl-feel` and `nerdctl-idle` measure the
 * same on a private containerd through nerdctl (Containers page with BENCH_NERDCTL_UI_CONTAINERS:
 * 2000). Every section that measures one of issue 11's goals records it, with its engine, and one
 * table of goals closes the run.
 * `lazy` (issue 16): Run → first log line of a large image through a paced link, eStargz lazy pull ÷ normal
 * pull on a private containerd; BENCH_LAZY_MB, BENCH_LAZY_RUNS, BENCH_LAZY_MBIT (200, 3, 80; --quick 64, 1, 80).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { createCore, type Core } from '../../app/composition';
import { dockerdUnavailable, startDockerd, type Dockerd } from '../support/dockerd';
import { buildBusybox, busyboxUnavailable } from '../support/images';
import { connectInProcess } from '../support/inproc';
import { connectWebSocket, type Connection } from '../support/transports';
import { compareImageMethods, createContainers, loadDistinctImages } from './fixtures';
import { benchLatency } from './latency';
import { benchLists, type Transports } from './lists';
import { benchLogs } from './logs';
import { benchUi, buildRenderer } from './ui';
import { bundleCore } from './core-process';
import { benchFeel } from './feel';
import { goalTable } from './goals';
import { benchIdle } from './idle';
import { log, now, rawAgent } from './support';
import { benchTerminals } from './terminals';
import { benchVm } from './vm';
import { benchNerdctl } from './nerdctl';
import { benchImagesBuild } from './images-build';
import { benchImagesLazy } from './images-lazy';
import { benchPods } from './pods';
import { dockerBenchEngine } from './bench-engine';
import { benchNerdctlFeel } from './nerdctl-feel';
import { keepYoungGenerationSmall } from '../../app/server/core-heap';

// The sections that run the core in this process (latency, logs, lists, build) measure it with the heap setting every
// entry that runs the product's core sets first (app/server/core-heap.ts); their raw references share this process.
// BENCH_DEFAULT_YOUNG_GENERATION=1: without it (A/B).
if (process.env.BENCH_DEFAULT_YOUNG_GENERATION !== '1') keepYoungGenerationSmall();

const quick = process.argv.includes('--quick');
const num = (name: string, full: number, small: number) => {
  const v = process.env[name];
  const n = v === undefined ? (quick ? small : full) : Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got ${v})`);
  return n;
};
const sizes = {
  containers: num('BENCH_CONTAINERS', 1000, 50),
  images: num('BENCH_IMAGES', 2000, 100),
  iterations: num('BENCH_ITERATIONS', 20, 5),
  events: num('BENCH_EVENTS', 200, 30),
  logLines: num('BENCH_LOG_LINES', 200_000, 20_000),
  ui: { containers: num('BENCH_UI_CONTAINERS', 2000, 100), images: num('BENCH_UI_IMAGES', 5000, 200), runs: num('BENCH_UI_RUNS', 5, 2) },
  feel: { runs: num('BENCH_FEEL_RUNS', 5, 2), events: num('BENCH_FEEL_EVENTS', 40, 10) },
  idle: { running: num('BENCH_IDLE_RUNNING', 50, 10), seconds: num('BENCH_IDLE_SECONDS', 60, 10) },
};
const SECTIONS = ['latency', 'logs', 'lists', 'ui', 'feel', 'idle', 'terminals', 'vm', 'nerdctl', 'build', 'lazy', 'nerdctl-ui', 'nerdctl-feel', 'nerdctl-idle', 'pods'] as const;
const onlyArg = process.argv.find((a, i) => a.startsWith('--only=') || process.argv[i - 1] === '--only');
const only = onlyArg === undefined ? null : new Set(onlyArg.replace(/^--only=/, '').split(','));
const unknown = [...(only ?? [])].filter((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknown.length || (only && only.size === 0)) {
  process.stderr.write(`--only takes some of ${SECTIONS.join(', ')}, comma-separated (got ${onlyArg}).\n`);
  process.exit(2);
}
const wanted = (s: (typeof SECTIONS)[number]) => only === null || only.has(s);

async function main(): Promise<number> {
  const why = dockerdUnavailable() ?? busyboxUnavailable();
  if (why) {
    process.stderr.write(`The benchmark needs a private dockerd: ${why}.\n`);
    return 1;
  }
  const started = now();
  let d: Dockerd | null = null;
  let core: Core | null = null;
  let inproc: { close(): void } | null = null;
  let ws: Connection | null = null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  const out: string[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      log('cleaning up');
      await ws?.close().catch(() => undefined);
      inproc?.close();
      await core?.dispose().catch(() => undefined);
      rawAgent.destroy();
      await d?.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    })());
  // Ctrl-C or a kill: the private dockerd and the folders still go.
  const onSignal = (sig: NodeJS.Signals) => {
    log(`${sig}: stopping`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    log('starting a private dockerd');
    d = await startDockerd();
    const image = await buildBusybox(d.dockerHost);
    const docker = new Docker({ socketPath: d.socketPath });
    core = await createCore({ dataDir, mode: 'web', version: 'bench', env: { DOCKER_HOST: d.dockerHost } });
    const ip = connectInProcess(core.rpc);
    inproc = ip;
    ws = await connectWebSocket(core);
    const t: Transports = { inproc: ip.client, ws: ws.client };
    const [engine] = await ip.client.call('engines.list', {});
    if (engine?.status !== 'up') throw new Error(`Berth does not see the private engine: ${JSON.stringify(engine)}`);
    const v = engine.version;
    out.push(
      `Berth benchmark: ${v?.product ?? '?'} ${v?.version ?? '?'} (API ${v?.apiVersion ?? '?'}) on a private socket; node ${process.version}; ` +
        `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}); Berth and the raw client in the same process.`,
    );

    if (wanted('latency')) {
      log(`(b) event latency: ${sizes.events} creates`);
      out.push(await benchLatency(d.socketPath, image, t, sizes.events));
    }

    if (wanted('logs')) {
      log(`(c) log throughput: ${sizes.logLines} lines`);
      out.push(await benchLogs(docker, d.socketPath, image, t, sizes.logLines, num('BENCH_LOG_RUNS', 5, 3)));
    }

    if (wanted('lists')) {
      log(`(a) setup: ${sizes.containers} containers, ${sizes.images} images`);
      const methods = await compareImageMethods(docker, image);
      const t0 = now();
      await loadDistinctImages(docker, image, sizes.images);
      const loadMs = (now() - t0) / sizes.images;
      await createContainers(docker, image, sizes.containers);
      const counts = { containers: (await docker.listContainers({ all: true })).length, images: (await docker.listImages()).length };
      out.push(
        `\nSetup: ${counts.containers} containers (created, not started) and ${counts.images} distinct images on the engine. ` +
          `Distinct images cost ${methods.buildMs.toFixed(0)} ms each with the classic builder (FROM + LABEL), ` +
          `${methods.commitMs.toFixed(0)} ms with docker commit, ${loadMs.toFixed(1)} ms with one docker load of generated configs ` +
          `sharing the base layers (used here).`,
      );
      log(`(a) lists: ${sizes.iterations} runs each`);
      out.push(...(await benchLists(d.socketPath, t, sizes.iterations)));
    }
    // One production build of the renderer for every section that serves it (made when the first needs it).
    let rendererDir: string | null = null;
    const renderer = () => {
      if (rendererDir === null) {
        rendererDir = fs.mkdtempSync(path.join(dataDir, 'renderer-'));
        buildRenderer(rendererDir);
      }
      return rendererDir;
    };
    if (wanted('ui')) out.push(...(await benchUi({ docker, socketPath: d.socketPath, image, core, t, sizes: sizes.ui, workDir: dataDir, staticDir: renderer() })));
    if (wanted('vm')) out.push(...(await benchVm(num('BENCH_VM_RUNS', 5, 2))));
    if (wanted('nerdctl')) out.push(...(await benchNerdctl({ containers: process.env.BENCH_NERDCTL_CONTAINERS === undefined ? sizes.containers : num('BENCH_NERDCTL_CONTAINERS', 1000, 50), iterations: sizes.iterations, events: num('BENCH_NERDCTL_EVENTS', 40, 10), logLines: sizes.logLines })));
    if (wanted('pods')) out.push(...(await benchPods({ pods: num('BENCH_PODS', 2000, 200), runs: sizes.ui.runs, workDir: dataDir })));
    if (wanted('build')) out.push(...(await benchImagesBuild(d.dockerHost, num('BENCH_BUILD_RUNS', 5, 2))));
    if (wanted('lazy')) out.push(...(await benchImagesLazy({ mib: num('BENCH_LAZY_MB', 200, 64), runs: num('BENCH_LAZY_RUNS', 3, 1), mbit: num('BENCH_LAZY_MBIT', 80, 80) })));
    if (wanted('terminals')) out.push(...(await benchTerminals(ws.client, { keystrokes: num('BENCH_TERM_KEYS', 500, 100), megabytes: num('BENCH_TERM_MB', 100, 20), pairs: num('BENCH_TERM_PAIRS', 3, 1) })));
    const nerdctlFeel = { ui: wanted('nerdctl-ui'), feel: wanted('nerdctl-feel'), idle: wanted('nerdctl-idle') };
    if (wanted('feel') || wanted('idle') || nerdctlFeel.ui || nerdctlFeel.feel || nerdctlFeel.idle) {
      // The core in its own process, serving a production renderer build: both made for this run.
      const staticDir = renderer();
      const bundle = await bundleCore();
      try {
        const own = { engine: dockerBenchEngine(docker, d, image), staticDir, bundle: bundle.file };
        try {
          if (wanted('feel')) out.push(...(await benchFeel({ ...own, dataDir: fs.mkdtempSync(path.join(dataDir, 'core-')), sizes: sizes.ui, ...sizes.feel })));
          if (wanted('idle')) out.push(...(await benchIdle({ ...own, dataDir: fs.mkdtempSync(path.join(dataDir, 'core-')), ...sizes.idle })));
        } finally {
          own.engine.close();
        }
        if (nerdctlFeel.ui || nerdctlFeel.feel || nerdctlFeel.idle) {
          out.push(
            ...(await benchNerdctlFeel({
              sections: nerdctlFeel,
              staticDir,
              bundle: bundle.file,
              workDir: dataDir,
              sizes: { containers: num('BENCH_NERDCTL_UI_CONTAINERS', 2000, 100), runs: sizes.ui.runs },
              feel: sizes.feel,
              idle: sizes.idle,
            })),
          );
        }
      } finally {
        bundle.remove();
      }
    }
    out.push(...goalTable(`${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${v?.product ?? '?'} ${v?.version ?? '?'}`));
    out.push(`\nTotal bench time ${((now() - started) / 1000).toFixed(0)} s. Ratios above 1× mean Berth takes longer (or moves less per second) than the raw API.`);
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } catch (err) {
    // What the sections measured before the failure is still printed (a long run is not lost to its last section).
    if (out.length > 0) process.stdout.write(`${[...out, ...goalTable('this run (partial: it failed, see below)')].join('\n')}\n`);
    throw err;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`The benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
