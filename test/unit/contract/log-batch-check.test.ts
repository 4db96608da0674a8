import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { isLogBatch, LogBatch, logLines, logRuns, logsApi } from '../../../app/contract/logs';
import { checkedAgainst, checkFast } from '../../../app/contract/checked';
import { expectAgreesWithZod } from './agrees-with-zod';
import { createRpcServer } from '../../../app/api/rpc-server';
import type { ServerMsg } from '../../../app/contract/wire';

const T = '2024-01-01T00:00:00.000000001Z';
const run = (extra: Record<string, unknown> = {}) => ({ stream: 'stdout', text: 'hello', ...extra });

/** Batches the hand check must take: exactly what LogBatch.parse returns unchanged. */
const GOOD: unknown[] = [
  { runs: [] },
  { runs: [run(), run({ stream: 'stderr', text: '' }), run({ ts: [T] })] },
  { runs: [run({ text: 'a\n\nb', ts: [T, null, T] }), run({ stream: 'stderr', text: '\n', ts: [null, null] }), run({ text: 'c\nd' })] },
  // Two runs of one stream in a row are valid (a producer merges them, a reader must not rely on it).
  { runs: [run(), run()] },
  { runs: [run({ text: 'x'.repeat(70_000) + '€\u0000"\\\r' })] },
];

/** Batches it must refuse: invalid ones (a parse fails) and valid ones a parse would change (keys stripped). */
const BAD: unknown[] = [
  null,
  'runs',
  [],
  {},
  { runs: null },
  { runs: {} },
  { runs: [null] },
  { runs: [[]] },
  { lines: [{ stream: 'stdout', text: 'the old format' }] },
  { runs: [run({ stream: 'system' })] },
  { runs: [run({ stream: undefined })] },
  { runs: [run({ text: 1 })] },
  { runs: [run({ text: undefined })] },
  { runs: [run({ text: ['a', 'b'] })] },
  { runs: [run({ ts: T })] },
  { runs: [run({ ts: 5 })] },
  { runs: [run({ ts: null })] },
  { runs: [run({ ts: [5] })] },
  { runs: [run({ ts: [undefined] })] },
  // One time per line, no more, no fewer:
  { runs: [run({ ts: [] })] },
  { runs: [run({ ts: [T, T] })] },
  { runs: [run({ text: 'a\nb', ts: [T] })] },
  { runs: [run({ text: 'a\nb', ts: [T, null, null] })] },
  // eslint-disable-next-line no-sparse-arrays
  { runs: [run({ text: 'a\nb', ts: [, T] })] },
  { runs: [run(), run({ stream: 'STDOUT' })] },
  // Valid, but not as a parse returns them:
  { runs: [run({ extra: 1 })] },
  { runs: [], more: true },
];

/** Valid, but left to the parse (the hand check is never laxer, may be stricter): a key present as undefined. */
const LEFT_TO_PARSE: unknown[] = [{ runs: [run({ ts: undefined })] }];

describe('logRuns and logLines (the runs of a batch from lines, and back)', () => {
  const L = (stream: 'stdout' | 'stderr', text: string, ts?: string) => (ts === undefined ? { stream, text } : { stream, text, ts });
  it('groups consecutive lines of one stream, keeps the order across streams, times only where a run has one', () => {
    const lines = [L('stdout', 'a'), L('stdout', ''), L('stderr', 'e1', T), L('stdout', 'b'), L('stdout', 'c', T), L('stderr', 'e2'), L('stderr', '')];
    const runs = logRuns(lines);
    expect(runs).toEqual([
      { stream: 'stdout', text: 'a\n' },
      { stream: 'stderr', text: 'e1', ts: [T] },
      { stream: 'stdout', text: 'b\nc', ts: [null, T] },
      { stream: 'stderr', text: 'e2\n' },
    ]);
    expect(isLogBatch({ runs })).toBe(true);
    expect(LogBatch.parse({ runs })).toEqual({ runs });
    expect(logLines({ runs })).toEqual(lines);
    expect(logRuns([])).toEqual([]);
    expect(logLines({ runs: [] })).toEqual([]);
  });
});

describe('isLogBatch (the hand check of a logs.stream batch)', () => {
  it('takes every batch LogBatch.parse returns unchanged; refuses what LogBatch rejects, and what a parse would strip', () => {
    expectAgreesWithZod(isLogBatch, LogBatch, { takes: GOOD, refuses: BAD, leftToSchema: LEFT_TO_PARSE });
  });

  it('checkFast marks a batch as checked only when the hand check passes, and returns it uncopied', () => {
    const good = { runs: [run()] };
    expect(checkFast(LogBatch, good, isLogBatch)).toBe(good);
    expect(checkedAgainst(LogBatch, good)).toBe(true);
    expect(checkedAgainst(z.object({ runs: z.array(z.unknown()) }), good)).toBe(false);
    const bad = { runs: [run({ stream: 'system' })] };
    expect(checkFast(LogBatch, bad, isLogBatch)).toBe(bad);
    expect(checkedAgainst(LogBatch, bad)).toBe(false);
  });

  it('the RPC server sends a hand-checked batch as it is and still refuses a bad one', async () => {
    const sent: ServerMsg[] = [];
    const batches = [{ runs: [run()] }, { runs: [run({ text: 'a\nb', ts: [T] })] }];
    const server = createRpcServer(
      { 'logs.stream': logsApi['logs.stream'] },
      {
        'logs.stream': async (_input, emit) => {
          for (const b of batches) await emit(checkFast(LogBatch, b, isLogBatch) as never);
        },
      },
    );
    let onServer: (raw: unknown) => void = () => undefined;
    const done = new Promise<void>((resolve) =>
      server.serve({
        send: (m) => {
          sent.push(m);
          if (m.t === 'err' || m.t === 'end') resolve();
        },
        onMessage: (cb) => (onServer = cb),
        onClose: () => undefined,
      }),
    );
    onServer({ t: 'sub', id: 1, method: 'logs.stream', input: { id: 'c1' } });
    await done;
    expect(sent[0]).toMatchObject({ t: 'data', id: 1 });
    expect((sent[0] as { data: unknown }).data).toBe(batches[0]);
    expect(sent[1]).toMatchObject({ t: 'err', id: 1, error: { code: 'INTERNAL', message: expect.stringContaining('invalid result for logs.stream') } });
  });
});
