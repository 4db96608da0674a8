import { BerthError } from '../../../contract/errors';
import type { LogLine, LogsSaveResult } from '../../../contract/logs';
import { batchItems, DEFAULT_BATCH } from '../../../core/log-batcher';
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
  if (q.tail !== undefined && q.tail !== 'all') a.push('--tail', String(q.tail));
  for (const key of ['since', 'until'] as const) {
    const v = q[key];
    if (v === undefined) continue;
    const t = toEngineTime(v);
    if (t === null) throw new BerthError('INVALID_INPUT', `"${String(v)}" is not a time for ${key}: use an ISO 8601 date-time or Unix seconds.`);
    a.push(`--${key}`, /^\d+(?:\.\d+)?$/.test(t) ? new Date(Number(t) * 1000).toISOString() : t);
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

export class NerdctlLogs implements LogsOps {
  constructor(private readonly ctx: NerdctlContext) {}

  stream(id: string, query: LogQuery, signal: AbortSignal): AsyncIterable<LogLine[]> {
    return batchItems(this.lines(id, query, signal), DEFAULT_BATCH, (l) => l.text.length + 24);
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
  private async *lines(id: string, query: LogQuery, signal: AbortSignal): AsyncGenerator<LogLine[], void, undefined> {
    const args = logsArgs(id, query);
    if (signal.aborted) return;
    const ts = query.timestamps ?? false;
    const errSplit = new LineSplitter();
    let errLines: LogLine[] = [];
    const proc = await this.ctx.spawn(args, {
      signal,
      onStderr: (chunk) => {
        for (const l of errSplit.push(chunk)) errLines.push(toLine('stderr', l, ts));
      },
    });
    const outSplit = new LineSplitter();
    const takeErr = () => {
      const e = errLines;
      errLines = [];
      return e;
    };
    try {
      for await (const chunk of proc.stdout) {
        const out = [...takeErr(), ...outSplit.push(chunk).map((l) => toLine('stdout', l, ts))];
        if (out.length > 0) yield out;
      }
      const exit = await proc.exit;
      if (signal.aborted) return;
      const rest = [...takeErr(), ...outSplit.end().map((l) => toLine('stdout', l, ts)), ...errSplit.end().map((l) => toLine('stderr', l, ts))];
      if (exit.exitCode !== 0) {
        // The stderr lines of a failed `logs` are nerdctl's own message, not the container's.
        throw this.ctx.failure(OP, id, args, exit);
      }
      if (rest.length > 0) yield rest;
    } finally {
      proc.kill();
    }
  }
}
