import fs from 'node:fs';

/**
 * The suite's figures: each test file records what it measured, and the reporter
 * (test/reliability/support/table-reporter.ts) prints them as one table at the end of the run.
 * Vitest runs files in separate workers, so figures travel through a file the reporter names.
 */
export function record(figure: string, value: number | string, mode: 'set' | 'add' | 'max' = 'set') {
  const file = process.env.BERTH_RELIABILITY_FIGURES;
  if (!file) return; // run without the reporter: nothing collects the figures
  fs.appendFileSync(file, `${JSON.stringify({ figure, value, mode })}\n`);
}
