import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');

/** The young generation's size (MB) after a burst of short-lived allocation with a working set, in a fresh node process. */
function newSpaceAfterBurst(small: boolean): number {
  const code = `
    ${small ? `import { keepYoungGenerationSmall } from ${JSON.stringify(path.join(ROOT, 'app/server/core-heap.ts'))}; keepYoungGenerationSmall();` : ''}
    import v8 from 'node:v8';
    const keep = [];
    for (let r = 0; r < 150; r++) { const a = []; for (let i = 0; i < 20000; i++) a.push({ i, s: 'x' + i }); keep.push(a.slice(0, 1000)); }
    const ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(ns.space_size / 2 ** 20);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout.trim());
}

it('keeps the young generation of the process at its start size through a burst (V8 grows it otherwise)', () => {
  const grown = newSpaceAfterBurst(false);
  const kept = newSpaceAfterBurst(true);
  expect(grown).toBeGreaterThan(8);
  expect(kept).toBeLessThanOrEqual(4);
}, 60_000);
