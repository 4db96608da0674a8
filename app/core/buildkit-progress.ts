/**
 * BuildKit's structured progress (`buildctl build --progress rawjson`, `nerdctl build --progress rawjson`):
 * one JSON SolveStatus per line ({vertexes, statuses, logs, warnings}); a vertex is reported again each
 * time it changes, keyed by digest. A failed build ends with plain-text lines (the Dockerfile excerpt
 * `Dockerfile:5 … >>> RUN …` and `error: failed to solve: …`), which are kept as the failure's source.
 * Pure: no I/O, no clock (times come from BuildKit's own timestamps).
 */

export type StepState = 'waiting' | 'running' | 'done' | 'cached' | 'failed';

export interface BuildStep {
  /** The vertex digest. */
  id: string;
  /** BuildKit's name, e.g. `[deps 1/1] RUN --mount=type=cache,… make`. */
  name: string;
  /** The Dockerfile stage (`deps`, `stage-3`), '' for a single unnamed stage, null for internal/export steps. */
  stage: string | null;
  /** `N/M` of `[stage N/M]`, when BuildKit gives it. */
  index: number | null;
  total: number | null;
  /** The instruction without the `[stage N/M]` prefix. */
  instruction: string;
  /** `[internal] …`, exporting, resolving metadata: BuildKit's own work, not a Dockerfile step. */
  internal: boolean;
  /** Digests of the steps this one waits for. */
  inputs: string[];
  state: StepState;
  /** Milliseconds since the epoch (BuildKit's clock). */
  started: number | null;
  completed: number | null;
  durationMs: number | null;
  error: string | null;
  /** Output of the step (stdout and stderr, in arrival order), complete lines; bounded. */
  logs: string[];
  /** Droppped log lines once the bound was reached. */
  logsDropped: number;
  /** The latest sub-progress (`transferring context: 2.1MB`, `naming to …`). */
  status: string | null;
}

export interface BuildStage {
  /** `deps`, `stage-3`; '' for an unnamed single stage; `internal` for BuildKit's own steps. */
  name: string;
  stepIds: string[];
  state: StepState;
}

export interface BuildFailure {
  stepId: string | null;
  message: string;
  /** 1-based line in the Dockerfile, when BuildKit printed the excerpt. */
  line: number | null;
  /** The Dockerfile file name BuildKit printed (`Dockerfile`). */
  file: string | null;
  /** The excerpt lines as printed, `>>>` marking the failing line. */
  excerpt: string[];
}

export interface BuildGraph {
  steps: BuildStep[];
  /** Dockerfile stages in first-seen order (the internal group last); stages run side by side. */
  stages: BuildStage[];
  /** First start to last completion, ms; null before anything started. */
  totalMs: number | null;
  /** Dockerfile steps (internal ones left out), and how many of them came from cache. */
  stepCount: number;
  cachedCount: number;
  /** cachedCount ÷ stepCount (0 when there are no steps). */
  cachedShare: number;
  failure: BuildFailure | null;
  warnings: string[];
  /** Lines that were not SolveStatus JSON (the failure trailer, nerdctl's own messages). */
  otherLines: string[];
}

const MAX_LOG_LINES = 2000;
const MAX_OTHER_LINES = 200;

interface RawVertex {
  digest?: unknown;
  name?: unknown;
  inputs?: unknown;
  started?: unknown;
  completed?: unknown;
  cached?: unknown;
  error?: unknown;
}

/**
 * One SolveStatus as BuildKit's JSON gives it (`--progress rawjson`: times RFC 3339, log `data` and warning `short`
 * base64) or dockerd's decoded trace (times epoch ms, log and warning bytes already as `text`).
 */
export interface SolveStatusDoc {
  vertexes?: unknown;
  statuses?: unknown;
  logs?: unknown;
  warnings?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A time as epoch ms: RFC 3339 text (rawjson) or a number already (dockerd's decoded trace); null when absent or zero. */
const time = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : null;
  if (typeof v !== 'string' || v === '' || v.startsWith('0001-')) return null;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) return null;
  // Date.parse keeps milliseconds; BuildKit gives nanoseconds, and steps often start within the same millisecond.
  const frac = /\.\d{3}(\d+)/.exec(v)?.[1];
  return frac ? t + Number(`0.${frac}`) : t;
};

/** Splits `[deps 1/2] RUN make` into its stage, position and instruction. */
export function parseVertexName(name: string): Pick<BuildStep, 'stage' | 'index' | 'total' | 'instruction' | 'internal'> {
  const m = /^\[(?:([^\]\s]+) )?(\d+)\/(\d+)\] (.*)$/s.exec(name);
  if (m) return { stage: m[1] ?? '', index: Number(m[2]), total: Number(m[3]), instruction: m[4] ?? '', internal: false };
  const internal = /^\[internal\] /.exec(name);
  return { stage: null, index: null, total: null, instruction: internal ? name.slice(internal[0].length) : name, internal: true };
}

function decodeBase64(data: string): string {
  try {
    const bin = atob(data);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  } catch {
    // Not base64: BuildKit always encodes, so keep the raw text rather than lose the output.
    return data;
  }
}

