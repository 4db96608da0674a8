import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The renderer's build puts what the app needs to start into one chunk (scripts/vite-start-chunk.ts): the page
 * loads a handful of scripts instead of 14, zod and the schemas only lazy parts use stay out of them, the early
 * script does not wait for the app's chunk, and the lazy pages keep chunks of their own. The real renderer is built.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'start-chunk-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const assets = path.join(out, 'assets');
/** The chunks a file imports statically (`from"./x.js"`, `import"./x.js"`), by file name. */
const importsOf = (file: string) => [...fs.readFileSync(path.join(assets, file), 'utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)].map((m) => m[1] as string);
function closure(file: string): Set<string> {
  const seen = new Set<string>();
  const todo = [file];
  while (todo.length > 0) {
    const f = todo.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...importsOf(f));
  }
  return seen;
}

let html = '';
beforeAll(async () => {
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
  html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
}, 120_000);

describe('the start chunk', () => {
  it('the page loads a handful of scripts: its entry, the start chunk and what they import, no more', () => {
    const scripts = [...html.matchAll(/<script type="module"[^>]* src="\.\/assets\/([^"]+)"/g)].map((m) => m[1] as string);
    const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]* href="\.\/assets\/([^"]+)"/g)].map((m) => m[1] as string);
    const atStart = new Set([...scripts, ...preloads]);
    const entry = scripts.find((s) => s.startsWith('index-')) as string;
    expect(entry).toBeDefined();
    // Everything the entry and the early script import statically is preloaded (no waterfall), and nothing else.
    const needed = new Set([...closure(entry), ...scripts.flatMap((s) => [...closure(s)])]);
    expect([...atStart].sort()).toEqual([...needed].sort());
    expect(atStart.size).toBeLessThanOrEqual(7);
    expect([...atStart].some((f) => f.startsWith('start-'))).toBe(true);
  });

  it('holds no zod: the schemas load with the lazy parts that use them', () => {
    const preloaded = [...html.matchAll(/\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1] as string);
    for (const file of preloaded) {
      // The bundler's runtime (a few hundred bytes) has no map.
      if (!fs.existsSync(path.join(assets, `${file}.map`))) {
        expect(fs.statSync(path.join(assets, file)).size, file).toBeLessThan(2000);
        continue;
      }
      const map = JSON.parse(fs.readFileSync(path.join(assets, `${file}.map`), 'utf8')) as { sources: string[] };
      expect(map.sources.filter((s) => /node_modules[\\/]zod[\\/]/.test(s)), file).toEqual([]);
    }
  });

  it('the early script does not import the app: it runs as soon as its few kB are there', () => {
    const early = /src="\.\/assets\/(early-[^"]+\.js)"/.exec(html)?.[1] as string;
    expect(early).toBeDefined();
    expect([...closure(early)].filter((f) => f.startsWith('start-') || f.startsWith('index-'))).toEqual([]);
  });

  it('the lazy pages keep chunks of their own', () => {
    const files = fs.readdirSync(assets);
    for (const page of ['ImagesPage', 'ContainerDetail', 'TerminalPane', 'PreferencesPage']) expect(files.some((f) => f.startsWith(`${page}-`) && f.endsWith('.js')), page).toBe(true);
    expect(html).not.toMatch(/ImagesPage-|ContainerDetail-|TerminalPane-/);
  });
});
