import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');

function tsconfigs(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tsconfigs(p, out);
    else if (/^tsconfig(\..+)?\.json$/.test(e.name) && e.name !== 'tsconfig.base.json') out.push(path.relative(ROOT, p));
  }
  return out;
}

describe('npm run typecheck', () => {
  it('checks every tsconfig (the renderer included) and npm test runs it with the Electron check', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const configs = tsconfigs(ROOT);
    expect(configs).toContain('renderer/tsconfig.json');
    for (const c of configs) expect(pkg.scripts.typecheck, c).toContain(`-p ${c}`);
    expect(pkg.scripts.test).toMatch(/npm run typecheck/);
    expect(pkg.scripts.test).toMatch(/npm run check:electron/);
  });
});
