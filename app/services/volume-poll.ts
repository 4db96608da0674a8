import type { ObjectChange } from '../contract/events';

/**
 * For engines without volume events: lists volume names now and then and reports the names that
 * appeared or went away since the last look. The first look only sets the baseline (the `resync`
 * that follows an engine coming up already makes clients refetch).
 */
export class VolumePoller {
  private known: Set<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ctrl: AbortController | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly engineId: string,
    private readonly list: (signal: AbortSignal) => Promise<string[]>,
    private readonly emit: (item: ObjectChange) => void,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
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

  private async once(signal: AbortSignal): Promise<void> {
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
    if (before === null) return;
    for (const n of now) if (!before.has(n)) this.emit({ engineId: this.engineId, kind: 'volume', action: 'create', id: n, name: n });
    for (const n of before) if (!now.has(n)) this.emit({ engineId: this.engineId, kind: 'volume', action: 'destroy', id: n, name: n });
  }
}
