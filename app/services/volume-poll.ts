import type { ObjectChange } from '../contract/events';

/**
 * For engines without volume events: lists volume names now and then and reports the names that
 * appeared or went away since the last look. The first look only sets the baseline (the `resync`
 * that follows an engine coming up already makes clients refetch). With a `stamp` (something cheap
 * that changes whenever a volume is made or removed, null when unknown), a look whose stamp is the
 * last listing's does not list: an idle engine costs a stat, not a CLI run, every interval.
 */
export class VolumePoller {
  private known: Set<string> | null = null;
  /** The stamp read just before the last listing. */
  private listedAt: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ctrl: AbortController | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly engineId: string,
    private readonly list: (signal: AbortSignal) => Promise<string[]>,
    private readonly emit: (item: ObjectChange) => void,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly stamp?: () => Promise<string | null>,
  ) {}

  get pendingTimers(): number {
    return this.timer === null ? 0 : 1;
  }

  /** Starts polling now, with a fresh baseline. */
  start(): void {
    this.stopTimer();
    this.ctrl?.abort();
    this.ctrl = new AbortController();
    this.known = null;
    this.listedAt = null;
    this.tick(this.ctrl.signal);
  }

  /** Stops polling; resolves once no listing is in flight. */
  async stop(): Promise<void> {
    this.stopTimer();
    this.ctrl?.abort();
    this.ctrl = null;
    await this.running;
  }

  private stopTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(signal: AbortSignal) {
    this.timer = null;
    const run = this.once(signal).finally(() => {
      if (this.running === run) this.running = null;
      if (!signal.aborted) this.timer = setTimeout(() => this.tick(signal), this.intervalMs);
    });
    this.running = run;
  }

  /** The stamp now; null (list) when there is none or it cannot be read. */
  private async readStamp(): Promise<string | null> {
    if (!this.stamp) return null;
    try {
      return await this.stamp();
    } catch {
      // A stamp is only a shortcut: without one, the names are listed as they would be anyway.
      return null;
    }
  }

  private async once(signal: AbortSignal): Promise<void> {
    // Read before listing: a volume made while the list runs changes the stamp again, so the next look lists.
    const stamp = await this.readStamp();
    if (signal.aborted) return;
    if (stamp !== null && this.known !== null && stamp === this.listedAt) return;
    let names: string[];
    try {
      names = await this.list(signal);
    } catch (err) {
      if (!signal.aborted) this.onError(err);
      return;
    }
    if (signal.aborted) return;
    const now = new Set(names);
    const before = this.known;
    this.known = now;
    this.listedAt = stamp;
    if (before === null) return;
    for (const n of now) if (!before.has(n)) this.emit({ engineId: this.engineId, kind: 'volume', action: 'create', id: n, name: n });
    for (const n of before) if (!now.has(n)) this.emit({ engineId: this.engineId, kind: 'volume', action: 'destroy', id: n, name: n });
  }
}
