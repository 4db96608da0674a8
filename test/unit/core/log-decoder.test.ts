import { describe, expect, it } from 'vitest';
import { EngineStreamError, LogDecoder, type LogLine } from '../../../app/core/log-decoder';
import { encodeFrame } from '../../../app/core/log-demux';
import { LineList } from '../../../app/core/log-runs';

const enc = new TextEncoder();
const f = (s: 'stdout' | 'stderr' | 'system', t: string | Uint8Array) => encodeFrame(s, typeof t === 'string' ? enc.encode(t) : t);
const cat = (...p: Uint8Array[]) => Uint8Array.from(p.flatMap((x) => [...x]));

function decodeAll(d: LogDecoder, bytes: Uint8Array, chunk: number): LogLine[] {
  const out = new LineList();
  for (let i = 0; i < bytes.length; i += chunk) d.push(bytes.subarray(i, i + chunk), out);
  d.end(out);
  return out.lines;
}

describe('LogDecoder', () => {
  it('keeps stdout and stderr apart, each cut into lines on its own, whatever the chunking', () => {
    // A stdout line split over two frames with a stderr line in between; a UTF-8 char split across frames.
    const euro = enc.encode('€');
    const bytes = cat(f('stdout', 'o1\npart'), f('stderr', 'e1\n'), f('stdout', ' two\n'), f('stderr', cat(enc.encode('x'), euro.subarray(0, 2))), f('stderr', cat(euro.subarray(2), enc.encode('\n'))));
    for (const chunk of [1, 2, 3, 7, 1000]) {
      expect(decodeAll(new LogDecoder({ tty: false }), bytes, chunk)).toEqual([
        { stream: 'stdout', text: 'o1' },
        { stream: 'stderr', text: 'e1' },
        { stream: 'stdout', text: 'part two' },
        { stream: 'stderr', text: 'x€' },
      ]);
    }
  });

  it('reads a TTY stream as one raw stdout stream', () => {
    expect(decodeAll(new LogDecoder({ tty: true }), enc.encode('a\r\nb\r\n'), 1)).toEqual([
      { stream: 'stdout', text: 'a' },
      { stream: 'stdout', text: 'b' },
    ]);
  });

  it('turns an error frame from the engine into an error', () => {
    const d = new LogDecoder({ tty: false });
    expect(() => d.push(cat(f('stdout', 'ok\n'), f('system', 'log driver failed')), new LineList())).toThrow(new EngineStreamError('log driver failed'));
  });

  it('splits timestamps per frame', () => {
    const T = '2024-01-01T00:00:00.000000001Z';
    expect(decodeAll(new LogDecoder({ tty: false, timestamps: true }), cat(f('stderr', `${T} e\n`), f('stdout', `${T} o\n`)), 5)).toEqual([
      { stream: 'stderr', text: 'e', ts: T },
      { stream: 'stdout', text: 'o', ts: T },
    ]);
  });

  it('reads frames joined in one chunk as it reads them one at a time: lines, streams, timestamps, long lines cut into messages', () => {
    const T = (n: number) => `2024-01-01T00:00:0${n}.00000000${n}Z`;
    // One stream's frames in a row: whole lines, lines cut into two messages (the second keeps the first's time).
    const frames = [
      f('stdout', `${T(1)} one\n`),
      f('stdout', `${T(2)} part `),
      f('stdout', `${T(3)} two\n`),
      f('stdout', `${T(4)} x€`),
      f('stdout', `${T(5)} y\n`),
      f('stderr', `${T(6)} e\n`),
      f('stderr', `${T(7)} no timestamp next\n`),
      f('stderr', 'plain\n'),
      f('stdout', `${T(8)} last`),
    ];
    const bytes = cat(...frames);
    for (const timestamps of [true, false]) {
      const sink = new LineList();
      const d1 = new LogDecoder({ tty: false, timestamps });
      for (const fr of frames) d1.push(fr, sink);
      d1.end(sink);
      const oneByOne: LogLine[] = sink.lines;
      for (const chunk of [1, 3, 17, 64, bytes.length]) expect(decodeAll(new LogDecoder({ tty: false, timestamps }), bytes, chunk)).toEqual(oneByOne);
      if (timestamps) {
        expect(oneByOne).toEqual([
          { stream: 'stdout', text: 'one', ts: T(1) },
          { stream: 'stdout', text: 'part two', ts: T(2) },
          { stream: 'stdout', text: 'x€y', ts: T(4) },
          { stream: 'stderr', text: 'e', ts: T(6) },
          { stream: 'stderr', text: 'no timestamp next', ts: T(7) },
          { stream: 'stderr', text: 'plain' },
          { stream: 'stdout', text: 'last', ts: T(8) },
        ]);
      }
    }
  });
});
