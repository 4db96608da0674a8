import { describe, expect, it } from 'vitest';
import { JsonStreamDecoder, JsonStreamError } from '../../../app/core/json-stream';

const enc = (s: string) => new TextEncoder().encode(s);

describe('JsonStreamDecoder', () => {
  const events = [
    { Type: 'container', Action: 'create', Actor: { ID: 'abc', Attributes: { name: 'x{y}"z' } } },
    { Type: 'network', Action: 'connect', Actor: { ID: 'n1', Attributes: { name: 'net', note: 'a \\" } [ b' } } },
    { Type: 'volume', Action: 'destroy', Actor: { ID: 'vol-é', Attributes: {} } },
  ];
  const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';

  it('returns whole values for newline-delimited input in one chunk', () => {
    const d = new JsonStreamDecoder();
    expect(d.push(text)).toEqual(events);
    expect(d.end()).toEqual([]);
  });

  it('reassembles values split at every possible byte, including inside UTF-8 sequences', () => {
    const bytes = enc(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = new JsonStreamDecoder();
      const out = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut)), ...d.end()];
      expect(out).toEqual(events);
    }
  });

  it('finds the end of long strings with escapes in them (backslash runs of both parities, quotes, braces), split at every byte', () => {
    const values = [
      { id: 'moby.buildkit.trace', aux: 'Cj0KB3NoYTI1Njo'.repeat(40) },
      { a: 'ends in a backslash \\', b: '\\"} {[', c: 'x'.repeat(100) + '\\\\' },
      { stream: 'Step 1/2 : RUN echo "}"\n' },
    ];
    const bytes = enc(values.map((v) => JSON.stringify(v)).join('\r\n'));
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = new JsonStreamDecoder();
      expect([...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut)), ...d.end()]).toEqual(values);
    }
  });

  it('handles one byte at a time', () => {
    const d = new JsonStreamDecoder();
    const out: unknown[] = [];
    for (const b of enc(text)) out.push(...d.push(Uint8Array.of(b)));
    expect(out).toEqual(events);
  });

  it('splits values glued together without newlines, or separated by blank lines', () => {
    const d = new JsonStreamDecoder();
    expect(d.push(events.map((e) => JSON.stringify(e)).join(''))).toEqual(events);
    expect(d.push(`\n\n${JSON.stringify(events[0])}\r\n\r\n  [1,{"a":[2]}]`)).toEqual([events[0], [1, { a: [2] }]]);
  });

  it('returns an error in place of an invalid value and goes on', () => {
    const d = new JsonStreamDecoder();
    const out = d.push('{"a":1}\n{"b":tru}\n{"c":3}\n');
    expect(out[0]).toEqual({ a: 1 });
    expect(out[1]).toBeInstanceOf(JsonStreamError);
    expect((out[1] as JsonStreamError).text).toBe('{"b":tru}');
    expect(out[2]).toEqual({ c: 3 });
  });

  it('parses bare scalars up to the end of their line', () => {
    const d = new JsonStreamDecoder();
    expect(d.push('42\n"s"\n')).toEqual([42, 's']);
    expect(d.push('tr')).toEqual([]);
    expect(d.push('ue\n')).toEqual([true]);
    expect(d.push('7')).toEqual([]);
    expect(d.end()).toEqual([7]);
  });

  it('reports a value cut off by the end of the stream', () => {
    const d = new JsonStreamDecoder();
    expect(d.push('{"a":1}{"b":')).toEqual([{ a: 1 }]);
    const out = d.end();
    expect(out).toHaveLength(1);
    expect(out[0]).toBeInstanceOf(JsonStreamError);
    expect((out[0] as Error).message).toMatch(/ended in the middle/);
  });

  it('refuses a value that grows beyond the limit instead of buffering forever', () => {
    const d = new JsonStreamDecoder({ maxValueChars: 64 });
    expect(() => d.push(`{"a":"${'x'.repeat(100)}`)).toThrow(/exceeded 64 characters/);
    expect(d.push('{"ok":true}\n')).toEqual([{ ok: true }]);
  });
});