/** Incremental parser: feed it text as it arrives, read `graph()` whenever the view should refresh. */
export class BuildkitProgress {
  private readonly steps = new Map<string, BuildStep>();
  /** Each step's place in first-seen order, and the steps changed (state, times, logs) since the last `takeTouched()`. */
  private readonly seq = new Map<BuildStep, number>();
  private readonly touched = new Set<BuildStep>();
  private readonly partial = new Map<string, string>();
  private readonly warnings: string[] = [];
  private readonly other: string[] = [];
  private buffer = '';
  private changed = false;

  /** Feeds a chunk of the progress stream; returns true when the graph changed. */
  push(chunk: string): boolean {
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    for (const l of lines) this.line(l);
    const c = this.changed;
    this.changed = false;
    return c;
  }

  /** Feeds one SolveStatus already parsed (dockerd's decoded trace); returns true when the graph changed. */
  pushStatus(doc: SolveStatusDoc): boolean {
    this.status(doc);
    const c = this.changed;
    this.changed = false;
    return c;
  }

  /** Keeps a plain-text line beside the graph (the failure message a route gets outside the progress stream). */
  pushOther(line: string): boolean {
    if (!line.trim() || this.other.length >= MAX_OTHER_LINES) return false;
    this.other.push(line);
    return true;
  }

  /** Flushes the last unterminated line and unterminated log lines. */
  end(): boolean {
    if (this.buffer) this.line(this.buffer);
    this.buffer = '';
    for (const [key, rest] of this.partial) {
      const step = this.steps.get(key.slice(0, key.lastIndexOf('#')));
      if (step && rest) this.addLog(step, rest);
    }
    this.partial.clear();
    const c = this.changed;
    this.changed = false;
    return c;
  }

