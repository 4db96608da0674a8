import * as z from 'zod';
import { mutation, subscription } from './rpc';
import { engineSel, ObjectRef } from './common';
import { deferred } from './deferred';

const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/** A point in time for `since` / `until`: ISO 8601 (no zone means UTC) or seconds since the Unix epoch. */
export const LogTime = deferred(() => z.union([
  z.number().nonnegative().finite(),
  z
    .string()
    .trim()
    .refine((v) => /^\d+(?:\.\d{1,9})?$/.test(v) || (ISO_RE.test(v) && !Number.isNaN(Date.parse(v.slice(0, 10)))), 'must be an ISO 8601 date-time or Unix seconds'),
]));
export type LogTime = z.infer<typeof LogTime>;

/** How many of the last lines to return: a count, or 'all' (the default). */
export const LogTail = deferred(() => z.union([z.number().int().nonnegative().max(10_000_000), z.literal('all')]));

const logQuery = deferred(() => ({
  /** Only lines written at or after this time. */
  since: LogTime.optional(),
  /** Only lines written before this time. */
  until: LogTime.optional(),
  tail: LogTail.optional(),
  /** Split the engine's RFC 3339 timestamp of each line into `ts` (logs.stream) or prefix it (logs.save). */
  timestamps: z.boolean().optional(),
}));

export const LogsStreamInput = deferred(() => z.object({
  ...engineSel,
  id: ObjectRef,
  /** Keep streaming new lines until cancelled (default false: end after the last line). */
  follow: z.boolean().optional(),
  ...logQuery,
}));
export type LogsStreamInput = z.infer<typeof LogsStreamInput>;

export const LogStreamName = deferred(() => z.enum(['stdout', 'stderr']));

/**
 * A run of consecutive lines of one stream. `text` holds the lines joined by '\n' (a line never holds '\n', and a run
 * holds at least one line, possibly empty): `text.split('\n')` gives them. One string per run instead of an object
 * per line keeps a batch small to encode and decode.
 */
export const LogRun = deferred(() => z
  .object({
    /** TTY containers have one raw stream, reported as stdout. */
    stream: LogStreamName,
    text: z.string(),
    /**
     * Only with `timestamps`, and only when a line of the run has one: the RFC 3339 time (nanoseconds, as the engine
     * wrote it) of each line in order, null for a line without one (a long line's continuation, a line the engine
     * wrote no time for).
     */
    ts: z.array(z.string().nullable()).optional(),
  })
  .refine((r) => r.ts === undefined || r.ts.length === lineCount(r.text), { message: 'ts must hold one entry per line of text', path: ['ts'] }));
export type LogRun = z.infer<typeof LogRun>;

/**
 * A batch of lines, in the order the engine sent them (stdout and stderr interleaved exactly: a run ends where the
 * other stream's line comes). Batches are sent every ~50 ms or at 500 lines / 1 MiB of text, whichever comes first.
 * A slow reader slows the engine's stream down; no line is dropped.
 */
export const LogBatch = deferred(() => z.object({ runs: z.array(LogRun) }));
export type LogBatch = z.infer<typeof LogBatch>;

/** One line of a batch, as `logLines` gives it back. */
export interface LogLine {
  stream: z.infer<typeof LogStreamName>;
  text: string;
  /** RFC 3339 with nanoseconds, as the engine wrote it (only with `timestamps`, and only when the line has one). */
  ts?: string;
}

/** The number of lines in a run's text (one more than its '\n's). */
export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Calls `each` for every line of the batch, in order. */
export function forEachLogLine(batch: LogBatch, each: (stream: LogLine['stream'], text: string, ts: string | undefined) => void): void {
  for (const r of batch.runs) {
    const texts = r.text.split('\n');
    const ts = r.ts;
    for (let i = 0; i < texts.length; i++) each(r.stream, texts[i] as string, ts?.[i] ?? undefined);
  }
}

/** The lines of a batch as one object each (for consumers that want them so). */
export function logLines(batch: LogBatch): LogLine[] {
  const out: LogLine[] = [];
  forEachLogLine(batch, (stream, text, ts) => out.push(ts === undefined ? { stream, text } : { stream, text, ts }));
  return out;
}

/** Lines in order to runs (consecutive lines of one stream share a run). A line's text must not hold '\n'. */
export function logRuns(lines: readonly LogLine[]): LogRun[] {
  const runs: LogRun[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i] as LogLine;
    let j = i + 1;
    let anyTs = first.ts !== undefined;
    while (j < lines.length && (lines[j] as LogLine).stream === first.stream) {
      if ((lines[j] as LogLine).ts !== undefined) anyTs = true;
      j++;
    }
    let text = first.text;
    for (let k = i + 1; k < j; k++) text += '\n' + (lines[k] as LogLine).text;
    const run: LogRun = { stream: first.stream, text };
    if (anyTs) {
      const ts: Array<string | null> = [];
      for (let k = i; k < j; k++) ts.push((lines[k] as LogLine).ts ?? null);
      run.ts = ts;
    }
    runs.push(run);
    i = j;
  }
  return runs;
}

const isLogRun = (r: unknown): boolean => {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return false;
  const { stream, text, ts } = r as Record<string, unknown>;
  if ((stream !== 'stdout' && stream !== 'stderr') || typeof text !== 'string') return false;
  let keys = 0;
  for (const k in r) if (Object.prototype.hasOwnProperty.call(r, k)) keys++;
  // Exactly the schema's keys (an unknown one would be stripped by a parse), ts only as an array of one string or null per line.
  if (ts === undefined) return keys === 2 && !Object.prototype.hasOwnProperty.call(r, 'ts');
  if (keys !== 3 || !Array.isArray(ts) || ts.length !== lineCount(text)) return false;
  for (let i = 0; i < ts.length; i++) {
    const t: unknown = ts[i];
    if (t !== null && typeof t !== 'string') return false;
  }
  return true;
};

/** True when `v` is a LogBatch exactly as LogBatch.parse would return it (same keys, nothing to strip): a check without the copy. */
export function isLogBatch(v: unknown): v is LogBatch {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const runs = (v as { runs?: unknown }).runs;
  if (!Array.isArray(runs) || Object.keys(v).length !== 1) return false;
  for (let i = 0; i < runs.length; i++) if (!isLogRun(runs[i])) return false;
  return true;
}

export const LogsSaveInput = deferred(() => z.object({
  ...engineSel,
  id: ObjectRef,
  /** An absolute path on the machine that runs Berth's core; its folder must exist. */
  path: z
    .string()
    .min(1)
    .max(4096)
    .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be an absolute path')
    .refine((p) => !p.includes('\0'), 'must not contain NUL'),
  /** Replace an existing file (default false: refuse with CONFLICT). */
  overwrite: z.boolean().optional(),
  ...logQuery,
}));
export type LogsSaveInput = z.infer<typeof LogsSaveInput>;

export const LogsSaveResult = deferred(() => z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
}));
export type LogsSaveResult = z.infer<typeof LogsSaveResult>;

export const logsApi = {
  'logs.stream': deferred(() => subscription('Stream the logs of a container (stdout and stderr apart), in batches', LogsStreamInput, LogBatch)),
  'logs.save': deferred(() => mutation(
    'Save the logs of a container to a file: both streams interleaved in the order the engine sent them, one line each, as `docker logs` prints them (prefixed with the RFC 3339 time when `timestamps`)',
    LogsSaveInput,
    LogsSaveResult,
  )),
};
