import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cold-schemas-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** A preload counting the zod schemas and checks built (each defines its `_zod` once) until each of the process's first two writes to stdout. */
const COUNTER = `let n = 0;
const define = Object.defineProperty;
Object.defineProperty = function (o, k, d) { if (k === '_zod') n++; return define(o, k, d); };
const write = process.stdout.write.bind(process.stdout);
let told = 0;
process.stdout.write = (...a) => { if (told < 2) { told++; process.stderr.write('zod-built ' + n + '\\n'); } return write(...a); };
`;

/*
 * Issue 11 (cold start): the contract's schemas are built on first use (app/contract/deferred.ts). Before it is ready
 * (its second line), the browser-mode core (bundled as the bench bundles it) builds the few it needs (the settings it
 * reads at start, the wire's messages, the common shapes), not the ~2,900 schema objects of the whole API (about 50 ms
 * of CPU and the garbage they leave). Its web server, listening first (BENCH_CORE_LISTEN_FIRST=1: its first line, the
 * URL, before the core's modules load), builds none.
 */
it('the core builds only the schemas it needs before it is ready, not the whole API, and none before it listens', async () => {
  const { bundleCore } = await import('../../bench/core-process');
  const bundle = await bundleCore();
  try {
    const preload = path.join(out, 'count-zod.mjs');
    fs.writeFileSync(preload, COUNTER);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(preload).href, bundle.file], {
      cwd: ROOT,
      // No engine: the core starts and listens all the same (its early list fails, as with Docker stopped).
      env: { PATH: process.env.PATH, BENCH_CORE_LISTEN_FIRST: '1', DOCKER_HOST: 'unix:///nonexistent/berth-cold-schemas.sock', BERTH_DATA_DIR: fs.mkdtempSync(path.join(out, 'data-')), BERTH_STATIC_DIR: out },
      encoding: 'utf8',
      timeout: 30_000,
      killSignal: 'SIGKILL',
    });
    expect(r.stdout, r.stderr).toContain('"url"');
    expect(r.stdout, r.stderr).toContain('"coreReadyMs"');
    const [listening, built] = [...r.stderr.matchAll(/zod-built (\d+)/g)].map((m) => Number(m[1]));
    expect(listening, r.stderr).toBe(0);
    // Some (the settings are built at start: the count works), far fewer than the whole contract (2,905 before).
    expect(built, r.stderr).toBeGreaterThan(100);
    expect(built, r.stderr).toBeLessThan(800);
  } finally {
    bundle.remove();
  }
}, 60_000);
