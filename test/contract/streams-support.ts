import type Docker from 'dockerode';
import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import type { BerthError } from '../../app/contract/errors';
import type { InputOf, OutputOf, SubNames } from '../../app/contract/rpc';
import { openEngineStreams } from '../../app/adapters/engine/docker-api/streams';
import { TEST_LABEL, randomSuffix, useEngine } from '../support/engine';

/** A subscription whose items pile up for the test to look at. */
export interface Collected<T> {
  items: T[];
  error: BerthError | null;
  ended: boolean;
  /** Resolves when the subscription ended or failed. */
  done: Promise<void>;
  unsubscribe(): void;
  /** Waits until `pred(items)` holds; fails with what arrived after `timeoutMs`. */
  until(pred: (items: T[]) => boolean, timeoutMs?: number): Promise<T[]>;
}

export function collect<N extends SubNames<Api>>(client: Client<Api>, method: N, input: InputOf<Api[N]>): Collected<OutputOf<Api[N]>> {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const c: Collected<OutputOf<Api[N]>> = {
    items: [],
    error: null,
    ended: false,
    done,
    unsubscribe: () => undefined,
    async until(pred, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(c.items)) {
        if (c.error) throw new Error(`${method} failed: ${c.error.code} ${c.error.message}`);
        if (c.ended) throw new Error(`${method} ended before the condition held; got ${JSON.stringify(c.items).slice(0, 2000)}`);
        if (Date.now() > deadline) throw new Error(`${method}: condition not met in ${timeoutMs} ms; got ${JSON.stringify(c.items).slice(-2000)}`);
        await sleep(25);
      }
      return c.items;
    },
  };
  c.unsubscribe = client.subscribe(method, input, {
    onData: (item) => c.items.push(item),
    onError: (err) => {
      c.error = err;
      finish();
    },
    onEnd: () => {
      c.ended = true;
      finish();
    },
  });
  return c;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `fn` until it returns true (or fails after `timeoutMs`). */
export async function eventually(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(25);
  }
}

/** Engine streams opened by logs/stats/exec in this test process that are still open. */
export const openStreams = openEngineStreams;

/** Creates and starts labelled containers on the private engine; removes them all in cleanup(). */
export function containerFactory(docker: Docker, prefix: string) {
  const made: Docker.Container[] = [];
  return {
    async run(cmd: string[], opts: { tty?: boolean; memory?: number; start?: boolean } = {}): Promise<Docker.Container> {
      const c = await docker.createContainer({
        Image: useEngine().images.busybox,
        name: `berth-${prefix}-${randomSuffix()}`,
        Cmd: cmd,
        Tty: opts.tty ?? false,
        Labels: { [TEST_LABEL]: '1' },
        HostConfig: { ...(opts.memory ? { Memory: opts.memory } : {}), NetworkMode: 'none' },
      });
      made.push(c);
      if (opts.start !== false) await c.start();
      return c;
    },
    async cleanup(): Promise<void> {
      await Promise.allSettled(made.map((c) => c.remove({ force: true })));
    },
  };
}
