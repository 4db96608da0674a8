import { table } from './support';

/**
 * The goals of issue 11, each beside the figure of this run and its raw reference when there is
 * one. Sections record what they measured; the run prints one table at the end, marking misses.
 */
export interface GoalFigure {
  /** What is measured, as a user reads it. */
  what: string;
  value: number;
  /** How the value prints: "0.31 %", "212 ms", "118 MB" (10^6 bytes), "1.04×", "0". */
  unit: '%' | 'ms' | 'MB' | '×' | 'count';
  /** The goal: at most (≤) or at least (≥) `limit`. */
  goal: { op: '≤' | '≥'; limit: number };
  /** The raw reference of the same run, printed as is ("raw engine 1.2 %"). */
  reference?: string;
  /** The engine it was measured on ('Docker', 'nerdctl'); when absent, nerdctl for figures named "nerdctl: …", else the table's default. */
  engine?: string;
}

const figures: GoalFigure[] = [];

export function recordGoal(f: GoalFigure): void {
  figures.push(f);
}

export const recordedGoals = (): readonly GoalFigure[] => figures;

const fmt = (v: number, unit: GoalFigure['unit']) => {
  if (!Number.isFinite(v)) return 'n/a';
  switch (unit) {
    case '%':
      return `${v.toFixed(2)} %`;
    case 'ms':
      return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ms`;
    case 'MB':
      return `${v.toFixed(0)} MB`;
    case '×':
      return `${v.toFixed(2)}×`;
    case 'count':
      return String(v);
  }
};

export const meets = (f: GoalFigure): boolean => Number.isFinite(f.value) && (f.goal.op === '≤' ? f.value <= f.goal.limit : f.value >= f.goal.limit);

/** The one table: figure, goal, met or MISSED, reference. Empty when no section recorded a goal. */
export function goalTable(machine: string, defaultEngine = 'Docker'): string[] {
  if (figures.length === 0) return [];
  const missed = figures.filter((f) => !meets(f)).length;
  return [
    table(
      `Goals (issue 11) on ${machine}: ${figures.length - missed} of ${figures.length} met`,
      ['', 'engine', 'this run', 'goal', '', 'reference (same run)'],
      figures.map((f) => [f.what, f.engine ?? (f.what.startsWith('nerdctl:') ? 'nerdctl' : defaultEngine), fmt(f.value, f.unit), `${f.goal.op} ${fmt(f.goal.limit, f.unit)}`, meets(f) ? 'ok' : 'MISSED', f.reference ?? '']),
    ),
  ];
}
