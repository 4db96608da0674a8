/**
 * Exponential backoff with jitter, pure: the caller owns the timers.
 *
 * Attempt n waits between half and all of `min(capMs, baseMs * factor^n)` ("equal jitter"):
 * retries never hammer an engine that is down, yet many clients restarting together spread out.
 */
export interface BackoffOptions {
  /** The first delay's ceiling (default 250 ms). */
  baseMs?: number;
  /** No delay exceeds this (default 10 s). */
  capMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 250, capMs: 10_000, factor: 2 };

/** The delay before retry number `attempt` (0-based). `random` returns a number in [0, 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const { baseMs, capMs, factor } = { ...DEFAULT_BACKOFF, ...opts };
  if (!(baseMs > 0) || !(capMs >= baseMs) || !(factor >= 1)) {
    throw new RangeError(`Invalid backoff: base ${baseMs} ms, cap ${capMs} ms, factor ${factor}`);
  }
  const n = Math.max(0, Math.floor(attempt));
  // factor^n overflows to Infinity for large n, which min() turns into the cap.
  const ceiling = Math.min(capMs, baseMs * factor ** n);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

/** Counts attempts; `reset()` after a success. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly opts: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {}

  /** The next delay, and counts the attempt. */
  next(): number {
    return backoffDelay(this.attempt++, this.opts, this.random);
  }

  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
