import type { Logger } from '../ports/logger';

/**
 * The last line of defence of a long-running core: an error nothing else caught is logged
 * (with its stack) and the core keeps serving its other clients, instead of the whole app
 * vanishing under the user. Every socket and stream has its own handler; this one only catches
 * what slipped past them, so each entry here is a bug to fix, never a way to handle errors.
 */
export function installLastResort(log: Logger, proc: NodeJS.Process = process): () => void {
  const onError = (err: unknown, origin: string) => {
    log.error('An error reached the last-resort handler; the core keeps serving', {
      origin,
      error: err instanceof Error ? err.message : String(err),
      stack: err instanceof Error ? (err.stack ?? '') : '',
    });
  };
  const onRejection = (reason: unknown) => onError(reason, 'unhandledRejection');
  proc.on('uncaughtException', onError);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onError);
    proc.off('unhandledRejection', onRejection);
  };
}
