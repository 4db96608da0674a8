/**
 * Turns BuildKit's rawjson progress into `images.build` stream items: the plain `log`/`step` items the
 * classic builder gives (so a client that only shows text keeps working) plus compact graph snapshots.
 */
import { BuildkitProgress, type BuildGraph, type SolveStatusDoc } from './buildkit-progress';

export type BuildkitStreamItem =
  | { kind: 'log'; text: string }
  | { kind: 'step'; index: number; total: number; instruction: string };

/** Graph snapshots go out at most this often while a build runs (and once more at its end). */
export const GRAPH_EVERY_MS = 150;

/** Log lines per step carried in a streamed graph snapshot (the whole log goes out as `log` items). */
export const GRAPH_LOG_LINES = 200;

export class BuildkitStream {
  private readonly progress = new BuildkitProgress();
  private readonly seenLogs = new Map<string, number>();
  private readonly announced = new Set<string>();
  private otherSeen = 0;
  private dirty = false;
  private lastSent = -Infinity;

  /** Feeds stderr text; returns the new text items (graph changes are read with `snapshot`). */
  push(chunk: string): BuildkitStreamItem[] {
    if (this.progress.push(chunk)) this.dirty = true;
    return this.delta();
  }

  /** Feeds one SolveStatus already parsed (dockerd's own BuildKit); returns the new text items. */
  pushStatus(doc: SolveStatusDoc): BuildkitStreamItem[] {
    if (this.progress.pushStatus(doc)) this.dirty = true;
    return this.delta();
  }

  /** A plain-text line outside the progress (the build's error message): kept for the failure, announced as a log line. */
  pushOther(line: string): BuildkitStreamItem[] {
    if (this.progress.pushOther(line)) this.dirty = true;
    return this.delta();
  }

  end(): BuildkitStreamItem[] {
    if (this.progress.end()) this.dirty = true;
    return this.delta();
  }

  /** True once since the last `snapshot()` when the graph changed. */
  get changed(): boolean {
    return this.dirty;
  }

  /**
   * The snapshot to send now: when the graph changed and the last one went out at least GRAPH_EVERY_MS before `now`
   * (the caller's clock), or whenever it changed with `force` (the build's end); else null.
   */
  update(now: number, force = false): BuildGraph | null {
    if (!this.dirty || (!force && now - this.lastSent < GRAPH_EVERY_MS)) return null;
    this.lastSent = now;
    return this.snapshot();
  }

  /** The graph for the stream: each step's log cut to its last GRAPH_LOG_LINES lines. */
  snapshot(): BuildGraph {
    this.dirty = false;
    const g = this.progress.graph();
    return {
      ...g,
      steps: g.steps.map((s) =>
        s.logs.length > GRAPH_LOG_LINES ? { ...s, logs: s.logs.slice(-GRAPH_LOG_LINES), logsDropped: s.logsDropped + s.logs.length - GRAPH_LOG_LINES } : s,
      ),
    };
  }

  /** The full graph (all kept log lines). */
  graph(): BuildGraph {
    return this.progress.graph();
  }

  /**
   * What is new since the last call. Runs after every status, so it reads only the steps that status changed (nothing
   * else can have news: a step's state and logs change only with its own vertex and log entries), not a graph.
   */
  private delta(): BuildkitStreamItem[] {
    const out: BuildkitStreamItem[] = [];
    // Announce in start order (BuildKit lists the graph last step first).
    const byStart = this.progress.takeTouched().sort((a, b) => (a.started ?? Infinity) - (b.started ?? Infinity) || (a.index ?? 0) - (b.index ?? 0));
    for (const s of byStart) {
      if (s.state !== 'waiting' && !this.announced.has(s.id)) {
        this.announced.add(s.id);
        if (!s.internal && s.index !== null && s.total !== null) out.push({ kind: 'step', index: s.index, total: s.total, instruction: s.instruction });
        out.push({ kind: 'log', text: `${s.state === 'cached' ? 'CACHED ' : ''}${s.name}` });
      }
      const seen = this.seenLogs.get(s.id) ?? 0;
      if (s.logs.length > seen) {
        for (const l of s.logs.slice(seen)) out.push({ kind: 'log', text: l });
        this.seenLogs.set(s.id, s.logs.length);
      }
      if (s.state === 'failed' && !this.announced.has(`${s.id}#error`)) {
        this.announced.add(`${s.id}#error`);
        out.push({ kind: 'log', text: `ERROR ${s.name}: ${s.error ?? ''}` });
      }
    }
    const other = this.progress.otherLinesFrom(this.otherSeen);
    for (const l of other) out.push({ kind: 'log', text: l });
    this.otherSeen += other.length;
    return out;
  }
}
