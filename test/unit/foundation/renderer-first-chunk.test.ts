import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, expect, it } from 'vitest';

/**
 * The page's first scripts (what index.html loads and preloads, and what those import) carry no zod and no
 * schema: the first rows need none (errors are read through the plain list of codes, constants come from
 * zod-free contract modules), and zod's ~90 kB is parsed and run only when a form or dialog that checks
 * input loads. A real build of the renderer with the repo's vite.config.ts.
 */
const ROOT = path.resolve(__dirname, '../../..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'renderer-first-chunk-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** Every script loaded before the app runs: index.html's scripts and module preloads, and their static imports. */
function firstScripts(): string[] {
  const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[^;'"`()]*?from\s*)?["']([^"']+)["']/g)) {
      if ((m[1] as string).startsWith('.')) walk(path.resolve(path.dirname(file), m[1] as string));
    }
  };
  for (const m of html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)) walk(path.join(out, m[1] as string));
  return [...seen];
}

/** The source files (repo-relative) a built script was made from, by its source map. */
function sourcesOf(file: string): string[] {
  const mapFile = `${file}.map`;
  if (!fs.existsSync(mapFile)) return [];
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as { sources: string[] };
  return map.sources.map((s) => path.relative(ROOT, path.resolve(path.dirname(file), s)));
}

it('the first scripts of the page hold no zod and no schema module', async () => {
  await build({ root: path.join(ROOT, 'renderer'), configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
  const scripts = firstScripts();
  const sources = scripts.flatMap(sourcesOf);
  // The check has something to look at: the app's entry and the containers list are among them.
  expect(sources).toContain('renderer/main.tsx');
  expect(sources).toContain('renderer/features/containers/ContainersPage.tsx');
  expect(sources.filter((s) => s.includes('node_modules/zod/'))).toEqual([]);
  // Contract modules in them are the zod-free ones (values, the client, errors' class, the wire protocol).
  const contract = sources.filter((s) => s.startsWith('app/contract/'));
  for (const m of ['settings.ts', 'stats.ts', 'files.ts', 'common.ts', 'containers.ts']) expect(contract).not.toContain(`app/contract/${m}`);
  // Lazy chunks still have it: the Preferences page checks a settings patch with the contract's schema.
  const all = fs.readdirSync(path.join(out, 'assets')).filter((f) => f.endsWith('.js'));
  expect(all.some((f) => sourcesOf(path.join(out, 'assets', f)).some((s) => s.includes('node_modules/zod/')))).toBe(true);
}, 180_000);
