import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../../../app/adapters/engine/docker-api/images-stream';
import { BerthError } from '../../../app/contract/errors';

const never = new AbortController().signal;

describe('readJsonLines: values as each chunk arrives', () => {
  it('hands every value over in order, whatever the chunking, and ends with the stream', async () => {
    const text = '{"id":"moby.buildkit.trace","aux":"Cg=="}\r\n{"stream":"a\\n"}{"x":1}\nplain\n{"id":"moby.image.id","aux":{"ID":"sha256:1"}}';
    for (const size of [1, 3, 17, text.length]) {
      const chunks: Buffer[] = [];
      const b = Buffer.from(text);
      for (let i = 0; i < b.length; i += size) chunks.push(b.subarray(i, i + size));
      const seen: unknown[] = [];
      await readJsonLines(Readable.from(chunks), (v) => seen.push(v), never, 'test');
      expect(seen).toEqual([{ id: 'moby.buildkit.trace', aux: 'Cg==' }, { stream: 'a\n' }, { x: 1 }, { stream: 'plain\n' }, { id: 'moby.image.id', aux: { ID: 'sha256:1' } }]);
    }
  });

  it("a value whose handler throws ends the read with that error, and the stream is destroyed (no value after it)", async () => {
    const s = Readable.from([Buffer.from('{"a":1}\n{"a":2}\n{"a":3}\n')]);
    const seen: unknown[] = [];
    const read = readJsonLines(s, (v) => {
      seen.push(v);
      if (v.a === 2) throw new Error('not a status');
    }, never, 'test');
    await expect(read).rejects.toThrow('not a status');
    expect(seen).toEqual([{ a: 1 }, { a: 2 }]);
    expect(s.destroyed).toBe(true);
  });

  it('a stream that fails (or is destroyed with an error by the reader) rejects with its error', async () => {
    const s = new PassThrough();
    const seen: unknown[] = [];
    const read = readJsonLines(s, (v) => seen.push(v), never, 'test');
    s.write('{"a":1}\n');
    await new Promise((r) => setImmediate(r));
    s.destroy(new Error('connection reset'));
    await expect(read).rejects.toThrow('connection reset');
    expect(seen).toEqual([{ a: 1 }]);
  });

  it('a stream closed before its end (the engine dropped it) rejects', async () => {
    const s = new PassThrough();
    const read = readJsonLines(s, () => undefined, never, 'test');
    s.write('{"a":1}\n');
    await new Promise((r) => setImmediate(r));
    s.destroy();
    await expect(read).rejects.toThrow(/premature close/i);
  });

  it('an abort destroys the stream and rejects with CANCELLED (also when aborted before the read)', async () => {
    const s = new PassThrough();
    const ctrl = new AbortController();
    const read = readJsonLines(s, () => undefined, ctrl.signal, 'build x');
    s.write('{"a":1}\n');
    await new Promise((r) => setImmediate(r));
    ctrl.abort();
    const err = await read.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).code).toBe('CANCELLED');
    expect(s.destroyed).toBe(true);
    const s2 = new PassThrough();
    const err2 = await readJsonLines(s2, () => undefined, ctrl.signal, 'build x').catch((e: unknown) => e);
    expect((err2 as BerthError).code).toBe('CANCELLED');
    expect(s2.destroyed).toBe(true);
  });

  it('a value larger than the limit fails the read', async () => {
    const s = Readable.from([Buffer.from('{"a":"'), Buffer.alloc(16 * 1024 * 1024 + 10, 0x61), Buffer.from('"}\n')]);
    await expect(readJsonLines(s, () => undefined, never, 'test')).rejects.toThrow(/exceeded/);
  });
});
