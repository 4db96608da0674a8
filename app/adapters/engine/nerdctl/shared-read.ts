import { BerthError } from '../../../contract/errors';
import type { NerdctlContext } from './context';

/**
 * One nerdctl answer shared by the parts of the adapter that ask the same read-only question at about the same time.
 * At start, on the engine's `up`, three parts each ran their own nerdctl: the change feed's `nerdctl version` (the event
 * stream is open once the engine answered), the engine's version right after it (`nerdctl version` again, then `nerdctl
 * info` for rootless and stargz), and the Containers page's first badges (`nerdctl info` again, for the security options).
 * Through `limactl shell` each command is an SSH exec into the guest; on a local containerd each is a process started
 * beside the window's first list. The answer does not change in seconds: a call that is running, or answered less than
 * `maxAgeMs` ago, is shared. A failure is never shared with a later caller.
 */

interface Entry {
  at: number;
  value: Promise<string>;
  /** Settled (answered or failed): `at` is then the time it answered. */
  settled: boolean;
  /** Callers still waiting for it; once every one of them gave up (their signals), the command is stopped. */
  waiting: number;
  stop: AbortController;
}

const caches = new WeakMap<NerdctlContext, Map<string, Entry>>();

export interface SharedReadOptions {
  /** An answer this recent (ms) is shared; a running call always is. */
  maxAgeMs: number;
  /** Start a new call even if one is shared (its answer is then shared with later callers). */
  fresh?: boolean;
  /** Stops this caller's wait; the command itself is stopped once no caller waits for it any more. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** `ctx.exec(op, undefined, args)`, shared as described above (the key is the namespace and the arguments). */
export function readShared(ctx: NerdctlContext, op: string, args: readonly string[], o: SharedReadOptions): Promise<string> {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new Map()));
  const key = JSON.stringify([ctx.namespace, ...args]);
  const have = cache.get(key);
  const now = Date.now();
  let entry: Entry;
  if (!o.fresh && have && (!have.settled || now - have.at < o.maxAgeMs)) entry = have;
  else {
    const stop = new AbortController();
    const value = ctx.exec(op, undefined, args, { signal: stop.signal, ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) });
    const made: Entry = { at: now, value, settled: false, waiting: 0, stop };
    entry = made;
    cache.set(key, made);
    value.then(
      () => {
        made.settled = true;
        made.at = Date.now();
      },
      () => {
        made.settled = true;
        // A failure is for the callers that waited on it, not for later ones.
        if (cache.get(key) === made) cache.delete(key);
      },
    );
  }
  return wait(entry, o.signal);
}

/** The entry's answer for one caller: a CANCELLED error once `signal` aborts, the command stopped when nobody waits. */
function wait(entry: Entry, signal: AbortSignal | undefined): Promise<string> {
  const cancelled = () => new BerthError('CANCELLED', 'Cancelled.');
  if (signal?.aborted) {
    if (!entry.settled && entry.waiting === 0) entry.stop.abort();
    return Promise.reject(cancelled());
  }
  entry.waiting++;
  if (!signal) return entry.value;
  const p = entry.value;
  return new Promise<string>((resolve, reject) => {
    const abort = () => {
      reject(cancelled());
      if (--entry.waiting === 0 && !entry.settled) entry.stop.abort();
    };
    signal.addEventListener('abort', abort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(err);
      },
    );
  });
}

/** How recent a shared `nerdctl version` or `nerdctl info` answer may be (they are asked for together on `up`). */
export const SHARED_READ_MS = 2_000;
export const VERSION_ARGS = ['version', '--format', '{{json .}}'] as const;
export const INFO_ARGS = ['info', '--format', '{{json .}}'] as const;
