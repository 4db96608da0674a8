import type Docker from 'dockerode';
import { expect } from 'vitest';
import type { Api } from '../../app/contract/api';
import type { Client } from '../../app/contract/client';
import { BerthError, type ErrorCode } from '../../app/contract/errors';
import type { InputOf, OutputOf, SubNames } from '../../app/contract/rpc';
import { buildImage, busyboxContext, randomSuffix, TEST_LABEL, useEngine } from '../support/engine';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A subscription whose items pile up; `settled` resolves when it ends or fails. */
export interface Sub<T> {
  items: T[];
  error: BerthError | null;
  ended: boolean;
  settled: Promise<void>;
  cancel(): void;
  /** Waits until `pred(items)` holds; fails with what arrived when it cannot. */
  until(pred: (items: T[]) => boolean, timeoutMs?: number): Promise<T[]>;
}

export function subscribe<N extends SubNames<Api>>(client: Client<Api>, method: N, input: InputOf<Api[N]>): Sub<OutputOf<Api[N]>> {
  let finish!: () => void;
  const settled = new Promise<void>((r) => (finish = r));
  const s: Sub<OutputOf<Api[N]>> = {
    items: [],
    error: null,
    ended: false,
    settled,
    cancel: () => undefined,
    async until(pred, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(s.items)) {
        if (s.error) throw new Error(`${method} failed: ${s.error.code} ${s.error.message}`);
        if (s.ended) throw new Error(`${method} ended first; got ${JSON.stringify(s.items).slice(-1500)}`);
        if (Date.now() > deadline) throw new Error(`${method}: not met in ${timeoutMs} ms; got ${JSON.stringify(s.items).slice(-1500)}`);
        await sleep(20);
      }
      return s.items;
    },
  };
  s.cancel = client.subscribe(method, input, {
    onData: (item) => s.items.push(item),
    onError: (err) => {
      s.error = err;
      finish();
    },
    onEnd: () => {
      s.ended = true;
      finish();
    },
  });
  return s;
}

/** Runs a subscription to its end; throws its BerthError when it fails. */
export async function runToEnd<N extends SubNames<Api>>(client: Client<Api>, method: N, input: InputOf<Api[N]>): Promise<Array<OutputOf<Api[N]>>> {
  const s = subscribe(client, method, input);
  await s.settled;
  if (s.error) throw s.error;
  return s.items;
}

/** Expects `p` to fail with a BerthError of `code` whose message matches `message`; returns it. */
export async function expectError(p: Promise<unknown>, code: ErrorCode, message?: RegExp | string): Promise<BerthError> {
  let caught: unknown = null;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(BerthError);
  const err = caught as BerthError;
  expect({ code: err.code, message: err.message }).toMatchObject({ code, ...(message ? { message: typeof message === 'string' ? message : expect.stringMatching(message) } : {}) });
  return err;
}

/** A small image FROM the offline busybox, labelled for cleanup; `lines` are extra Dockerfile lines. */
export async function buildSmall(docker: Docker, tag: string, lines: string[] = []): Promise<string> {
  const { images } = useEngine();
  await buildImage(docker, tag, { Dockerfile: [`FROM ${images.busybox}`, `LABEL ${TEST_LABEL}=1`, ...lines].join('\n') });
  return (await docker.getImage(tag).inspect()).Id;
}

/** A fresh busybox-based private dockerd image (for engines other than the shared one). */
export async function buildBusyboxOn(docker: Docker): Promise<string> {
  const tag = useEngine().images.busybox;
  await buildImage(docker, tag, busyboxContext());
  return tag;
}

/** Removes images and containers by ID or name, ignoring what is already gone. */
export async function cleanup(docker: Docker, what: { containers?: string[]; images?: string[] }): Promise<void> {
  for (const c of what.containers ?? []) await docker.getContainer(c).remove({ force: true }).catch(() => undefined);
  for (const i of what.images ?? []) await docker.getImage(i).remove({ force: true }).catch(() => undefined);
}

export const uniq = (prefix: string) => `${prefix}-${randomSuffix()}`;
