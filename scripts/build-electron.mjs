// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS) with esbuild.
// Usage: node scripts/build-electron.mjs [--dev] [--out DIR]
//   --dev: inline source maps;  --out: write DIR/main/index.js and DIR/preload/index.cjs
//   instead of dist/electron/ (the tests bundle into a temporary folder).
import { readFileSync } from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
const dev = args.includes('--dev');
const outIndex = args.indexOf('--out');
const outDir = outIndex >= 0 && args[outIndex + 1] ? path.resolve(args[outIndex + 1]) : path.join(root, 'dist', 'electron');

// Every runtime dependency stays a real package in node_modules (electron-builder ships
// them; native ones are unpacked from the asar); only our own code is bundled, and zod: the
// core loads it at start, and as a package it is ~100 ES modules to resolve, read and link
// (issue 11, cold start: ~50 ms of CPU more than one bundled chunk). Pure JavaScript, one copy
// in the bundle's chunks (no other package shares its schemas). test/bench/core-process.ts
// bundles the bench's core the same way.
const BUNDLED = new Set(['zod']);
const deps = Object.keys(pkg.dependencies ?? {}).filter((d) => !BUNDLED.has(d));
const external = ['electron', ...deps, ...deps.map((d) => `${d}/*`)];

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: dev ? 'inline' : true,
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main/index.ts'],
    // Code splitting: what the core imports on demand (the Kubernetes client) is a chunk loaded
    // when first needed, not at start (issue 11); the entry stays main/index.js.
    outdir: path.join(outDir, 'main'),
    splitting: true,
    platform: 'node',
    format: 'esm',
    // Electron 45 runs Node 22.
    target: 'node22',
    external,
  }),
  build({
    ...common,
    entryPoints: ['electron/preload/index.ts'],
    outfile: path.join(outDir, 'preload', 'index.cjs'),
    // A sandboxed preload is a browser script with a `require` that only knows 'electron'.
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
  }),
]);
