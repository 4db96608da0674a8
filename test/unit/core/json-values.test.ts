import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JsonStreamError, jsonValues } from '../../../app/core/json-stream';
import { readJsonLines } from '../../../app/adapters/engine/docker-api/images-stream';
import { readStatsStream } from '../../../app/adapters/engine/docker-api/stats-stream';
import type { IncomingMessage } from 'node:http';

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
};

/** A byte stream cut at every position of `text` in turn (one byte a chunk, UTF-8 split too). */
const bytewise = (text: string) => Readable.from([...Buffer.from(text)].map((b) => Buffer.from([b])));

describe('jsonValues: the one reader of the engine JSON streams', () => {
  it('yields whole values whatever the chunking, glued or on lines, with UTF-8 split across chunks', async () => {
    const text = '{"a":"é€"}\n{"b":[1,{"c":"}"}]}{"d":2}\r\n\n{"e":"\\"x"}';
    expect(await collect(jsonValues(bytewise(text)))).toEqual([{ a: 'é€' }, { b: [1, { c: '}' }] }, { d: 2 }, { e: '"x' }]);
  });

  it('yields a line that is not JSON as a JsonStreamError carrying the whole line', async () => {
    const [v] = await collect(jsonValues(Readable.from(['Step 1/2 : FROM busybox\n'])));
    expect(v).toBeInstanceOf(JsonStreamError);
    expect((v as JsonStreamError).raw).toBe('Step 1/2 : FROM busybox');
  });

  it('progress readers keep plain lines as output and skip undecodable stats', async () => {
    const seen: Array<Record<string, unknown>> = [];
    await readJsonLines(bytewise('{"status":"Pulling"}\nplain text\n{"stream":"ok\\n"}'), (v) => seen.push(v), new AbortController().signal, 'test');
    expect(seen).toEqual([{ status: 'Pulling' }, { stream: 'plain text\n' }, { stream: 'ok\n' }]);
    const samples: unknown[] = [];
    await readStatsStream(bytewise('{"read":"2024-01-01T00:00:00Z"}\nnot json\n{"read":"x"}') as unknown as IncomingMessage, (s) => void samples.push(s));
    expect(samples).toEqual([{ read: '2024-01-01T00:00:00Z' }, { read: 'x' }]);
  });
});
