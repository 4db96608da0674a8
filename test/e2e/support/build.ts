import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIST = path.join(ROOT, 'dist', 'renderer');
const INDEX = path.join(RENDERER_DIST, 'index.html');
const LOCK = path.join(ROOT, 'dist', '.renderer-build.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Built and newer than every source it comes from (renderer/ and the contract it imports). */
function isFresh(): boolean {
  if (!fs.existsSync(INDEX)) return false;
  const built = fs.statSync(INDEX).mtimeMs;
  const sources = Math.max(newestMtime(path.join(ROOT, 'renderer')), newestMtime(path.join(ROOT, 'app', 'contract')), fs.statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs);
  return built >= sources;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Another test file is building now (a lock younger than 3 minutes; an older one is stale). */
function buildingElsewhere(): boolean {
  const lock = fs.statSync(LOCK, { throwIfNoEntry: false });
  return !!lock && Date.now() - lock.mtimeMs < 180_000;
}

/**
 * Builds the renderer into dist/renderer when it is missing or older than its sources.
 * Test files run in parallel: a lock folder makes one build while the others wait for the lock to go,
 * not only for index.html: Vite writes a build's files side by side, and index.html may be there
 * before its stylesheet is (a page opened then would have no styles).
 */
export function ensureRendererBuilt(): string {
  const deadline = Date.now() + 180_000;
  while (buildingElsewhere() || !isFresh()) {
    fs.mkdirSync(path.dirname(LOCK), { recursive: true });
    let locked = false;
    try {
      fs.mkdirSync(LOCK);
      locked = true;
    } catch {
      // Someone else is building; a lock older than 3 minutes is stale.
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) fs.rmSync(LOCK, { recursive: true, force: true });
    }
    if (locked) {
      try {
        if (!isFresh()) {
          execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
            cwd: ROOT,
            stdio: 'inherit',
            // The tests drive what ships: vitest sets NODE_ENV=test, which would build React's development version.
            env: { ...process.env, NODE_ENV: 'production' },
          });
          // The build may take less than the mtime resolution of a source edited just before.
          const now = new Date();
          fs.utimesSync(INDEX, now, now);
        }
      } finally {
        fs.rmSync(LOCK, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error('Timed out waiting for another test to build the renderer');
    sleepSync(250);
  }
  return RENDERER_DIST;
}
