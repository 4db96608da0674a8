/**
 * Rate limit of container alerts: at most one per container in `perKeyMs`, and at most
 * `maxPerWindow` in any `windowMs` overall (a crash loop or a mass failure does not flood the desktop).
 */
export class AlertLimiter {
  private readonly lastByKey = new Map<string, number>();
  private recent: number[] = [];

  constructor(private readonly opts: { perKeyMs: number; windowMs: number; maxPerWindow: number } = { perKeyMs: 60_000, windowMs: 60_000, maxPerWindow: 5 }) {}

  /** Whether an alert for `key` may go out at `now`; records it when it may. */
  allow(key: string, now: number): boolean {
    const last = this.lastByKey.get(key);
    if (last !== undefined && now - last < this.opts.perKeyMs) return false;
    this.recent = this.recent.filter((t) => now - t < this.opts.windowMs);
    if (this.recent.length >= this.opts.maxPerWindow) return false;
    this.recent.push(now);
    this.lastByKey.set(key, now);
    if (this.lastByKey.size > 1000) {
      for (const [k, t] of this.lastByKey) if (now - t >= this.opts.perKeyMs) this.lastByKey.delete(k);
    }
    return true;
  }
}
