import { BerthError } from '../../../contract/errors';
import type { LogBatch, LogLine, LogsSaveResult } from '../../../contract/logs';
import { batchRuns, DEFAULT_BATCH } from '../../../core/log-batcher';
import { LogRunBuilder } from '../../../core/log-runs';
import { toEngineTime } from '../../../core/log-time';
import { LineSplitter } from '../../../core/nerdctl-json';
import type { LogQuery, LogSaveOptions, LogsOps } from '../../../ports/engine/logs';
import { saveLogLines } from '../docker-api/logs-save';
import type { NerdctlContext } from './context';

const OP = 'read the logs of';

/** `nerdctl logs` flags for a query; a bad time is INVALID_INPUT before anything runs. */
export function logsArgs(id: string, q: LogQuery): string[] {
  const a = ['logs'];
  if (q.follow) a.push('--follow');
  if (q.timestamps) a.push('--timestamps');
  // nerdctl reads `--tail 0` as "all": no old lines is `--since now` (see lines()).
  if (q.tail !== undefined && q.tail !== 'all' && q.tail > 0) a.push('--tail', String(q.tail));
  // since/until are checked here and applied by Berth on each line's timestamp (see lines()).
  for (const key of ['since', 'until'] as const) {
    const v = q[key];
    if (v !== undefined && toEngineTime(v) === null) throw new BerthError('INVALID_INPUT', `"${String(v)}" is not a time for ${key}: use an ISO 8601 date-time or Unix seconds.`);
  }
  a.push(id);
  return a;
}

/** A line of `logs --timestamps`: `2026-08-22T01:02:03.123456789Z text`. */
function toLine(stream: 'stdout' | 'stderr', raw: string, timestamps: boolean): LogLine {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (!timestamps) return { stream, text };
  const sp = text.indexOf(' ');
  const head = sp < 0 ? text : text.slice(0, sp);
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})$/.test(head)) return { stream, text: sp < 0 ? '' : text.slice(sp + 1), ts: head };
  return { stream, text };
}

/** Seconds since the epoch of an RFC 3339 time with up to nanoseconds. */
function secondsOf(ts: string): number | null {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return null;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  return Number.isNaN(whole) ? null : whole / 1000 + Number(`0.${m[2] ?? '0'}`);
}

function timeWindow(q: LogQuery): { since: number; until: number } | null {
  if (q.since === undefined && q.until === undefined) return null;
  const at = (v: LogQuery['since']) => (v === undefined ? null : Number(toEngineTime(v)));
  return { since: at(q.since) ?? -Infinity, until: at(q.until) ?? Infinity };
}

export class NerdctlLogs implements LogsOps {
  constructor(private readonly ctx: NerdctlContext) {}

  async *stream(id: string, query: LogQuery, signal: AbortSignal): AsyncGenerator<LogBatch, void, undefined> {
    for await (const runs of batchRuns(this.lines(id, query, signal), DEFAULT_BATCH)) yield { runs };
  }

  async save(id: string, opts: LogSaveOptions, signal: AbortSignal): Promise<LogsSaveResult> {
    const { path, overwrite, ...query } = opts;
    logsArgs(id, query);
    return saveLogLines(this.stream(id, { ...query, follow: false }, signal), { path, overwrite: overwrite ?? false, timestamps: query.timestamps ?? false }, signal);
  }

  /**
   * One `nerdctl logs` process: stdout lines are read pull-based (a slow reader pauses the pipe);
   * stderr lines are queued beside them. A failure (no such container) ends with the typed error.
   */
  private async *lines(id: string, query: LogQuery, signal: AbortSignal): AsyncGenerator<LogRunBuilder, void, undefined> {
    const args = logsArgs(id, query);
    if (signal.aborted) return;
    if (query.tail === 0) {
      if (!query.follow) {
        // Still a typed error for a container that does not exist.
        await this.ctx.exec(OP, id, ['container', 'inspect', '--format', '{{.ID}}', id], { signal });
        return;
      }
      args.splice(args.length - 1, 0, '--since', new Date().toISOString());
    }
    // nerdctl's own --since/--until filter is not reliable (it depends on its environment), so lines are
    // also filtered here by their timestamps, which are asked for whenever a window is given.
    const window = timeWindow(query);
    if (window && !query.timestamps) args.splice(1, 0, '--timestamps');
    const ts = query.timestamps === true || window !== null;
    const keep = (l: LogLine): LogLine | null => {
      if (!window) return l;
      const t = l.ts ? secondsOf(l.ts) : null;
      if (t !== null && (t < window.since || t >= window.until)) return null;
      if (!query.timestamps) delete l.ts;
      return l;
    };
    const addLines = (to: LogRunBuilder, stream: 'stdout' | 'stderr', raw: string[]): LogRunBuilder => {
      for (const r of raw) {
        const l = keep(toLine(stream, r, ts));
        if (l) to.line(l.stream, l.text, l.ts);
      }
      return to;
    };
    const errSplit = new LineSplitter();
    let errLines = new LogRunBuilder();
    let wakeErr: (() => void) | null = null;
    const proc = await this.ctx.spawn(args, {
      signal,
      onStderr: (chunk) => {
        addLines(errLines, 'stderr', errSplit.push(chunk));
        wakeErr?.();
      },
    });
    const outSplit = new LineSplitter();
    /** The stderr lines queued so far (a builder to add stdout lines to after them). */
    const takeErr = () => {
      const e = errLines;
      errLines = new LogRunBuilder();
      return e;
    };
    // stdout is read one chunk at a time (a slow consumer pauses the pipe); stderr lines wake the loop too.
    const it = proc.stdout[Symbol.asyncIterator]();
    let next = it.next();
    try {
      for (;;) {
        if (!errLines.empty) {
          yield takeErr();
          continue;
        }
        const errArrived = new Promise<'err'>((r) => (wakeErr = () => r('err')));
        const got = await Promise.race([next, errArrived]);
        wakeErr = null;
        if (got === 'err') continue;
        if (got.done) break;
        next = it.next();
        const out = addLines(takeErr(), 'stdout', outSplit.push(got.value));
        if (!out.empty) yield out;
      }
      const exit = await proc.exit;
      if (signal.aborted) return;
      const rest = addLines(addLines(takeErr(), 'stdout', outSplit.end()), 'stderr', errSplit.end());
      if (exit.exitCode !== 0) {
        // The stderr lines of a failed `logs` are nerdctl's own message, not the container's.
        throw this.ctx.failure(OP, id, args, exit);
      }
      if (!rest.empty) yield rest;
    } finally {
      proc.kill();
      void it.return?.();
    }
  }
}
