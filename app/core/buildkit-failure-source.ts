import { dockerfileInstructions, parseDockerfileStages } from './dockerfile-stages';

/** Lines shown around the failing instruction, as buildctl prints them. */
const CONTEXT_LINES = 2;

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Where a BuildKit step is in its Dockerfile: `[deps 1/2] RUN make` names the stage (`deps`, `stage-N` for an
 * unnamed one, '' for the only stage) and the instruction as written, continuations joined. Null when the text
 * cannot be found (a build argument expanded in the name, a file changed since). Pure.
 */
export function stepSource(dockerfile: string, step: { stage: string | null; instruction: string }): { line: number; endLine: number } | null {
  if (step.stage === null) return null;
  const stages = parseDockerfileStages(dockerfile);
  const want = step.stage.toLowerCase();
  const at = stages.findIndex((s, i) => (want === '' ? stages.length === 1 : s.name === want || `stage-${i}` === want));
  const stage = stages[at];
  if (!stage) return null;
  const end = stages[at + 1]?.line ?? Infinity;
  const target = norm(step.instruction);
  const inStage = dockerfileInstructions(dockerfile).filter((i) => i.line >= stage.line && i.line < end);
  const found = inStage.find((i) => norm(i.text) === target) ?? inStage.find((i) => target.startsWith(norm(i.text)) || norm(i.text).startsWith(target));
  return found ? { line: found.line, endLine: found.endLine } : null;
}

/**
 * The failure trailer buildctl prints (`Dockerfile:5`, the excerpt with `>>>` on the failing lines) for a step of a
 * build whose progress came without it (dockerd's own BuildKit): the step graph's failure then has the same line and
 * excerpt on both routes. Empty when the step's source is not found. Pure.
 */
export function failureSourceLines(dockerfile: string, fileName: string, step: { stage: string | null; instruction: string }): string[] {
  const src = stepSource(dockerfile, step);
  if (!src) return [];
  const lines = dockerfile.split(/\r?\n/);
  const from = Math.max(1, src.line - CONTEXT_LINES);
  const to = Math.min(lines.length, src.endLine + 1);
  const out = [`${fileName}:${src.line}`, '-'.repeat(20)];
  // BuildKit's own format: " %3d | ".
  for (let n = from; n <= to; n++) out.push(`${String(n).padStart(4)} | ${n >= src.line && n <= src.endLine ? '>>>' : '   '} ${lines[n - 1] ?? ''}`);
  out.push('-'.repeat(20));
  return out;
}
