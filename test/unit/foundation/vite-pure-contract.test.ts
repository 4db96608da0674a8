import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { pureContract } from '../../../scripts/vite-pure-contract';

/**
 * The renderer's build marks the calls in the contract's top-level constants as pure (scripts/vite-pure-contract.ts):
 * a schema the page does not use is left out of its bundle, one it uses is built as before, and nothing else changes.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pure-contract-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

write(
  'app/contract/things.ts',
  `import { z } from 'zod';
export const LABEL = 'io.example.label';
export const Unused = z.object({ marker: z.string().describe('UNUSED_SCHEMA_MARKER') }).strict();
export const Used = z.object({ kept: z.string().describe('USED_SCHEMA_MARKER') });
const shared = { engineId: z.string().describe('SHARED_SHAPE_MARKER') };
export const UnusedSpread = z.object({ ...shared, id: z.string().describe('UNUSED_SPREAD_MARKER') });
export const registry: string[] = [];
export function note(x: string): void {
  registry.push('FUNCTION_BODY_MARKER' + x);
}
console.log('TOP_LEVEL_STATEMENT_MARKER');
`,
);
// A module the entry imports for a re-exported constant only: none of its schemas (nor their spreads) is kept.
write(
  'app/contract/area.ts',
  `import { z } from 'zod';
import { AREA_LIMIT } from './area-limits';
export { AREA_LIMIT };
const base = { engineId: z.string().describe('AREA_BASE_MARKER') };
const Id = { ...base, id: z.string() };
export const AreaSchema = z.object({ ...Id, n: z.number().max(AREA_LIMIT) });
`,
);
write('app/contract/area-limits.ts', `export const AREA_LIMIT = 12345;\n`);
write('other/helpers.ts', `declare const mark: (s: string) => string;\nexport const made = mark('NOT_CONTRACT_MARKER');\n`);
write(
  'entry.ts',
  `import { LABEL, Used, note } from './app/contract/things';
import { AREA_LIMIT } from './app/contract/area';
import './other/helpers';
export const out = [LABEL, Used.parse({ kept: 'x' }), note, AREA_LIMIT];
`,
);

async function bundle(plugins: ReturnType<typeof pureContract>[]): Promise<string> {
  const res = await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    plugins,
    build: { write: false, minify: false, lib: { entry: path.join(dir, 'entry.ts'), formats: ['es'], fileName: 'out' }, rolldownOptions: { external: ['zod'] } },
  });
  const outputs = (Array.isArray(res) ? res : [res]) as Array<{ output: Array<{ type: string; code?: string }> }>;
  return outputs.flatMap((o) => o.output).map((c) => c.code ?? '').join('\n');
}

describe('pureContract (renderer build)', () => {
  it('leaves out the schemas nobody uses, keeps the used ones, function bodies and top-level statements', async () => {
    const code = await bundle([pureContract()]);
    expect(code).not.toContain('UNUSED_SCHEMA_MARKER');
    expect(code).toContain('USED_SCHEMA_MARKER');
    expect(code).toContain('io.example.label');
    expect(code).toContain('FUNCTION_BODY_MARKER');
    expect(code).toContain('TOP_LEVEL_STATEMENT_MARKER');
    // A schema built from a spread shape is left out too (the bundler keeps a spread for a possible getter).
    expect(code).not.toContain('UNUSED_SPREAD_MARKER');
    expect(code).not.toContain('SHARED_SHAPE_MARKER');
    // A module imported for a re-exported constant brings none of its schemas.
    expect(code).toContain('12345');
    expect(code).not.toContain('AREA_BASE_MARKER');
    // Files outside app/contract are not touched: an unused call there stays.
    expect(code).toContain('NOT_CONTRACT_MARKER');
  }, 60_000);

  it('without it, every schema of the module is built (what it saves)', async () => {
    const code = await bundle([]);
    expect(code).toContain('UNUSED_SCHEMA_MARKER');
    expect(code).toContain('UNUSED_SPREAD_MARKER');
    expect(code).toContain('AREA_BASE_MARKER');
  }, 60_000);

  it('a kept schema is built in its place, from its shapes, as before', async () => {
    const code = await bundle([pureContract()]);
    (globalThis as { mark?: (s: string) => string }).mark = (s) => s; // other/helpers.ts's declared global
    const mod = (await import(`data:text/javascript,${encodeURIComponent(code.replace(/from ["']zod["']/g, `from ${JSON.stringify(import.meta.resolve('zod'))}`))}`)) as { out: unknown[] };
    expect(mod.out[0]).toBe('io.example.label');
    expect(mod.out[1]).toEqual({ kept: 'x' });
    expect(mod.out[3]).toBe(12345);
  }, 60_000);
});
