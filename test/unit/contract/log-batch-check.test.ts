import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isLogBatch, LogBatch, logsApi } from '../../../app/contract/logs';
import { checkedAgainst, checkFast } from '../../../app/contract/checked';
import { createRpcServer } from '../../../app/api/rpc-server';
import type { ServerMsg } from '../../../app/contract/wire';

const T = '2024-01-01T00:00:00.000000001Z';
const line = (extra: Record<string, unknown> = {}) => ({ stream: 'stdout', text: 'hello', ...extra });

/** Batches the hand check must take: exactly what LogBatch.parse returns unchanged. */
const GOOD: unknown[] = [{ lines: [] }, { lines: [line(), line({ stream: 'stderr', text: '' }), line({ ts: T })] }, { lines: [line({ text: 'x'.repeat(70_000) + '€\u0000"\\' })] }];

/** Batches it must refuse: invalid ones (a parse fails) and valid ones a parse would change (keys stripped). */
const BAD: unknown[] = [
  null,
  'lines',
  [],
  {},
  { lines: null },
  { lines: {} },
  { lines: [null] },
  { lines: [[]] },
  { lines: [line({ stream: 'system' })] },
  { lines: [line({ stream: undefined })] },
  { lines: [line({ text: 1 })] },
  { lines: [line({ text: undefined })] },
  { lines: [line({ ts: 5 })] },
  { lines: [line({ ts: null })] },
  { lines: [line(), line({ stream: 'STDOUT' })] },
  // Valid, but not as a parse returns them:
  { lines: [line({ extra: 1 })] },
  { lines: [], more: true },
];

/** Valid, but left to the parse (the hand check is never laxer, may be stricter): a key present as undefined. */
const LEFT_TO_PARSE: unknown[] = [{ lines: [line({ ts: undefined })] }];

describe('isLogBatch (the hand check of a logs.stream batch)', () => {
  it('takes every batch LogBatch.parse returns unchanged', () => {
    for (const b of GOOD) {
      expect(LogBatch.parse(b)).toEqual(b);
      expect(isLogBatch(b)).toBe(true);
    }
  });

  it('refuses what LogBatch rejects, and what a parse would strip', () => {
    for (const b of BAD) {
      expect(isLogBatch(b), JSON.stringify(b)).toBe(false);
      const r = LogBatch.safeParse(b);
      if (r.success) expect(r.data).not.toStrictEqual(b);
    }
    for (const b of LEFT_TO_PARSE) {
      expect(isLogBatch(b)).toBe(false);
      expect(LogBatch.safeParse(b).success).toBe(true);
    }
  });

  it('checkFast marks a batch as checked only when the hand check passes, and returns it uncopied', () => {
    const good = { lines: [line()] };
    expect(checkFast(LogBatch, good, isLogBatch)).toBe(good);
    expect(checkedAgainst(LogBatch, good)).toBe(true);
    expect(checkedAgainst(z.object({ lines: z.array(z.unknown()) }), good)).toBe(false);
    const bad = { lines: [line({ stream: 'system' })] };
    expect(checkFast(LogBatch, bad, isLogBatch)).toBe(bad);
    expect(checkedAgainst(LogBatch, bad)).toBe(false);
  });

  it('the RPC server sends a hand-checked batch as it is and still refuses a bad one', async () => {
    const sent: ServerMsg[] = [];
    const batches = [{ lines: [line()] }, { lines: [line({ stream: 'system' })] }];
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
