import { checkFast } from './checked';
import { BuildItem } from './images';
import { isInt, isNum, isPlain, isStr, isStrArray } from './plain-shape';

const hasKeys = (v: object, n: number) => Object.keys(v).length === n;
const STATES = new Set<unknown>(['waiting', 'running', 'done', 'cached', 'failed']);

/** One step of BuildGraph (BuildGraphStep's 16 fields, nothing else). */
function isPlainStep(s: unknown): boolean {
  return (
    isPlain(s) &&
    hasKeys(s, 16) &&
    isStr(s.id) &&
    isStr(s.name) &&
    (s.stage === null || isStr(s.stage)) &&
    (s.index === null || isInt(s.index)) &&
    (s.total === null || isInt(s.total)) &&
    isStr(s.instruction) &&
    typeof s.internal === 'boolean' &&
    isStrArray(s.inputs) &&
    STATES.has(s.state) &&
    (s.started === null || isNum(s.started)) &&
    (s.completed === null || isNum(s.completed)) &&
    (s.durationMs === null || isNum(s.durationMs)) &&
    (s.error === null || isStr(s.error)) &&
    isStrArray(s.logs) &&
    isInt(s.logsDropped) &&
    (s.status === null || isStr(s.status))
  );
}

const isPlainStage = (s: unknown) => isPlain(s) && hasKeys(s, 3) && isStr(s.name) && isStrArray(s.stepIds) && STATES.has(s.state);

const isPlainFailure = (f: unknown) =>
  f === null ||
  (isPlain(f) && hasKeys(f, 5) && (f.stepId === null || isStr(f.stepId)) && isStr(f.message) && (f.line === null || isInt(f.line)) && (f.file === null || isStr(f.file)) && isStrArray(f.excerpt));

/** A BuildGraph exactly as the schema parses it (its 9 fields, each step's and stage's own). */
function isPlainGraph(g: unknown): boolean {
  if (!isPlain(g) || !hasKeys(g, 9) || !Array.isArray(g.steps) || !Array.isArray(g.stages)) return false;
  for (let i = 0; i < g.steps.length; i++) if (!isPlainStep(g.steps[i])) return false;
  for (let i = 0; i < g.stages.length; i++) if (!isPlainStage(g.stages[i])) return false;
  return (
    (g.totalMs === null || isNum(g.totalMs)) &&
    isInt(g.stepCount) &&
    isInt(g.cachedCount) &&
    isNum(g.cachedShare) &&
    isPlainFailure(g.failure) &&
    isStrArray(g.warnings) &&
    isStrArray(g.otherLines)
  );
}

/**
 * True when `v` is a build's `log`, `step` or `graph` item exactly as `BuildItem` would parse it (no key it lacks, none
 * it would strip): the items a build streams by the dozen, and its graph snapshots (a parse of one is a walk over every
 * step, and the last one is sent while the build's caller waits for its end). Any other item, or anything unusual,
 * answers false and goes through the schema's own parse.
 */
export function isPlainBuildItem(v: unknown): boolean {
  if (!isPlain(v)) return false;
  const i = v;
  if (i.kind === 'log') return typeof i.text === 'string' && hasKeys(i, 2);
  if (i.kind === 'step') return Number.isSafeInteger(i.index) && Number.isSafeInteger(i.total) && typeof i.instruction === 'string' && hasKeys(i, 4);
  if (i.kind === 'graph') return hasKeys(i, 2) && isPlainGraph(i.graph);
  return false;
}

/** A build item for `images.build`'s stream: its plain log, step and graph items are checked by hand (see `isPlainBuildItem`), the rest by the RPC server. */
export const checkBuildItem = <T>(item: T): T => checkFast(BuildItem, item, isPlainBuildItem);
