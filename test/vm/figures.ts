import fs from 'node:fs';
import path from 'node:path';

/** A figure of the VM suite (boot time, Berth's overhead…), printed as it is measured and kept for the summary. */
export interface VmFigure {
  name: string;
  value: number;
  unit: string;
  /** The goal (the figure must be at most this), when there is one. */
  goal?: number;
}

const FILE = path.join('test-results', 'vm-figures.json');

export function recordVmFigure(name: string, value: number, unit: string, goal?: number): void {
  const f: VmFigure = { name, value: Math.round(value), unit, ...(goal !== undefined ? { goal } : {}) };
  const mark = goal === undefined ? '' : value <= goal ? `  (goal ≤ ${goal} ${unit}: met)` : `  (goal ≤ ${goal} ${unit}: MISSED)`;
  process.stdout.write(`[vm figure] ${name}: ${f.value} ${unit}${mark}\n`);
  fs.mkdirSync(path.dirname(FILE), { recursive: true });
  const all: VmFigure[] = fs.existsSync(FILE) ? (JSON.parse(fs.readFileSync(FILE, 'utf8')) as VmFigure[]) : [];
  fs.writeFileSync(FILE, JSON.stringify([...all.filter((x) => x.name !== name), f], null, 2));
}
