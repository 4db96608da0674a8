import { BerthError, type ErrorShape } from '../../../app/contract/errors';
import type { PullDone, TransferProgress } from '../../../app/contract/images';
import { toErrorShape } from '../../lib/errors';
import { inspectImage, pullImage } from '../../stores/images';

/** As `docker run --pull`: pull when the image is not here (the default), every time, or never. */
export type PullPolicy = 'missing' | 'always' | 'never';

export const PULL_POLICIES: readonly { value: PullPolicy; label: string }[] = [
  { value: 'missing', label: 'When missing' },
  { value: 'always', label: 'Always' },
  { value: 'never', label: 'Never' },
];

const MISSING = new Set(['IMAGE_NOT_FOUND', 'NOT_FOUND']);

/** Whether the engine has the image. Only "not found" means no; any other failure is thrown as is. */
export async function hasImage(ref: string): Promise<boolean> {
  try {
    await inspectImage(ref);
    return true;
  } catch (e) {
    if (MISSING.has(toErrorShape(e).code)) return false;
    throw e;
  }
}

/** Whether to pull before running, by the policy. */
export async function shouldPull(policy: PullPolicy, ref: string): Promise<boolean> {
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return !(await hasImage(ref));
}

/**
 * Pulls `ref`, reporting progress (null when the link to the core dropped and the pull started
 * again); resolves when the image is in the engine, rejects with the engine's error. `lazy`: through the
 * stargz snapshotter (engines with lazyPull); the container then runs on it.
 */
export function pullWithProgress(ref: string, onProgress: (p: TransferProgress | null) => void, opts: { lazy?: boolean; platform?: string } = {}): { done: Promise<PullDone>; cancel(): void } {
  let settle: { ok(d: PullDone): void; fail(e: ErrorShape): void } | null = null;
  const done = new Promise<PullDone>((ok, fail) => {
    settle = { ok, fail: (e) => fail(BerthError.fromShape(e)) };
  });
  const finish = (f: (s: NonNullable<typeof settle>) => void) => {
    const s = settle;
    settle = null;
    if (s) f(s);
  };
  const cancel = pullImage(
    { ref, ...(opts.lazy ? { lazy: true } : {}), ...(opts.platform ? { platform: opts.platform } : {}) },
    {
      onItem: (item) => {
        if (item.done) finish((s) => s.ok(item));
        else onProgress(item);
      },
      onError: (err) => finish((s) => s.fail(err.toShape())),
      onEnd: () => finish((s) => s.fail({ code: 'INTERNAL', message: `The pull of ${ref} ended without saying whether it finished.`, hint: 'Look at the Images page, then try again.' })),
      onRestart: () => onProgress(null),
    },
  );
  return {
    done,
    cancel: () => {
      finish((s) => s.fail({ code: 'CANCELLED', message: `The pull of ${ref} was cancelled.` }));
      cancel();
    },
  };
}
