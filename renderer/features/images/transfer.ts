import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { TransferProgress } from '../../../app/contract/images';
import type { StreamHandlers } from '../../stores/images';

/** The life of a pull or push in a dialog. */
export type TransferPhase<D> =
  | { kind: 'idle' }
  | { kind: 'running'; progress: TransferProgress | null; restarted: boolean }
  | { kind: 'done'; result: D; progress: TransferProgress | null }
  | { kind: 'failed'; error: ErrorShape; progress: TransferProgress | null }
  | { kind: 'cancelled'; progress: TransferProgress | null };

type Item<D> = TransferProgress | (D & { done: true });

/**
 * Runs one transfer at a time: `start(run)` where `run(handlers)` subscribes and returns the
 * cancel function. Unmounting or `cancel()` cancels it (the core aborts the engine's work).
 */
export function useTransfer<D>() {
  const [phase, setPhase] = useState<TransferPhase<D>>({ kind: 'idle' });
  const cancelRef = useRef<(() => void) | null>(null);
  const progressRef = useRef<TransferProgress | null>(null);

  const stop = () => {
    const c = cancelRef.current;
    cancelRef.current = null;
    c?.();
  };
  useEffect(() => stop, []);

  const start = useCallback((run: (h: StreamHandlers<Item<D>>) => () => void) => {
    stop();
    progressRef.current = null;
    setPhase({ kind: 'running', progress: null, restarted: false });
    let mine = true;
    const cancel = run({
      onItem: (item) => {
        if (!mine) return;
        if (item.done) {
          mine = false;
          cancelRef.current = null;
          setPhase({ kind: 'done', result: item as D, progress: progressRef.current });
          return;
        }
        progressRef.current = item;
        setPhase({ kind: 'running', progress: item, restarted: false });
      },
      onError: (err) => {
        if (!mine) return;
        mine = false;
        cancelRef.current = null;
        setPhase({ kind: 'failed', error: err.toShape(), progress: progressRef.current });
      },
      onEnd: () => {
        if (!mine) return;
        mine = false;
        cancelRef.current = null;
        setPhase({
          kind: 'failed',
          error: { code: 'INTERNAL', message: 'The core ended the transfer without saying whether it finished.', hint: 'Look at the list: refresh it, then try again.' },
          progress: progressRef.current,
        });
      },
      onRestart: () => {
        if (!mine) return;
        progressRef.current = null;
        setPhase({ kind: 'running', progress: null, restarted: true });
      },
    });
    if (mine) cancelRef.current = () => {
      mine = false;
      cancel();
    };
  }, []);

  const cancel = useCallback(() => {
    if (!cancelRef.current) return;
    stop();
    setPhase({ kind: 'cancelled', progress: progressRef.current });
  }, []);

  const reset = useCallback(() => {
    stop();
    setPhase({ kind: 'idle' });
  }, []);

  return { phase, start, cancel, reset };
}

/** Progress to show: while running, when done, or what got through before a failure or cancel. */
export function shownProgress<D>(p: TransferPhase<D>): { progress: TransferProgress | null } | null {
  if (p.kind === 'idle') return null;
  if (p.kind === 'running' || p.kind === 'done') return { progress: p.progress };
  return (p.progress?.layers.length ?? 0) > 0 ? { progress: p.progress } : null;
}
