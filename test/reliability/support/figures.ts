import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The suite's figures: each test file records what it measured, and the reporter
 * (test/reliability/support/table-reporter.ts) prints them as one table at the end.
 * Vitest runs files in separate workers, so figures travel through a file per run.
 */
export const FIGURES_FILE = process.env.BERTH_RELIABILITY_FIGURES ?? path.join(os.tmpdir(), `berth-reliability-figures-${process.ppid}.jsonl`);

export function record(figure: string, value: number | string, mode: 'set' | 'add' | 'max' = 'set') {
  fs.appendFileSync(FIGURES_FILE, `${JSON.stringify({ figure, value, mode })}\n`);
}
