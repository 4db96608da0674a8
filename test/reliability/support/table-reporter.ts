import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Reporter } from 'vitest/node';

interface Row {
  figure: string;
  value: number | string;
  mode: 'set' | 'add' | 'max';
}

/** The order of the table; other figures follow in the order they were recorded. */
const ORDER = [
  'inputs tried',
  'rejected with a typed error',
  'crashes',
  'auth attempts accepted',
  'engine restarts recovered',
  'settings corruptions survived',
];

/**
 * Prints the reliability suite's figures as one table at the end of a run. Test files record
 * them (test/reliability/support/figures.ts) into a file named here, before any worker starts.
 */
export default class ReliabilityTableReporter implements Reporter {
  private readonly file = path.join(os.tmpdir(), `berth-reliability-figures-${process.pid}-${Date.now()}.jsonl`);

  onInit(): void {
    process.env.BERTH_RELIABILITY_FIGURES = this.file;
  }

  onTestRunEnd(): void {
    if (!fs.existsSync(this.file)) return;
    const rows = fs
      .readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Row);
    fs.rmSync(this.file, { force: true });
    const figures = new Map<string, number | string>();
    for (const r of rows) {
      const prev = figures.get(r.figure);
      if (r.mode === 'add' && typeof r.value === 'number') figures.set(r.figure, (typeof prev === 'number' ? prev : 0) + r.value);
      else if (r.mode === 'max' && typeof r.value === 'number') figures.set(r.figure, Math.max(typeof prev === 'number' ? prev : 0, r.value));
      else figures.set(r.figure, r.value);
    }
    const keys = [...ORDER.filter((k) => figures.has(k)), ...[...figures.keys()].filter((k) => !ORDER.includes(k))];
    const w = Math.max(...keys.map((k) => k.length));
    const lines = keys.map((k) => `  ${k.padEnd(w)}  ${String(figures.get(k))}`);
    const rule = `  ${'-'.repeat(w + 14)}`;
    process.stdout.write(`\nReliability figures\n${rule}\n${lines.join('\n')}\n${rule}\n`);
  }
}
