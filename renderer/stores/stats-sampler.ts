import type { ErrorShape } from '../../app/contract/errors';
import { MAX_SAMPLE_IDS, type ContainerStats, type StatsSample } from '../../app/contract/stats';
import type { Visibility } from '../lib/visibility';

/**
 * Live CPU and memory of what is on screen, and nothing else: the cells of visible rows say which
 * containers they show (`watch`), and every `intervalMs` one `stats.sample` call reads those
 * containers once. No stream stays open per container, nothing is read for rows scrolled away,
 * and while the window is hidden there is no timer and no request (one sample on show).
 *
 *   const off = sampler.watch(id);   // a cell mounted (the virtual table mounts only visible rows)
 *   off();                           // it unmounted
 */
export interface SamplerState {
  byId: Record<string, ContainerStats>;
  /** Why the last sample failed (cells show "—" with it as their tooltip). */
  error: ErrorShape | null;
}

export interface SamplerDeps {
  sample(ids: string[]): Promise<StatsSample>;
  /** The current sampling period (ms); read before each wait, so a new setting applies at the next one. */
  intervalMs(): number;
  visibility: Visibility;
  onState(next: SamplerState): void;
  getState(): SamplerState;
  toError(e: unknown): ErrorShape;
  /** Quiet time after rows come on screen before they are read (ms; scrolling coalesces). Default 120. */
  settleMs?: number;
  setTimer?(cb: () => void, ms: number): unknown;
  clearTimer?(t: unknown): void;
}

/** A row read for the first time has no CPU figure yet (`cpuPending`): it is read again this soon (ms), not a whole period later. */
export const PENDING_RETRY_MS = 1000;

export class StatsSampler {
  private readonly watched = new Map<string, number>();
  /** Watched ids not yet read since they came on screen. */
  private readonly fresh = new Set<string>();
  private timer: unknown = null;
  private timerIsCatchUp = false;
  private inflight = false;
  private stopped = false;
  private readonly offs: Array<() => void>;
  private readonly setTimer: (cb: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(private readonly d: SamplerDeps) {
    this.setTimer = d.setTimer ?? ((cb, ms) => setTimeout(cb, ms));
    this.clearTimer = d.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    this.offs = [d.visibility.onHidden(() => this.cancelTimer()), d.visibility.onVisible(() => this.kick(0))];
  }

  /** The ids being sampled (the rows on screen). */
  ids(): string[] {
    return [...this.watched.keys()];
  }

  watch(id: string): () => void {
    const n = this.watched.get(id) ?? 0;
    this.watched.set(id, n + 1);
    if (n === 0) {
      this.fresh.add(id);
      this.catchUpSoon();
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.watched.get(id) ?? 1) - 1;
      if (left > 0) {
        this.watched.set(id, left);
        return;
      }
      this.watched.delete(id);
      this.fresh.delete(id);
      if (this.watched.size === 0) this.cancelTimer();
    };
  }

  /** Read again now (the engine came back, the period changed). Nothing happens while hidden. */
  refresh(): void {
    this.kick(0);
  }

  dispose(): void {
    this.stopped = true;
    this.cancelTimer();
    this.offs.forEach((off) => off());
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.timerIsCatchUp = false;
  }

  /** New rows on screen: read them shortly, unless a full sample is due sooner anyway. */
  private catchUpSoon(): void {
    if (this.timerIsCatchUp || this.inflight) return;
    this.kick(this.d.settleMs ?? 120, true);
  }

  private kick(ms: number, catchUp = false): void {
    if (this.stopped || this.watched.size === 0 || this.d.visibility.hidden()) return;
    this.cancelTimer();
    this.timerIsCatchUp = catchUp;
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.timerIsCatchUp = false;
      void this.run();
    }, ms);
  }

  private async run(): Promise<void> {
    if (this.stopped || this.inflight || this.watched.size === 0 || this.d.visibility.hidden()) return;
    const ids = this.ids().slice(0, MAX_SAMPLE_IDS);
    this.inflight = true;
    ids.forEach((id) => this.fresh.delete(id));
    let failed: ErrorShape | null = null;
    let pending = false;
    try {
      const res = await this.d.sample(ids);
      pending = res.containers.some((s) => s.cpuPending === true);
      const byId = { ...this.d.getState().byId };
      for (const id of res.missing) delete byId[id];
      for (const s of res.containers) byId[s.id] = s;
      this.d.onState({ byId, error: null });
    } catch (e) {
      failed = this.d.toError(e);
      this.d.onState({ byId: this.d.getState().byId, error: failed });
    } finally {
      this.inflight = false;
    }
    // An unreachable engine is retried when the engine comes back (refresh()), not on a timer.
    if (failed?.code === 'ENGINE_UNREACHABLE') return;
    if (this.fresh.size > 0) this.kick(this.d.settleMs ?? 120, true);
    else this.kick(pending ? Math.min(PENDING_RETRY_MS, this.d.intervalMs()) : this.d.intervalMs());
  }
}
