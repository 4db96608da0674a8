/**
 * Groups items from a pull-based source into batches: a batch is handed out when it holds
 * `maxItems` items or `maxChars` characters, or `intervalMs` after its first item arrived,
 * whichever comes first, and at the end of the source.
 *
 * Memory is bounded and a slow consumer slows the source down instead of growing buffers:
 * the source is only pulled while the current batch is not full, and at most one pull is
 * outstanding while a batch waits for its deadline. So at most one batch plus one source
 * chunk are held here; the source (an HTTP response) is then paused and the engine waits.
 * Nothing is dropped.
 */

export interface BatchOptions {
  /** Default 500. */
  maxItems?: number;
  /** Default 1 Mi characters. */
  maxChars?: number;
  /** Default 50 ms. */
  intervalMs?: number;
}

export const DEFAULT_BATCH = { maxItems: 500, maxChars: 1024 * 1024, intervalMs: 50 } as const;

const TICK = Symbol('tick');

/**
 * Batches a source of item arrays (e.g. the lines found in each received chunk).
 * `size` measures an item for `maxChars` (default: 1 per item).
 */
export async function* batchItems<T>(source: AsyncIterable<readonly T[]>, opts: BatchOptions = {}, size: (item: T) => number = () => 1): AsyncGenerator<T[], void, undefined> {
  const maxItems = Math.max(1, opts.maxItems ?? DEFAULT_BATCH.maxItems);
  const maxChars = Math.max(1, opts.maxChars ?? DEFAULT_BATCH.maxChars);
  const intervalMs = Math.max(0, opts.intervalMs ?? DEFAULT_BATCH.intervalMs);
  const it = source[Symbol.asyncIterator]();
  let batch: T[] = [];
  let chars = 0;
  let deadline = 0;
  // One timer per batch (set by its first item), not one per pull: a fast source hands over many chunks per batch.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tick: Promise<typeof TICK> | null = null;
  const startBatch = () => {
    deadline = Date.now() + intervalMs;
    tick = new Promise((resolve) => (timer = setTimeout(resolve, intervalMs, TICK)));
  };
  const takeBatch = (): T[] => {
    const out = batch;
    batch = [];
    chars = 0;
    clearTimeout(timer);
    tick = null;
    return out;
  };
  let next: Promise<IteratorResult<readonly T[]>> | null = null;
  let finished = false;
  try {
    for (;;) {
      next ??= it.next();
      let r: IteratorResult<readonly T[]> | typeof TICK;
      if (tick === null) r = await next;
      else r = Date.now() >= deadline ? TICK : await Promise.race([next, tick]);
      if (r === TICK) {
        yield takeBatch();
        continue;
      }
      next = null;
      if (r.done) {
        finished = true;
        break;
      }
      for (const item of r.value) {
        if (batch.length === 0) startBatch();
        batch.push(item);
        chars += size(item);
        if (batch.length >= maxItems || chars >= maxChars) yield takeBatch();
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    clearTimeout(timer);
    if (!finished) {
      // The consumer stopped early (or the source failed). A pull may still be pending
      // on a source that waits for data; its owner ends it (abort), we only let it go.
      next?.catch(() => undefined);
      const ret = it.return?.();
      if (ret && next === null) await ret.catch(() => undefined);
      else ret?.catch(() => undefined);
    }
  }
}
