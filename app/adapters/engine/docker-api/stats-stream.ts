import type { IncomingMessage } from 'node:http';
import { JsonStreamError, jsonValues } from '../../../core/json-stream';
import type { RawStats } from '../../../core/stats-calc';

/** A sample of a container that is not running carries the zero time. */
export const isNotRunningSample = (s: RawStats): boolean => typeof s.read !== 'string' || s.read.startsWith('0001-01-01');

/** The engine's stats samples (`stream=1`: one JSON sample about every second); undecodable ones are skipped. */
export async function* statsSamples(res: IncomingMessage): AsyncGenerator<RawStats, void, undefined> {
  for await (const v of jsonValues(res as AsyncIterable<Buffer>, { maxValueChars: 4 * 1024 * 1024 })) {
    if (v instanceof JsonStreamError || typeof v !== 'object' || v === null) continue;
    yield v as RawStats;
  }
}

/** Calls `onSample` for each sample until it returns false or the stream ends; rejects on a failure. */
export async function readStatsStream(res: IncomingMessage, onSample: (s: RawStats) => boolean | void): Promise<void> {
  for await (const raw of statsSamples(res)) if (onSample(raw) === false) return;
}
