/**
 * The bench's core process: what `npm run web` runs (the core plus the loopback WebSocket host),
 * serving the renderer build the bench made. Bundled with esbuild as production bundles the core
 * (test/bench/core-process.ts), so its start-up and memory are those of shipped code.
 * Environment: DOCKER_HOST or BERTH_NERDCTL…, BERTH_DATA_DIR, BERTH_STATIC_DIR. Prints two JSON lines: when the server
 * listens, {"url","origin","token","timing":{"listeningMs"}}; once the core is ready and serves the WebSocket,
 * {"timing":{"loadedMs","loadedCpuMs","createCoreMs","coreReadyMs"}}. As `npm run web`, it listens once the core is
 * ready; BENCH_CORE_LISTEN_FIRST=1 listens (and prints the URL) before the core's modules load, the page's WebSocket
 * waiting for the core (ws-server.ts's listenWeb/attach). With containerd's early list it listens first and answers the
 * page's first list before the core's modules load, as `npm run web` (BENCH_CORE_NO_EARLY_ANSWER=1: not).
 */
import fs from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { startEarlyList } from '../../app/server/early-list';
import { keepYoungGenerationSmall } from '../../app/server/core-heap';
import type { ListeningWebServer } from '../../app/server/ws-server';

// As app/server/web.ts and the Electron main process: the core's young generation stays small (app/server/core-heap.ts).
keepYoungGenerationSmall();
// As app/server/web.ts: the window's first list is asked for before the core's modules load.
const earlyEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k === 'DOCKER_HOST' || k.startsWith('BERTH_NERDCTL')));
// A/B of the cold start: BENCH_CORE_NO_EARLY=1 without it; BENCH_CORE_EARLY_AFTER_LOAD=1 asked once the modules are loaded.
const early = process.env.BENCH_CORE_NO_EARLY === '1' ? 'off' : process.env.BENCH_CORE_EARLY_AFTER_LOAD === '1' ? 'loaded' : 'start';
const earlyAtStart = early === 'start' ? startEarlyList(earlyEnv) : null;

/** BENCH_CORE_GC_LOG=<file>: one line per garbage collection of the core (time since start, kind, ms, heap after), for where idle CPU goes. */
function logGcTo(file: string): void {
  const kinds: Record<number, string> = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
      fs.appendFileSync(file, `${new Date().toISOString().slice(11, 23)} ${(e.startTime / 1000).toFixed(2)} s ${kinds[kind] ?? kind} ${e.duration.toFixed(1)} ms heap ${heapMb.toFixed(1)} MiB\n`);
    }
  }).observe({ entryTypes: ['gc'] });
}

async function main() {
  if (process.env.BENCH_CORE_GC_LOG) logGcTo(process.env.BENCH_CORE_GC_LOG);
  const dataDir = process.env.BERTH_DATA_DIR;
  const staticDir = process.env.BERTH_STATIC_DIR;
  if (!dataDir || !staticDir) throw new Error('BERTH_DATA_DIR and BERTH_STATIC_DIR are required');
  // As `npm run web` (app/server/web.ts): the server listens and the URL is printed once the core is ready. A/B (issue 11,
  // cold start): BENCH_CORE_LISTEN_FIRST=1 listens and prints it before the core's modules load, the page's WebSocket
  // waiting for the core. Measured on 2 CPUs: Docker even, nerdctl slower under load (the page's load competes with the
  // core and the engine).
  const listen = async (): Promise<ListeningWebServer> => {
    const { listenWeb } = await import('../../app/server/ws-server');
    const w = await listenWeb({ staticDir });
    process.stdout.write(`${JSON.stringify({ url: w.url, origin: w.origin, token: w.token, timing: { listeningMs: performance.now() } })}\n`);
    return w;
  };
  // As `npm run web`: with containerd's early list, the server listens now and answers the page's first list before the
  // core's modules load (app/server/early-start.ts). BENCH_CORE_NO_EARLY_ANSWER=1: not (A/B).
  const first =
    earlyAtStart?.kind === 'nerdctl' && process.env.BENCH_CORE_NO_EARLY_ANSWER !== '1'
      ? await (await import('../../app/server/early-start')).startBeforeCore({ earlyList: earlyAtStart, env: earlyEnv, dataDir, staticDir })
      : null;
  if (first) {
    process.stdout.write(`${JSON.stringify({ url: first.web.url, origin: first.web.origin, token: first.web.token, timing: { listeningMs: performance.now() } })}\n`);
    await first.loadCore;
  }
  let web: ListeningWebServer | null = first?.web ?? (process.env.BENCH_CORE_LISTEN_FIRST === '1' ? await listen() : null);
  try {
    const { createCore } = await import('../../app/composition');
    const earlyList = early === 'loaded' ? startEarlyList(earlyEnv) : earlyAtStart;
    /** Milliseconds since the process started when the core's modules were loaded: node's start and every module loaded. */
    const loadedMs = performance.now();
    /** CPU time (user + system, ms) the process had used by then: the same, less the machine's other load. */
    const loadedCpu = process.cpuUsage();
    const loadedCpuMs = (loadedCpu.user + loadedCpu.system) / 1000;
    // The engine: DOCKER_HOST, or a local nerdctl (BERTH_NERDCTL…, see app/adapters/engine/nerdctl/local-config.ts).
    // As `npm run web` (app/server/web.ts): the page opened is the Containers page.
    const core = await createCore({ dataDir, mode: 'web', version: 'bench', env: earlyEnv, opensWindow: true, earlyList });
    web ??= await listen();
    if (first) first.attach(core);
    else web.attach(core.rpc, core.log);
    /** coreReadyMs: since the process started, when the core serves the WebSocket (the page's socket waited until then). */
    const coreReadyMs = performance.now();
    const timing = { loadedMs, loadedCpuMs, createCoreMs: coreReadyMs - loadedMs, coreReadyMs };
    process.stdout.write(`${JSON.stringify({ timing })}\n`);
    const server = web;
    const stop = async () => {
      await server.close();
      await core.dispose();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop());
    process.on('SIGINT', () => void stop());
  } catch (err) {
    // The page's socket (waiting for the core) is refused with 503.
    web?.fail(err);
    throw err;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`The bench core could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
