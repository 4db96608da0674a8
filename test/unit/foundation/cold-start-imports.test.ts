import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');

/** Static imports of an ESM file as esbuild prints them: `import … from "x";` (possibly over several lines) and `import "x";`. */
const staticImports = (code: string): string[] => [...code.matchAll(/^import\s+(?:[^;]*?\s+from\s+)?"([^"]+)";/gms)].map((m) => m[1] as string);

/** The entry's own dynamic imports of its chunks (`import("./x.js")`): the entries load the core so, right after sending the early list. */
const entryImports = (code: string): string[] => [...code.matchAll(/\bimport\("(\.[^"]+)"\)/g)].map((m) => m[1] as string);

/**
 * Every package the entry loads at start: its static imports and its own dynamic imports of the core (the entries send
 * the early container list first, app/server/early-list.ts), and the static imports of those chunks, transitively.
 */
function loadedAtStart(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(file, 'utf8');
    if (file === entry) for (const spec of entryImports(code)) walk(path.resolve(path.dirname(file), spec));
    for (const spec of staticImports(code)) {
      if (spec.startsWith('.')) walk(path.resolve(path.dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  };
  walk(entry);
  return packages;
}

/** The files an ESM file loads before its own first line runs: its static imports of chunks, transitively (not its dynamic ones). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const spec of staticImports(fs.readFileSync(file, 'utf8'))) if (spec.startsWith('.')) staticClosure(path.resolve(path.dirname(file), spec), seen);
  return seen;
}

const ZOD_CODE = '$constructor("ZodType"';

/** Whether a bundle's chunks hold zod's own code (its schema base type's constructor), bundled rather than imported. */
const holdsZod = (dir: string): boolean =>
  fs.readdirSync(dir).some((f) => f.endsWith('.js') && fs.readFileSync(path.join(dir, f), 'utf8').includes(ZOD_CODE));

/** Packages the core loads on their first use (app/adapters/lazy-modules.ts), never at start. */
const LOADED_ON_USE = ['tar-fs', 'tar-stream', 'yaml', '@lydell/node-pty', 'fflate', 'smol-toml', 'docker-names'];

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cold-start-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/*
 * Issue 11 (cold start): the Kubernetes client takes about a second to load, and most users have no
 * cluster. The shipped Electron main (built as `npm run build:electron` builds it) must not load it
 * at start: composition-pods imports it on demand, and the main process is bundled with code
 * splitting so that the on-demand import stays a chunk of its own.
 */
it('the Electron main process does not load the Kubernetes client, dockerode, gRPC (nor the WebSocket server) at start', () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-electron.mjs'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
  const atStart = loadedAtStart(path.join(out, 'main', 'index.js'));
  expect(atStart.has('electron')).toBe(true);
  expect(atStart.has('@kubernetes/client-node')).toBe(false);
  // dockerode is made on the client's first use (docker-api/dockerode-load.ts), and the BuildKit session
  // (gRPC) and trace decoding (protobufjs) on the first build.
  for (const pkg of ['dockerode', '@grpc/grpc-js', 'protobufjs', 'ssh2']) expect(atStart.has(pkg), pkg).toBe(false);
  expect(atStart.has('ws')).toBe(false);
  // zod is bundled, not loaded as its ~100 ES modules (scripts/build-electron.mjs).
  expect(atStart.has('zod')).toBe(false);
  expect(holdsZod(path.join(out, 'main'))).toBe(true);
  // Archives, YAML, pseudo-terminals, zip, TOML and names load on first use (app/adapters/lazy-modules.ts).
  for (const pkg of LOADED_ON_USE) expect(atStart.has(pkg), pkg).toBe(false);
  // The entry asks for the early list before zod and the contract load (electron/main/index.ts imports app-main.ts
  // after it): none of the chunks evaluated before the entry's first line holds zod's code.
  const entry = path.join(out, 'main', 'index.js');
  const beforeEntry = [...staticClosure(entry)];
  expect(beforeEntry.filter((f) => fs.readFileSync(f, 'utf8').includes(ZOD_CODE)).map((f) => path.basename(f))).toEqual([]);
  // The early lists (Docker's request, containerd's) are among what loads first; the rest comes through a dynamic import.
  for (const sent of ['/containers/json?all=1', 'Containers/ListStream']) expect(beforeEntry.some((f) => fs.readFileSync(f, 'utf8').includes(sent)), sent).toBe(true);
  expect(entryImports(fs.readFileSync(entry, 'utf8')).length).toBeGreaterThan(0);
  // It is still shipped, in a chunk loaded when a kubeconfig exists.
  const chunks = fs.readdirSync(path.join(out, 'main')).filter((f) => f.endsWith('.js'));
  expect(chunks.some((f) => staticImports(fs.readFileSync(path.join(out, 'main', f), 'utf8')).includes('@kubernetes/client-node'))).toBe(true);
  for (const pkg of ['@grpc/grpc-js', 'protobufjs']) expect(chunks.some((f) => staticImports(fs.readFileSync(path.join(out, 'main', f), 'utf8')).includes(pkg)), pkg).toBe(true);
}, 60_000);

/*
 * Browser mode (`npm run web`, and the bench's core): bundled as the bench bundles it (code splitting,
 * dependencies external but zod), the core loads neither the WebSocket library (loaded once the server
 * listens: app/server/ws-server.ts) nor archives, YAML, dockerode or the Kubernetes client before it
 * prints its URL.
 */
it('the browser-mode core does not load ws, archives, YAML, pseudo-terminals, dockerode or the Kubernetes client at start', async () => {
  // The bench's core (test/bench/core-main.ts: createCore + the web server, as `npm run web`), bundled as the bench bundles it.
  const { bundleCore } = await import('../../bench/core-process');
  const bundle = await bundleCore();
  try {
    const atStart = loadedAtStart(bundle.file);
    // zod is bundled, as in the Electron main process.
    expect(atStart.has('zod')).toBe(false);
    expect(holdsZod(path.dirname(bundle.file))).toBe(true);
    for (const p of ['ws', ...LOADED_ON_USE, 'dockerode', '@kubernetes/client-node']) expect(atStart.has(p), p).toBe(false);
    // ws (CommonJS) is required once the server listens, not imported: node's ES-module loader would pre-parse each of
    // its files for their exports on top of loading them (app/server/ws-server.ts).
    const chunks = fs.readdirSync(path.dirname(bundle.file)).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(path.dirname(bundle.file), f), 'utf8'));
    expect(chunks.some((code) => /\bimport\(\s*"ws"\s*\)/.test(code) || staticImports(code).includes('ws'))).toBe(false);
    expect(chunks.some((code) => /Require\d*\(\s*"ws"\s*\)/.test(code))).toBe(true);
    // nerdctl's first list reads containerd's API through node's http2 (containerd-grpc.ts), not gRPC's library and
    // protobufjs (~120 ms to load in a cold core): the chunks holding that client import neither, not even on use.
    const dir = path.dirname(bundle.file);
    const client = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).filter((code) => code.includes('"containerd-namespace"'));
    expect(client.length).toBeGreaterThan(0);
    for (const code of client) for (const pkg of ['@grpc/grpc-js', 'protobufjs']) expect(code.includes(`"${pkg}"`), pkg).toBe(false);
  } finally {
    bundle.remove();
  }
}, 60_000);

