import type { LogBuffer } from '../../stores/logs';
import { findRanges } from './text-search';

export interface LogMatch {
  seq: number;
  start: number;
  end: number;
}

/** At most this many matches are kept (the count then reads "100,000+"). */
export const MATCH_CAP = 100_000;

/**
 * The matches of a query in a growing, front-trimmed log buffer, kept up to date incrementally:
 * only new lines are scanned, matches of dropped lines are forgotten. `current` is the match
 * the user moved to (-1: none yet) and survives updates.
 */
export class LogMatcher {
  matches: LogMatch[] = [];
  current = -1;
  capped = false;
  private needle = '';
  private nextScan = 0;
  private generation = -1;

  /** Brings the matches up to date; returns true when anything changed. */
  update(buffer: LogBuffer, query: string): boolean {
    const needle = query.toLowerCase();
    let changed = false;
    if (needle !== this.needle || buffer.generation !== this.generation || buffer.total < this.nextScan) {
      changed = this.matches.length > 0 || this.current !== -1 || needle !== this.needle;
      this.needle = needle;
      this.generation = buffer.generation;
      this.matches = [];
      this.current = -1;
      this.capped = false;
      this.nextScan = buffer.firstSeq;
    }
    if (!needle) {
      this.nextScan = buffer.total;
      return changed;
    }
    // Forget matches in lines that were dropped.
    let gone = 0;
    while (gone < this.matches.length && (this.matches[gone] as LogMatch).seq < buffer.firstSeq) gone++;
    if (gone > 0) {
      this.matches.splice(0, gone);
      this.current = this.current < 0 ? -1 : Math.max(0, this.current - gone);
      if (this.matches.length === 0) this.current = -1;
      changed = true;
    }
    const from = Math.max(this.nextScan, buffer.firstSeq);
    for (let seq = from; seq < buffer.total && !this.capped; seq++) {
      const line = buffer.at(seq - buffer.firstSeq);
      if (!line) continue;
      for (const r of findRanges(line.plain, needle)) {
        if (this.matches.length >= MATCH_CAP) {
          this.capped = true;
          break;
        }
        this.matches.push({ seq, start: r.start, end: r.end });
        changed = true;
      }
    }
    this.nextScan = buffer.total;
    return changed;
  }

  /** Moves to the next (1) or previous (-1) match, wrapping around; returns it. */
  step(dir: 1 | -1): LogMatch | null {
    const n = this.matches.length;
    if (n === 0) return null;
    if (this.current < 0) this.current = dir === 1 ? 0 : n - 1;
    else this.current = (this.current + dir + n) % n;
    return this.matches[this.current] ?? null;
  }

  /** Moves to the first match at or after `seq` (e.g. the top of the view). */
  startFrom(seq: number): void {
    const i = this.matches.findIndex((m) => m.seq >= seq);
    this.current = i < 0 ? -1 : i - 1;
  }
}
