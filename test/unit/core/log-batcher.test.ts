import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchItems } from '../../../app/core/log-batcher';

/** A source the test pushes into; it records how far the consumer pulled. */
function pushSource<T>() {
  const queue: Array<IteratorResult<T[]>> = [];
  let waiting: ((r: IteratorResult<T[]>) => void) | null = null;
  let pulls = 0;
  let returned = false;
  const source: AsyncIterable<T[]> = {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        pulls++;
        const r = queue.shift();
        if (r) return Promise.resolve(r);
        return new Promise((res) => (waiting = res));
      },
      return: () => {
        returned = true;
        return Promise.resolve({ done: true, value: undefined });
      },
    }),
  };
  const deliver = (r: IteratorResult<T[]>) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(r);
    } else queue.push(r);
  };
  return {
    source,
    push: (items: T[]) => deliver({ done: false, value: items }),
    end: () => deliver({ done: true, value: undefined }),
    pulls: () => pulls,
    returned: () => returned,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('batchItems', () => {
  it('flushes at maxItems without waiting, and the rest at the end', async () => {
    async function* src() {
      yield [1, 2, 3];
      yield [4, 5, 6, 7];
    }
    const out: number[][] = [];
    for await (const b of batchItems(src(), { maxItems: 3, intervalMs: 10_000 })) out.push(b);
    expect(out).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('flushes a partial batch intervalMs after its first item', async () => {
    vi.useFakeTimers();
    const s = pushSource<string>();
    const it = batchItems(s.source, { maxItems: 100, intervalMs: 50 })[Symbol.asyncIterator]();
    const first = it.next();
    s.push(['a']);
    await vi.advanceTimersByTimeAsync(20);
    s.push(['b']);
    await vi.advanceTimersByTimeAsync(29);
    let settled = false;
    void first.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(await first).toEqual({ done: false, value: ['a', 'b'] });
    // Nothing pending: no empty batch is sent, the next waits for data.
    const second = it.next();
    await vi.advanceTimersByTimeAsync(500);
    s.push(['c']);
    s.end();
    expect(await second).toEqual({ done: false, value: ['c'] });
    expect((await it.next()).done).toBe(true);
  });

  it('caps a batch by size too', async () => {
    async function* src() {
      yield ['aaaa', 'bbbb', 'cc', 'd'];
    }
    const out: string[][] = [];
    for await (const b of batchItems(src(), { maxItems: 100, maxChars: 8, intervalMs: 10_000 }, (x) => x.length)) out.push(b);
    expect(out).toEqual([['aaaa', 'bbbb'], ['cc', 'd']]);
  });

  it('stops pulling from the source while a full batch waits for a slow consumer (bounded memory)', async () => {
    const s = pushSource<number>();
    for (let i = 0; i < 100; i++) s.push([i * 2, i * 2 + 1]);
    const it = batchItems(s.source, { maxItems: 4, intervalMs: 10_000 })[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual([0, 1, 2, 3]);
    // Only what one batch needed was pulled; 98 chunks are still with the source.
    expect(s.pulls()).toBe(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.pulls()).toBe(2);
    expect((await it.next()).value).toEqual([4, 5, 6, 7]);
    expect(s.pulls()).toBe(4);
  });

  it('lets the source go when the consumer stops early', async () => {
    const s = pushSource<number>();
    s.push([1, 2, 3]);
    for await (const b of batchItems(s.source, { maxItems: 2 })) {
      expect(b).toEqual([1, 2]);
      break;
    }
    expect(s.returned()).toBe(true);
  });

  it('passes a source failure on', async () => {
    async function* src(): AsyncGenerator<number[]> {
      yield [1];
      throw new Error('engine went away');
    }
    const got: number[][] = [];
    await expect(
      (async () => {
        for await (const b of batchItems(src(), { maxItems: 10, intervalMs: 10_000 })) got.push(b);
      })(),
    ).rejects.toThrow('engine went away');
  });
});
