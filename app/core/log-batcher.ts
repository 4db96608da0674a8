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
import type { LogRun } from '../contract/logs';
import { LogRunBuilder } from './log-runs';

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

/** What a batcher holds between two batches. */
interface Pending<C, B> {
  readonly empty: boolean;
  /** Adds a chunk of the source. */
  add(chunk: C): void;
  /** A batch is due now (a limit is reached). */
  full(): boolean;
  /** The next batch: up to the limits when full, else all that is held. */
  take(): B;
}

/**
 * Batches a source of chunks through `held`. A batch goes out as soon as a limit is reached, `intervalMs` after its
 * first line or item arrived, or at the end of the source.
 */
async function* batchWith<C, B>(source: AsyncIterable<C>, held: Pending<C, B>, intervalMs: number): AsyncGenerator<B, void, undefined> {
  const it = source[Symbol.asyncIterator]();
  let deadline = 0;
  // One timer per batch (set by its first item), not one per pull: a fast source hands over many chunks per batch.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tick: Promise<typeof TICK> | null = null;
  const startBatch = () => {
    deadline = Date.now() + intervalMs;
    tick = new Promise((resolve) => (timer = setTimeout(resolve, intervalMs, TICK)));
  };
  const takeBatch = (): B => {
    const out = held.take();
    clearTimeout(timer);
    tick = null;
    return out;
  };
  let next: Promise<IteratorResult<C>> | null = null;
  let finished = false;
  try {
    for (;;) {
      next ??= it.next();
      let r: IteratorResult<C> | typeof TICK;
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
      const wasEmpty = held.empty;
      held.add(r.value);
      if (wasEmpty && !held.empty) startBatch();
      while (held.full()) {
        yield takeBatch();
        if (!held.empty) startBatch();
      }
    }
    if (!held.empty) yield held.take();
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

/**
 * Batches a source of item arrays (e.g. the lines found in each received chunk).
 * `size` measures an item for `maxChars` (default: 1 per item).
 */
export function batchItems<T>(source: AsyncIterable<readonly T[]>, opts: BatchOptions = {}, size: (item: T) => number = () => 1): AsyncGenerator<T[], void, undefined> {
  const maxItems = Math.max(1, opts.maxItems ?? DEFAULT_BATCH.maxItems);
  const maxChars = Math.max(1, opts.maxChars ?? DEFAULT_BATCH.maxChars);
  let queue: T[] = [];
  let head = 0;
  let heldChars = 0;
  const held: Pending<readonly T[], T[]> = {
    get empty() {
      return head >= queue.length;
    },
    add(chunk) {
      if (head > 0 && head >= queue.length) {
        queue = [];
        head = 0;
      }
      for (const item of chunk) {
        queue.push(item);
        heldChars += size(item);
      }
    },
    full: () => queue.length - head >= maxItems || heldChars >= maxChars,
    take() {
      // Up to and including the item that reaches a limit, as when items are added one at a time.
      const out: T[] = [];
      let chars = 0;
      while (head < queue.length) {
        const item = queue[head++] as T;
        out.push(item);
        chars += size(item);
        if (out.length >= maxItems || chars >= maxChars) break;
      }
      heldChars -= chars;
      if (head >= queue.length) {
        queue = [];
        head = 0;
      }
      return out;
    },
  };
  return batchWith(source, held, Math.max(0, opts.intervalMs ?? DEFAULT_BATCH.intervalMs));
}

/**
 * Batches log lines collected in run builders (one per received chunk) into the runs of LogBatches: up to `maxItems`
 * lines or `maxChars` of lineWeight, a run cut between two lines where a batch ends.
 */
export function batchRuns(source: AsyncIterable<LogRunBuilder>, opts: BatchOptions = {}): AsyncGenerator<LogRun[], void, undefined> {
  const maxLines = Math.max(1, opts.maxItems ?? DEFAULT_BATCH.maxItems);
  const maxWeight = Math.max(1, opts.maxChars ?? DEFAULT_BATCH.maxChars);
  const acc = new LogRunBuilder();
  const held: Pending<LogRunBuilder, LogRun[]> = {
    get empty() {
      return acc.empty;
    },
    add: (chunk) => acc.append(chunk),
    full: () => acc.full(maxLines, maxWeight),
    take: () => acc.take(maxLines, maxWeight),
  };
  return batchWith(source, held, Math.max(0, opts.intervalMs ?? DEFAULT_BATCH.intervalMs));
}