  private line(raw: string): void {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) return;
    let doc: unknown = null;
    if (line.startsWith('{')) {
      try {
        doc = JSON.parse(line);
      } catch {
        doc = null;
      }
    }
    if (!doc || typeof doc !== 'object') {
      if (this.other.length < MAX_OTHER_LINES) this.other.push(line);
      this.changed = true;
      return;
    }
    this.status(doc as SolveStatusDoc);
  }

  private status(s: SolveStatusDoc): void {
    if (Array.isArray(s.vertexes)) for (const v of s.vertexes as RawVertex[]) this.vertex(v);
    if (Array.isArray(s.statuses)) {
      for (const st of s.statuses as Array<Record<string, unknown>>) {
        const step = this.steps.get(str(st.vertex));
        if (!step) continue;
        const cur = typeof st.current === 'number' ? st.current : 0;
        const tot = typeof st.total === 'number' ? st.total : 0;
        step.status = `${str(st.id) || str(st.name)}${tot ? ` ${cur}/${tot}` : cur ? ` ${cur}` : ''}${time(st.completed) ? ' done' : ''}`;
        this.changed = true;
      }
    }
    if (Array.isArray(s.logs)) {
      for (const lg of s.logs as Array<Record<string, unknown>>) {
        const step = this.steps.get(str(lg.vertex));
        if (!step) continue;
        const key = `${step.id}#${String(lg.stream ?? 1)}`;
        const text = (this.partial.get(key) ?? '') + (typeof lg.text === 'string' ? lg.text : decodeBase64(str(lg.data)));
        const parts = text.split('\n');
        this.partial.set(key, parts.pop() ?? '');
        for (const p of parts) this.addLog(step, p.replace(/\r$/, ''));
        this.changed = true;
      }
    }
    if (Array.isArray(s.warnings)) {
      for (const w of s.warnings as Array<Record<string, unknown>>) {
        const short = typeof w.text === 'string' ? w.text : decodeBase64(str(w.short));
        if (short) this.warnings.push(short);
        this.changed = true;
      }
    }
  }

  private addLog(step: BuildStep, text: string): void {
    if (step.logs.length >= MAX_LOG_LINES) step.logsDropped++;
    else step.logs.push(text);
    this.touched.add(step);
  }

  private vertex(v: RawVertex): void {
    const id = str(v.digest);
    if (!id) return;
    const name = str(v.name);
    let step = this.steps.get(id);
    if (!step) {
      step = {
        id, name, ...parseVertexName(name), inputs: [], state: 'waiting', started: null, completed: null, durationMs: null,
        error: null, logs: [], logsDropped: 0, status: null,
      };
      this.steps.set(id, step);
      this.seq.set(step, this.seq.size);
    }
    this.touched.add(step);
    if (Array.isArray(v.inputs) && v.inputs.length) step.inputs = v.inputs.filter((i): i is string => typeof i === 'string');
    const started = time(v.started);
    const completed = time(v.completed);
    // A vertex is re-sent when it starts again (BuildKit runs some twice: a cache check, then the work):
    // the earliest start is the step's start.
    if (started !== null) step.started = step.started === null ? started : Math.min(step.started, started);
    step.completed = completed;
    if (v.error) step.error = str(v.error);
    if (v.cached === true) step.state = 'cached';
    else if (step.error) step.state = 'failed';
    else if (completed !== null) step.state = step.state === 'cached' ? 'cached' : 'done';
    else if (started !== null) step.state = 'running';
    step.durationMs = step.started !== null && completed !== null ? Math.max(0, completed - step.started) : null;
    this.changed = true;
  }

  /**
   * The steps whose vertex or logs came in since the last call, in first-seen order, without
   * copies: a reader that looks after every status for what changed need not walk and sort every step each time.
   */
  takeTouched(): Array<Readonly<BuildStep>> {
    if (!this.touched.size) return [];
    const out = [...this.touched];
    this.touched.clear();
    if (out.length > 1) out.sort((a, b) => (this.seq.get(a) ?? 0) - (this.seq.get(b) ?? 0));
    return out;
  }

  /** The plain-text lines kept beside the graph from the `from`-th on (what `graph().otherLines.slice(from)` gives). */
  otherLinesFrom(from: number): string[] {
    return from >= this.other.length ? [] : this.other.slice(from);
  }

  graph(): BuildGraph {
    const steps = [...this.steps.values()].map((s) => ({ ...s, logs: [...s.logs], inputs: [...s.inputs] }));
    // Dockerfile steps in stage order, then position; BuildKit announces the whole graph up front, last step first.
    const stageOrder: string[] = [];
    const byStage = new Map<string, BuildStep[]>();
    const sorted = [...steps].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    for (const s of stepsInDependencyOrder(sorted)) {
      const key = s.internal ? 'internal' : (s.stage ?? '');
      if (!byStage.has(key)) {
        byStage.set(key, []);
        if (key !== 'internal') stageOrder.push(key);
      }
      byStage.get(key)?.push(s);
    }
    if (byStage.has('internal')) stageOrder.push('internal');
    const stages: BuildStage[] = stageOrder.map((name) => {
      const list = (byStage.get(name) ?? []).sort((a, b) => (a.index ?? 0) - (b.index ?? 0) || (a.started ?? Infinity) - (b.started ?? Infinity));
      return { name, stepIds: list.map((s) => s.id), state: stageState(list) };
    });
    const starts = steps.map((s) => s.started).filter((t): t is number => t !== null);
    const ends = steps.map((s) => s.completed).filter((t): t is number => t !== null);
    const totalMs = starts.length && ends.length ? Math.max(0, Math.max(...ends) - Math.min(...starts)) : null;
    const dockerSteps = steps.filter((s) => !s.internal);
    const cachedCount = dockerSteps.filter((s) => s.state === 'cached').length;
    return {
      steps,
      stages,
      totalMs,
      stepCount: dockerSteps.length,
      cachedCount,
      cachedShare: dockerSteps.length ? cachedCount / dockerSteps.length : 0,
      failure: this.failure(steps),
      warnings: [...this.warnings],
      otherLines: [...this.other],
    };
  }

  private failure(steps: BuildStep[]): BuildFailure | null {
    const failed = steps.find((s) => s.state === 'failed') ?? null;
    const errLine = this.other.find((l) => /^(?:error|ERROR):/.test(l));
    if (!failed && !errLine) return null;
    const at = this.other.findIndex((l) => /^[^\s:]+:\d+$/.test(l));
    let line: number | null = null;
    let file: string | null = null;
    const excerpt: string[] = [];
    if (at >= 0) {
      const m = /^([^\s:]+):(\d+)$/.exec(this.other[at] ?? '');
      file = m?.[1] ?? null;
      line = m ? Number(m[2]) : null;
      for (const l of this.other.slice(at + 1)) {
        if (/^-+$/.test(l)) {
          if (excerpt.length) break;
          continue;
        }
        if (/^\s*\d+ \|/.test(l)) excerpt.push(l);
        else if (excerpt.length) break;
      }
    }
    return {
      stepId: failed?.id ?? null,
      message: failed?.error ?? errLine?.replace(/^(?:error|ERROR):\s*/, '') ?? '',
      line,
      file,
      excerpt,
    };
  }
}

function stageState(list: BuildStep[]): StepState {
  if (list.some((s) => s.state === 'failed')) return 'failed';
  if (list.some((s) => s.state === 'running')) return 'running';
  if (list.length && list.every((s) => s.state === 'cached')) return 'cached';
  if (list.length && list.every((s) => s.state === 'cached' || s.state === 'done')) return 'done';
  return 'waiting';
}

/** A topological order (inputs first), stable otherwise: decides which stage is listed first. */
function stepsInDependencyOrder(steps: BuildStep[]): BuildStep[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const out: BuildStep[] = [];
  const visit = (s: BuildStep, depth: number) => {
    if (seen.has(s.id) || depth > 10_000) return;
    seen.add(s.id);
    for (const i of s.inputs) {
      const d = byId.get(i);
      if (d) visit(d, depth + 1);
    }
    out.push(s);
  };
  for (const s of steps) visit(s, 0);
  return out;
}

/** Parses a whole recorded stream (tests, a finished build's log). */
export function parseBuildkitProgress(text: string): BuildGraph {
  const p = new BuildkitProgress();
  p.push(text);
  p.end();
  return p.graph();
}
