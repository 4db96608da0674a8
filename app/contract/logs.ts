import { z } from 'zod';
import { mutation, subscription } from './rpc';
import { engineSel, ObjectRef } from './common';

const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/** A point in time for `since` / `until`: ISO 8601 (no zone means UTC) or seconds since the Unix epoch. */
export const LogTime = z.union([
  z.number().nonnegative().finite(),
  z
    .string()
    .trim()
    .refine((v) => /^\d+(?:\.\d{1,9})?$/.test(v) || (ISO_RE.test(v) && !Number.isNaN(Date.parse(v.slice(0, 10)))), 'must be an ISO 8601 date-time or Unix seconds'),
]);
export type LogTime = z.infer<typeof LogTime>;

/** How many of the last lines to return: a count, or 'all' (the default). */
export const LogTail = z.union([z.number().int().nonnegative().max(10_000_000), z.literal('all')]);

const logQuery = {
  /** Only lines written at or after this time. */
  since: LogTime.optional(),
  /** Only lines written before this time. */
  until: LogTime.optional(),
  tail: LogTail.optional(),
  /** Split the engine's RFC 3339 timestamp of each line into `ts` (logs.stream) or prefix it (logs.save). */
  timestamps: z.boolean().optional(),
};

export const LogsStreamInput = z.object({
  ...engineSel,
  id: ObjectRef,
  /** Keep streaming new lines until cancelled (default false: end after the last line). */
  follow: z.boolean().optional(),
  ...logQuery,
});
export type LogsStreamInput = z.infer<typeof LogsStreamInput>;

export const LogStreamName = z.enum(['stdout', 'stderr']);

export const LogLine = z.object({
  /** TTY containers have one raw stream, reported as stdout. */
  stream: LogStreamName,
  text: z.string(),
  /** RFC 3339 with nanoseconds, as the engine wrote it (only with `timestamps`). */
  ts: z.string().optional(),
});
export type LogLine = z.infer<typeof LogLine>;

/**
 * A batch of lines, in the order the engine sent them. Batches are sent every ~50 ms or at
 * 500 lines / 1 MiB of text, whichever comes first. A slow reader slows the engine's stream
 * down; no line is dropped.
 */
export const LogBatch = z.object({ lines: z.array(LogLine) });
export type LogBatch = z.infer<typeof LogBatch>;

const isLogLine = (l: unknown): boolean => {
  if (typeof l !== 'object' || l === null || Array.isArray(l)) return false;
  const { stream, text, ts } = l as Record<string, unknown>;
  if ((stream !== 'stdout' && stream !== 'stderr') || typeof text !== 'string') return false;
  let keys = 0;
  for (const k in l) if (Object.prototype.hasOwnProperty.call(l, k)) keys++;
  // Exactly the schema's keys (an unknown one would be stripped by a parse), ts only as a string.
  return ts === undefined ? keys === 2 && !Object.prototype.hasOwnProperty.call(l, 'ts') : typeof ts === 'string' && keys === 3;
};

/** True when `v` is a LogBatch exactly as LogBatch.parse would return it (same keys, nothing to strip): a check without the copy. */
export function isLogBatch(v: unknown): v is LogBatch {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const lines = (v as { lines?: unknown }).lines;
  if (!Array.isArray(lines) || Object.keys(v).length !== 1) return false;
  for (let i = 0; i < lines.length; i++) if (!isLogLine(lines[i])) return false;
  return true;
}

export const LogsSaveInput = z.object({
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
});
export type LogsSaveInput = z.infer<typeof LogsSaveInput>;

export const LogsSaveResult = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
});
export type LogsSaveResult = z.infer<typeof LogsSaveResult>;

export const logsApi = {
  'logs.stream': subscription('Stream the logs of a container (stdout and stderr apart), in batches', LogsStreamInput, LogBatch),
  'logs.save': mutation(
    'Save the logs of a container to a file: both streams interleaved in the order the engine sent them, one line each, as `docker logs` prints them (prefixed with the RFC 3339 time when `timestamps`)',
    LogsSaveInput,
    LogsSaveResult,
  ),
};
