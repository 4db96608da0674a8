import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT } from '../e2e/support/build';

/**
 * The core in a process of its own, so that its CPU time and RSS are its own (not the bench's),
 * and so that a cold start is a real one. Bundled like the production main process (our code
 * bundled with code splitting, so what the core imports on demand loads on demand; dependencies
 * from node_modules), into a folder under dist/ so node_modules resolve.
 */
export interface CoreProcess {
  pid: number;
  url: string;
  origin: string;
  token: string;
  /**
   * Date.now() when the process was spawned, and when it printed its URL: once the core is ready, or before its modules
   * load with BENCH_CORE_LISTEN_FIRST=1 (the page's WebSocket then waits for the core: `ready`).
   */
  spawnedAt: number;
  readyAt: number;
  /** From the core itself: the core's phases, printed once it serves the WebSocket (its second line). */
  ready: Promise<CoreTiming>;
  stop(): Promise<void>;
}

/** Milliseconds since the core process started (`…Ms` of performance.now()), or durations. */
export interface CoreTiming {
  /** The server listened and the URL was printed. */
  listeningMs: number;
  /** Its modules were loaded, and the CPU time used by then. */
  loadedMs: number;
  loadedCpuMs: number;
  /** createCore's duration, and when the core served the WebSocket. */
  createCoreMs: number;
  coreReadyMs: number;
  /** Date.now() when the bench read the core's ready line (as readyAt for its URL). */
  readyAt: number;
}

export async function bundleCore(): Promise<{ file: string; remove(): void }> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  // As scripts/build-electron.mjs: dependencies stay packages, except zod, bundled (it loads at start; issue 11).
  const deps = Object.keys(pkg.dependencies ?? {}).filter((d) => d !== 'zod');
  const dir = fs.mkdtempSync(path.join(ROOT, 'dist', 'bench-core-'));
  const file = path.join(dir, 'core-main.js');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['test/bench/core-main.ts'],
    outdir: dir,
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['electron', ...deps, ...deps.map((d) => `${d}/*`)],
    logLevel: 'warning',
  });
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The bench's environment for its core process, less NODE_EXTRA_CA_CERTS (BENCH_CORE_KEEP_CA_CERTS=1: kept). Node 20 reads
 * and parses that file while it starts, before any code runs (this machine sets it to the system bundle, 220 kB: 50-60 ms
 * of CPU in every cold start, most of node's bare start here); Node 22, which Berth declares and Electron 45's main process
 * runs, loads it only at the first TLS connection. The bench's core makes none.
 */
export function coreProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.BENCH_CORE_KEEP_CA_CERTS === '1' || env.NODE_EXTRA_CA_CERTS === undefined) return env;
  const { NODE_EXTRA_CA_CERTS: _dropped, ...rest } = env;
  return rest;
}

/** `engineEnv`: what points the core at its engine (BenchEngine.coreEnv: DOCKER_HOST, or the BERTH_NERDCTL variables). */
export function spawnCore(bundle: string, env: { engineEnv: Record<string, string>; dataDir: string; staticDir: string }): Promise<CoreProcess> {
  const spawnedAt = Date.now();
  // BENCH_CORE_CPU_PROF=<folder>: each core process writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
  const prof = process.env.BENCH_CORE_CPU_PROF;
  const child: ChildProcess = spawn(process.execPath, [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`] : []), bundle], {
    cwd: ROOT,
    env: { ...coreProcessEnv(process.env), ...env.engineEnv, BERTH_DATA_DIR: env.dataDir, BERTH_STATIC_DIR: env.staticDir, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  /** The core's lines on stdout, in order: its URL, then its timing once ready. */
  const lines: Array<(line: string) => void> = [];
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
    for (let nl = out.indexOf('\n'); nl >= 0 && lines.length > 0; nl = out.indexOf('\n')) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      lines.shift()?.(line);
    }
    if (lines.length === 0) out = '';
  });
  const exitedEarly = (what: string) => new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`The bench core exited with ${code} before ${what}: ${stderr}`))));
  const line = (what: string) => Promise.race([new Promise<string>((resolve) => lines.push(resolve)), exitedEarly(what)]);
  const urlLine = line('it listened');
  const readyLine = line('it was ready');
  // Not awaited by every caller (they may stop the core before it is ready).
  readyLine.catch(() => undefined);
  return urlLine.then((text) => {
    const info = JSON.parse(text) as { url: string; origin: string; token: string; timing: { listeningMs: number } };
    const ready = readyLine.then((t) => ({ ...(JSON.parse(t) as { timing: Omit<CoreTiming, 'listeningMs' | 'readyAt'> }).timing, listeningMs: info.timing.listeningMs, readyAt: Date.now() }));
    ready.catch(() => undefined);
    return {
      pid: child.pid as number,
      url: info.url,
      origin: info.origin,
      token: info.token,
      spawnedAt,
      readyAt: Date.now(),
      ready,
      async stop() {
        if (child.exitCode === null) child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      },
    };
  });
}
