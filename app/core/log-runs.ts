import type { LogLine, LogRun } from '../contract/logs';

export type OutStream = 'stdout' | 'stderr';

/** Where decoded lines go, in order. A line's text never holds '\n'. */
export interface LineSink {
  /** One line, with its time when it has one. */
  line(stream: OutStream, text: string, ts: string | undefined): void;
  /** `count` lines without times, joined by '\n' (count = 1 + the '\n's in text). */
  block(stream: OutStream, text: string, count: number): void;
}

/** What a batch of lines weighs against the batch's character limit: its text plus a little per line. */
export const lineWeight = (chars: number, lines: number): number => chars + 24 * lines;

/**
 * Collects lines straight into the runs of a LogBatch (consecutive lines of one stream share a run): no object per
 * line. `take` hands out the oldest runs up to a number of lines and a weight, cutting a run between two lines when
 * it has to, so a batch stays within its limits.
 */
export class LogRunBuilder implements LineSink {
  private runs: LogRun[] = [];
  /** Lines in each run of `runs`. */
  private counts: number[] = [];
  /** Lines held. */
  lines = 0;
  /** The weight held (lineWeight of all lines). */
  weight = 0;

  get empty(): boolean {
    return this.lines === 0;
  }

  line(stream: OutStream, text: string, ts: string | undefined): void {
    const last = this.runs.length - 1;
    const r = this.runs[last];
    if (r !== undefined && r.stream === stream) {
      r.text += '\n' + text;
      if (r.ts) r.ts.push(ts ?? null);
      else if (ts !== undefined) {
        const times: Array<string | null> = new Array<string | null>(this.counts[last] as number).fill(null);
        times.push(ts);
        r.ts = times;
      }
      this.counts[last]!++;
    } else {
      this.runs.push(ts === undefined ? { stream, text } : { stream, text, ts: [ts] });
      this.counts.push(1);
    }
    this.lines++;
    this.weight += lineWeight(text.length, 1);
  }

  block(stream: OutStream, text: string, count: number): void {
    const last = this.runs.length - 1;
    const r = this.runs[last];
    if (r !== undefined && r.stream === stream) {
      r.text += '\n' + text;
      if (r.ts) for (let i = 0; i < count; i++) r.ts.push(null);
      this.counts[last]! += count;
    } else {
      this.runs.push({ stream, text });
      this.counts.push(count);
    }
    this.lines += count;
    this.weight += lineWeight(text.length - (count - 1), count);
  }

  /** Moves everything `other` holds to the end of this one (a run of the same stream continues this one's last). */
  append(other: LogRunBuilder): void {
    const runs = other.runs;
    for (let i = 0; i < runs.length; i++) {
      const r = runs[i] as LogRun;
      const n = other.counts[i] as number;
      const last = this.runs.length - 1;
      const mine = this.runs[last];
      if (mine !== undefined && mine.stream === r.stream) {
        mine.text += '\n' + r.text;
        if (mine.ts || r.ts) {
          const a = mine.ts ?? new Array<string | null>(this.counts[last] as number).fill(null);
          const b = r.ts ?? new Array<string | null>(n).fill(null);
          for (const t of b) a.push(t);
          mine.ts = a;
        }
        this.counts[last]! += n;
      } else {
        this.runs.push(r);
        this.counts.push(n);
      }
    }
    this.lines += other.lines;
    this.weight += other.weight;
    other.runs = [];
    other.counts = [];
    other.lines = 0;
    other.weight = 0;
  }

  /**
   * True when a batch is due: `maxLines` lines or `maxWeight` held. As with one line at a time, a batch closes on the
   * line that reaches either limit.
   */
  full(maxLines: number, maxWeight: number): boolean {
    return this.lines >= maxLines || this.weight >= maxWeight;
  }

  /** Takes the oldest lines, up to and including the line that reaches `maxLines` or `maxWeight` (all when neither is reached). */
  take(maxLines: number, maxWeight: number): LogRun[] {
    if (!this.full(maxLines, maxWeight)) {
      const all = this.runs;
      this.runs = [];
      this.counts = [];
      this.lines = 0;
      this.weight = 0;
      return all;
    }
    const out: LogRun[] = [];
    let lines = 0;
    let weight = 0;
    let i = 0;
    for (; i < this.runs.length; i++) {
      const r = this.runs[i] as LogRun;
      const n = this.counts[i] as number;
      const w = lineWeight(r.text.length - (n - 1), n);
      if (lines + n < maxLines && weight + w < maxWeight) {
        out.push(r);
        lines += n;
        weight += w;
        continue;
      }
      // This run holds the line that closes the batch: take its lines up to that one, leave the rest.
      let k = 0;
      let at = -1;
      do {
        const from = at + 1;
        const nl = r.text.indexOf('\n', from);
        const end = nl === -1 ? r.text.length : nl;
        k++;
        lines++;
        weight += lineWeight(end - from, 1);
        at = end;
      } while (k < n && lines < maxLines && weight < maxWeight);
      if (k === n) {
        out.push(r);
        i++;
      } else {
        const head: LogRun = { stream: r.stream, text: r.text.slice(0, at) };
        const tail: LogRun = { stream: r.stream, text: r.text.slice(at + 1) };
        if (r.ts) {
          head.ts = r.ts.slice(0, k);
          tail.ts = r.ts.slice(k);
          // A part whose lines have no time carries none, as a run built from those lines would.
          if (head.ts.every((t) => t === null)) delete head.ts;
          if (tail.ts.every((t) => t === null)) delete tail.ts;
        }
        out.push(head);
        this.runs[i] = tail;
        this.counts[i] = n - k;
      }
      break;
    }
    this.runs.splice(0, i);
    this.counts.splice(0, i);
    this.lines -= lines;
    this.weight -= weight;
    return out;
  }
}

/** Collects lines as one object each (tests, and code that wants them so). */
export class LineList implements LineSink {
  readonly lines: LogLine[] = [];

  line(stream: OutStream, text: string, ts: string | undefined): void {
    this.lines.push(ts === undefined ? { stream, text } : { stream, text, ts });
  }

  block(stream: OutStream, text: string): void {
    for (const t of text.split('\n')) this.lines.push({ stream, text: t });
  }
}
