import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No import circles in the app's code, and no store that imports a feature: both make the
 * load order fragile and the layers meaningless. Relative imports only (type imports count:
 * a circle of types is still a circle of modules to a reader).
 */
const ROOT = path.resolve(__dirname, '../../..');
const DIRS = ['app', 'renderer', 'electron'];
const EXT = ['.ts', '.tsx'];

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (EXT.some((x) => e.name.endsWith(x)) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, ...EXT.map((x) => base + x), ...EXT.map((x) => path.join(base, `index${x}`))]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return null;
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  const all = DIRS.flatMap((d) => files(path.join(ROOT, d)));
  for (const f of all) {
    const text = fs.readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)]
      .map((m) => resolve(f, m[1]!))
      .filter((p): p is string => p !== null);
    g.set(f, deps);
  }
  return g;
}

function cycles(g: Map<string, string[]>): string[][] {
  const out: string[][] = [];
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 1);
    stack.push(n);
    for (const m of g.get(n) ?? []) {
      if (state.get(m) === 1) out.push(stack.slice(stack.indexOf(m)).concat(m));
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of g.keys()) if (!state.has(n)) visit(n);
  return out;
}

const rel = (p: string) => path.relative(ROOT, p);

describe('module structure', () => {
  const g = graph();
  it('has no import circles in the docker-api adapter and the run form', () => {
    const found = cycles(g)
      .map((c) => c.map(rel))
      .filter((c) => c.some((p) => p.startsWith('app/adapters/engine/docker-api/') || p.startsWith('renderer/features/run/')));
    expect(found).toEqual([]);
  });

  it('no store imports a feature', () => {
    const bad = [...g.entries()]
      .filter(([f]) => rel(f).startsWith('renderer/stores/'))
      .flatMap(([f, deps]) => deps.filter((d) => rel(d).startsWith('renderer/features/')).map((d) => `${rel(f)} -> ${rel(d)}`));
    expect(bad).toEqual([]);
  });
});
