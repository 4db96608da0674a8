import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import type { BerthError } from '../../app/contract/errors';
import type { ChangeEvent } from '../../app/contract/events';

export interface Collector {
  readonly items: ChangeEvent[];
  readonly ended: boolean;
  readonly error: BerthError | null;
  /** Resolves with the first item (from `from` on) matching `pred`; rejects after `timeoutMs` listing what came. */
  next(pred: (i: ChangeEvent) => boolean, opts?: { from?: number; timeoutMs?: number }): Promise<ChangeEvent>;
  /** Resolves when the subscription ends or fails. */
  done(timeoutMs?: number): Promise<void>;
  off(): void;
}

/** Subscribes to changes.watch and keeps every item, for tests to wait on. */
export function collectChanges(client: Client<Api>, input: { engineId?: string } = {}): Collector {
  const items: ChangeEvent[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  let error: BerthError | null = null;
  const poke = () => waiters.forEach((w) => w());
  const off = client.subscribe('changes.watch', input, {
    onData: (i) => {
      items.push(i);
      poke();
    },
    onError: (e) => {
      error = e;
      ended = true;
      poke();
    },
    onEnd: () => {
      ended = true;
      poke();
    },
  });
  const waitUntil = <T>(check: () => T | undefined, what: () => string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const w = () => {
        const v = check();
        if (v === undefined) return;
        waiters.delete(w);
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`${what()} within ${timeoutMs} ms; got: ${JSON.stringify(items.slice(-30))}${error ? ` error: ${error.message}` : ''}`));
      }, timeoutMs);
      waiters.add(w);
      w();
    });
  return {
    items,
    get ended() {
      return ended;
    },
    get error() {
      return error;
    },
    next(pred, opts = {}) {
      const from = opts.from ?? 0;
      return waitUntil(() => items.slice(from).find(pred), () => 'No matching change item', opts.timeoutMs ?? 15_000);
    },
    done(timeoutMs = 10_000) {
      return waitUntil(() => (ended ? true : undefined), () => 'The subscription did not end', timeoutMs).then(() => undefined);
    },
    off,
  };
}
