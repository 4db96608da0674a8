import { describe, expect, it } from 'vitest';
import { LineAssembler, type LogLine } from '../../../app/core/log-lines';
import { LineList } from '../../../app/core/log-runs';

const enc = new TextEncoder();

function feed(a: LineAssembler, chunks: Array<Uint8Array | string | [string, boolean]>): LogLine[] {
  const out = new LineList();
  for (const c of chunks) {
    if (Array.isArray(c)) a.push(enc.encode(c[0]), out, c[1]);
    else a.push(typeof c === 'string' ? enc.encode(c) : c, out);
  }
  a.end(out);
  return out.lines;
}
const texts = (ls: LogLine[]) => ls.map((l) => l.text);

describe('LineAssembler', () => {
  it('splits lines, joins lines split across chunks, and emits a last line without newline at the end', () => {
    const out = feed(new LineAssembler('stdout'), ['a\nb', 'c\n\nd', 'e']);
    expect(texts(out)).toEqual(['a', 'bc', '', 'de']);
    expect(out.every((l) => l.stream === 'stdout' && l.ts === undefined)).toBe(true);
  });

  it('drops one trailing carriage return (TTY line endings)', () => {
    expect(texts(feed(new LineAssembler('stdout'), ['one\r\ntwo\r', '\nthree\r\r\n']))).toEqual(['one', 'two', 'three\r']);
  });

  it('keeps multi-byte characters split across chunks at every byte boundary', () => {
    const text = 'héllo 世界 🚀 ok\n';
    const bytes = enc.encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(texts(feed(new LineAssembler('stderr'), [bytes.subarray(0, cut), bytes.subarray(cut)]))).toEqual(['héllo 世界 🚀 ok']);
    }
    const oneByOne: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i++) oneByOne.push(bytes.subarray(i, i + 1));
    expect(texts(feed(new LineAssembler('stderr'), oneByOne))).toEqual(['héllo 世界 🚀 ok']);
  });

  it('replaces invalid UTF-8 and a sequence cut off by the end of the stream', () => {
    expect(texts(feed(new LineAssembler('stdout'), [new Uint8Array([0x61, 0xff, 0x62, 0x0a, 0xe4, 0xb8])]))).toEqual(['a\uFFFDb', '\uFFFD']);
  });

  it('cuts a line longer than maxLineChars into pieces (bounded memory)', () => {
    const a = new LineAssembler('stdout', { maxLineChars: 4 });
    const out = new LineList();
    a.push(enc.encode('abcdefghij'), out);
    expect(texts(out.lines)).toEqual(['abcd', 'efgh']);
    a.push(enc.encode('k\nxyz\n'), out);
    a.end(out);
    expect(texts(out.lines)).toEqual(['abcd', 'efgh', 'ijk', 'xyz']);
  });

  describe('timestamps', () => {
    const T1 = '2024-05-06T07:08:09.123456789Z';
    const T2 = '2024-05-06T07:08:10.000000001Z';

    it('moves the RFC 3339 prefix of each message into ts (frames: one message each)', () => {
      const out = feed(new LineAssembler('stdout', { timestamps: true }), [[`${T1} first line\n`, true], [`${T2} second  with spaces \n`, true]]);
      expect(out).toEqual([
        { stream: 'stdout', text: 'first line', ts: T1 },
        { stream: 'stdout', text: 'second  with spaces ', ts: T2 },
      ]);
    });

    it('parses a timestamp split across chunks at every point', () => {
      const msg = `${T1} hello\n`;
      for (let cut = 1; cut < msg.length; cut++) {
        const out = feed(new LineAssembler('stdout', { timestamps: true }), [[msg.slice(0, cut), true], [msg.slice(cut), false]]);
        expect(out).toEqual([{ stream: 'stdout', text: 'hello', ts: T1 }]);
      }
    });

    it('finds a timestamp after every newline (TTY: no frames)', () => {
      const out = feed(new LineAssembler('stdout', { timestamps: true }), [`${T1} a\r\n${T2} b\r\n`]);
      expect(out).toEqual([
        { stream: 'stdout', text: 'a', ts: T1 },
        { stream: 'stdout', text: 'b', ts: T2 },
      ]);
    });

    it('joins a line the engine split into several messages, keeping the first time', () => {
      const out = feed(new LineAssembler('stdout', { timestamps: true }), [[`${T1} part one, `, true], [`${T2} part two\n`, true]]);
      expect(out).toEqual([{ stream: 'stdout', text: 'part one, part two', ts: T1 }]);
    });

    it('leaves text alone when a message has no timestamp, and keeps an empty message line', () => {
      const out = feed(new LineAssembler('stdout', { timestamps: true }), [['no-time here\n', true], [`${T1} \n`, true], ['x'.repeat(60), true]]);
      expect(out).toEqual([
        { stream: 'stdout', text: 'no-time here' },
        { stream: 'stdout', text: '', ts: T1 },
        { stream: 'stdout', text: 'x'.repeat(60) },
      ]);
    });

    it('does not look for timestamps when they were not asked for', () => {
      expect(feed(new LineAssembler('stdout'), [[`${T1} a\n`, true]])).toEqual([{ stream: 'stdout', text: `${T1} a` }]);
    });
  });
});