/*
 * What runs before the core's modules load (issue 11, cold start): the early container list and the rows made from it
 * (containerd-list.ts's listFromEarly, the same code as the core's first list) load no zod. A BerthError thrown on that
 * path comes from the zod-free app/contract/berth-error.ts (errors.ts re-exports it with its schemas).
 */
const EARLY_CHAIN = ['app/server/early-list.ts', 'app/server/early-answer.ts', 'app/server/early-start.ts', 'app/adapters/engine/nerdctl/containerd-list.ts', 'app/adapters/engine/nerdctl/early-containers.ts'];

it.each(EARLY_CHAIN)('%s bundles with no zod', async (entry) => {
  const { build } = await import('esbuild');
  const r = await build({ entryPoints: [path.join(ROOT, entry)], bundle: true, write: false, platform: 'node', format: 'esm', metafile: true, logLevel: 'silent' });
  const inputs = Object.keys(r.metafile.inputs);
  expect(inputs.filter((f) => f.includes('node_modules/zod/') || f.endsWith('app/contract/errors.ts'))).toEqual([]);
  expect(r.outputFiles.some((f) => f.text.includes(ZOD_CODE))).toBe(false);
  // It is that module's own code (the bundle is not empty).
  expect(inputs.some((f) => f.endsWith(entry))).toBe(true);
}, 30_000);

it('errors.ts gives the same BerthError as berth-error.ts', async () => {
  const [errors, bare] = await Promise.all([import('../../../app/contract/errors'), import('../../../app/contract/berth-error')]);
  expect(errors.BerthError).toBe(bare.BerthError);
  expect(errors.ERROR_CODES).toBe(bare.ERROR_CODES);
  expect(errors.isBerthError(new bare.BerthError('INTERNAL', 'x'))).toBe(true);
  expect(errors.ErrorShape.parse(new bare.BerthError('NOT_FOUND', 'gone', { hint: 'h' }).toShape())).toEqual({ code: 'NOT_FOUND', message: 'gone', hint: 'h' });
});
