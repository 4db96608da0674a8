import { describe, expect, it } from 'vitest';
import { DemuxError, FrameDemuxer, encodeFrame, type DemuxFragment } from '../../../app/core/log-demux';

const enc = new TextEncoder();
const frame = (s: 'stdin' | 'stdout' | 'stderr' | 'system', text: string) => encodeFrame(s, enc.encode(text));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** Joins fragments back into whole frames: [stream, text]. */
function frames(frags: DemuxFragment[]): Array<[string, string]> {
  const out: Array<[string, number[]]> = [];
  for (const f of frags) {
    if (f.frameStart || out.length === 0) out.push([f.stream, []]);
    const last = out[out.length - 1] as [string, number[]];
    expect(last[0]).toBe(f.stream);
    last[1].push(...f.data);
  }
  return out.map(([s, b]) => [s, new TextDecoder().decode(new Uint8Array(b))]);
}

describe('FrameDemuxer', () => {
  const stream = concat(frame('stdout', 'o1\n'), frame('stderr', 'e1\n'), frame('stdout', 'o2 longer line\n'), frame('system', 'boom'), frame('stdin', 'in'));
  const expected = [
    ['stdout', 'o1\n'],
    ['stderr', 'e1\n'],
    ['stdout', 'o2 longer line\n'],
    ['system', 'boom'],
    ['stdout', 'in'],
  ];

  it('splits a whole buffer into frames by stream', () => {
    const d = new FrameDemuxer();
    expect(frames(d.push(stream))).toEqual(expected);
    expect(d.midFrame).toBe(false);
  });

  it('gives the same frames whatever the chunking: every split point, and byte by byte', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const d = new FrameDemuxer();
      const frags = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(frames(frags)).toEqual(expected);
    }
    const d = new FrameDemuxer();
    const frags: DemuxFragment[] = [];
    for (let i = 0; i < stream.length; i++) frags.push(...d.push(stream.subarray(i, i + 1)));
    expect(frames(frags)).toEqual(expected);
  });

  it('marks only the first piece of a frame as its start, and reports a cut-off frame', () => {
    const d = new FrameDemuxer();
    const f = frame('stderr', 'abcdef');
    const a = d.push(f.subarray(0, 10));
    expect(a).toEqual([{ stream: 'stderr', data: enc.encode('ab'), frameStart: true }]);
    expect(d.midFrame).toBe(true);
    const b = d.push(f.subarray(10));
    expect(b).toEqual([{ stream: 'stderr', data: enc.encode('cdef'), frameStart: false }]);
    expect(d.midFrame).toBe(false);
    d.push(f.subarray(0, 3));
    expect(d.midFrame).toBe(true);
  });

  it('skips empty frames and handles sizes above 16 bits', () => {
    const big = 'x'.repeat(70_000);
    const d = new FrameDemuxer();
    expect(frames(d.push(concat(frame('stdout', ''), frame('stderr', big), frame('stdout', 'y'))))).toEqual([
      ['stderr', big],
      ['stdout', 'y'],
    ]);
  });

  it('refuses a stream that is not multiplexed (e.g. a TTY stream)', () => {
    const d = new FrameDemuxer();
    expect(() => d.push(enc.encode('hello world\n'))).toThrow(DemuxError);
    expect(() => new FrameDemuxer().push(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1, 65, 9, 0, 0, 0, 0, 0, 0, 1]))).toThrow(
      new DemuxError('Not a multiplexed stream: unexpected frame header 09 00 00 00 00 00 00 01.'),
    );
  });

  it('hands out plain Uint8Array views of a Buffer chunk, not copies', () => {
    const buf = Buffer.concat([frame('stdout', 'out\n'), frame('stderr', 'err\n')]);
    const frags = new FrameDemuxer().push(buf);
    expect(frames(frags)).toEqual([
      ['stdout', 'out\n'],
      ['stderr', 'err\n'],
    ]);
    for (const f of frags) {
      expect(Object.getPrototypeOf(f.data)).toBe(Uint8Array.prototype);
      expect(f.data.buffer).toBe(buf.buffer);
    }
  });
});
