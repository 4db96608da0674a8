import { describe, expect, it } from 'vitest';
import { isLogBatch, LogBatch, logLines, type LogLine } from '../../../app/contract/logs';
import { batchItems, batchRuns } from '../../../app/core/log-batcher';
import { LogDecoder } from '../../../app/core/log-decoder';
import { encodeFrame } from '../../../app/core/log-demux';
import { LineAssembler } from '../../../app/core/log-lines';
import { LineList, LogRunBuilder } from '../../../app/core/log-runs';
import { seededRandom } from '../../support/seeded-random';

const enc = new TextEncoder();

/** What LineAssembler gives for a whole text (no timestamps): lines cut at maxLineChars, one trailing '\r' dropped per ended line. */
function expectedLines(text: string, max: number): string[] {
  const parts = text.split('\n');
  const last = parts.pop() as string;
  const out: string[] = [];
  const cut = (l: string, ended: boolean) => {
    let s = l;
    while (s.length > max) {
      out.push(s.slice(0, max));
      s = s.slice(max);
    }
    if (ended) out.push(s.endsWith('\r') ? s.slice(0, -1) : s);
    else if (s.length > 0) out.push(s);
  };
  for (const p of parts) cut(p, true);
  cut(last, false);
  return out;
}

const PIECES = ['a', 'bc', 'héllo', '世界', '🚀', '\n', '\n', '\n', '\r\n', '\r\r\n', '\r', ' ', 'xxxxxxx'];
function randomText(rnd: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return s;
}

/** Bytes cut at random places (inside characters too). */
function chunks(rnd: () => number, bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(rnd() * (rnd() < 0.3 ? 200 : 9));
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

describe('LineAssembler without timestamps (lines in blocks)', () => {
  it('gives the lines one at a time would give, whatever the chunking, line length limit and line endings', () => {
    const rnd = seededRandom(11);
    for (let round = 0; round < 300; round++) {
      const text = randomText(rnd, 1 + Math.floor(rnd() * 80));
      const max = 1 + Math.floor(rnd() * 12);
      const a = new LineAssembler('stderr', { maxLineChars: max });
      const list = new LineList();
      const runs = new LogRunBuilder();
      const b = new LineAssembler('stderr', { maxLineChars: max });
      for (const c of chunks(rnd, enc.encode(text))) {
        a.push(c, list);
        b.push(c, runs);
      }
      a.end(list);
      b.end(runs);
      const want = expectedLines(text, max);
      expect(list.lines.map((l) => l.text), JSON.stringify({ text, max })).toEqual(want);
      expect(list.lines.every((l) => l.stream === 'stderr' && l.ts === undefined)).toBe(true);
      const batch = { runs: runs.take(Infinity, Infinity) };
      expect(isLogBatch(batch)).toBe(true);
      expect(logLines(batch).map((l) => l.text)).toEqual(want);
      expect(batch.runs.length).toBeLessThanOrEqual(1);
    }
  });

  it('sends the complete lines of a chunk as one block', () => {
    const blocks: Array<[string, number]> = [];
    const a = new LineAssembler('stdout');
    a.push(enc.encode('one\r\ntwo\n\nthree\r\r\nfour'), {
      line: (_s, text) => blocks.push([text, 1]),
      block: (_s, text, n) => blocks.push([text, n]),
    });
    expect(blocks).toEqual([['one\ntwo\n\nthree\r', 4]]);
  });
});

describe('batchRuns (log lines batched as runs)', () => {
  const T = (n: number) => `2024-01-01T00:00:00.${String(n).padStart(9, '0')}Z`;

  it('hands out the same lines in the same batches as batching them one object each, in canonical runs', async () => {
    const rnd = seededRandom(7);
    for (let round = 0; round < 120; round++) {
      // Chunks of lines as a decoder finds them: both streams, some with times, some sent as blocks.
      const lineChunks: LogLine[][] = [];
      const builders: LogRunBuilder[] = [];
      let n = 0;
      for (let c = 0; c < 1 + Math.floor(rnd() * 8); c++) {
        const lines: LogLine[] = [];
        const b = new LogRunBuilder();
        for (let k = 0; k < Math.floor(rnd() * 9); k++) {
          const stream = rnd() < 0.6 ? 'stdout' : 'stderr';
          if (rnd() < 0.3) {
            const texts = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => 'x'.repeat(Math.floor(rnd() * 6)) + String(n++));
            b.block(stream, texts.join('\n'), texts.length);
            for (const text of texts) lines.push({ stream, text });
          } else {
            const text = 'y'.repeat(Math.floor(rnd() * 30)) + String(n++);
            const ts = rnd() < 0.5 ? T(n) : undefined;
            b.line(stream, text, ts);
            lines.push(ts === undefined ? { stream, text } : { stream, text, ts });
          }
        }
        lineChunks.push(lines);
        builders.push(b);
      }
      const opts = { maxItems: 1 + Math.floor(rnd() * 7), maxChars: 20 + Math.floor(rnd() * 150), intervalMs: 60_000 };
      const want: LogLine[][] = [];
      for await (const batch of batchItems((async function* () { yield* lineChunks; })(), opts, (l) => l.text.length + 24)) want.push(batch);
      const got: LogBatch[] = [];
      for await (const runs of batchRuns((async function* () { yield* builders; })(), opts)) got.push({ runs });
      expect(got.map(logLines), JSON.stringify(opts)).toEqual(want);
      for (const batch of got) {
        expect(isLogBatch(batch)).toBe(true);
        expect(LogBatch.parse(batch)).toEqual(batch);
        // Canonical: runs alternate streams, and a run carries times only when one of its lines has one.
        batch.runs.forEach((r, i) => {
          if (i > 0) expect(r.stream).not.toBe(batch.runs[i - 1]?.stream);
          if (r.ts) expect(r.ts.some((t) => t !== null)).toBe(true);
        });
      }
    }
  });

  it('a decoded response in runs: the order of lines across streams is kept exactly', () => {
    const frames = [encodeFrame('stdout', enc.encode('o1\no2\n')), encodeFrame('stderr', enc.encode('e1\n')), encodeFrame('stdout', enc.encode('o3\npart')), encodeFrame('stderr', enc.encode('e2\ne3\n')), encodeFrame('stdout', enc.encode(' end\n'))];
    const d = new LogDecoder({ tty: false });
    const b = new LogRunBuilder();
    for (const f of frames) d.push(f, b);
    d.end(b);
    const batch = { runs: b.take(500, 1 << 20) };
    expect(batch.runs).toEqual([
      { stream: 'stdout', text: 'o1\no2' },
      { stream: 'stderr', text: 'e1' },
      { stream: 'stdout', text: 'o3' },
      { stream: 'stderr', text: 'e2\ne3' },
      { stream: 'stdout', text: 'part end' },
    ]);
  });
});
