import type Docker from 'dockerode';
import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import type { BerthError } from '../../app/contract/errors';
import type { InputOf, OutputOf, SubNames } from '../../app/contract/rpc';
import { openEngineStreams } from '../../app/adapters/engine/docker-api/streams';
import { openSpawnedProcesses } from '../../app/adapters/process/spawn';
import { TEST_LABEL, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import { nerdctlInspect, nerdctlRaw } from '../support/nerdctl-raw';

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
export const openStreams = (): number =>
  // On nerdctl an engine stream is a nerdctl process (the change feed's `nerdctl events` aside).
  testNerdctl() ? openSpawnedProcesses((args) => !args.includes('events')) : openEngineStreams();

/** Creates and starts labelled containers on the private engine; removes them all in cleanup(). */
export function containerFactory(docker: Docker, prefix: string) {
  const n = testNerdctl();
  if (n) return nerdctlContainerFactory(n, prefix);
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

/**
 * The same factory on the private containerd, through the test's own nerdctl: each container offers
 * the few dockerode methods the stream suites use (id, start, kill, wait, inspect, exec().start()).
 */
function nerdctlContainerFactory(n: NonNullable<ReturnType<typeof testNerdctl>>, prefix: string) {
  const made: string[] = [];
  return {
    async run(cmd: string[], opts: { tty?: boolean; memory?: number; start?: boolean } = {}): Promise<Docker.Container> {
      const args = ['create', '--name', `berth-${prefix}-${randomSuffix()}`, '--label', `${TEST_LABEL}=1`, '--network', 'none'];
      if (opts.tty) args.push('-t');
      if (opts.memory) args.push('--memory', String(opts.memory));
      const id = (await nerdctlRaw(n, ...args, useEngine().images.busybox, ...cmd)).stdout.trim().split('\n').pop() ?? '';
      made.push(id);
      if (opts.start !== false) await nerdctlRaw(n, 'start', id);
      const c = {
        id,
        start: () => nerdctlRaw(n, 'start', id),
        kill: (o: { signal?: string } = {}) => nerdctlRaw(n, 'kill', ...(o.signal ? ['--signal', o.signal] : []), id),
        // Docker's Name starts with "/", nerdctl's does not: the suites read it the Docker way.
        inspect: async () => {
          const d = await nerdctlInspect<{ Name: string }>(n, id);
          return { ...d, Name: `/${d.Name}` };
        },
        async wait() {
          await eventually(`${id} to exit`, async () => ((await nerdctlInspect<{ State: { Running: boolean } }>(n, id)).State.Running === false), 30_000);
          const st = (await nerdctlInspect<{ State: { ExitCode: number } }>(n, id)).State;
          return { StatusCode: st.ExitCode };
        },
        exec: async (o: { Cmd: string[] }) => ({ start: async () => nerdctlRaw(n, 'exec', id, ...o.Cmd) }),
      };
      return c as unknown as Docker.Container;
    },
    async cleanup(): Promise<void> {
      if (made.length) await nerdctlRaw(n, 'rm', '-f', ...made).catch(() => undefined);
    },
  };
}
