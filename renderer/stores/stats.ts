import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorShape } from '../../app/contract/errors';
import type { ContainerStats } from '../../app/contract/stats';
import { toErrorShape } from '../lib/errors';
import { subscribe } from '../lib/rpc';
import { documentVisibility, type Visibility } from '../lib/visibility';

/** One point of the charts: the engine's figures plus rates derived from its counters. */
export interface StatsPoint {
  /** Sample time, ms since the epoch. */
  t: number;
  cpu: number;
  memUsed: number;
  memLimit: number;
  memPercent: number;
  /** Bytes per second since the previous sample (0 for the first one or after a counter reset). */
  rxRate: number;
  txRate: number;
  readRate: number;
  writeRate: number;
  pids: number;
}

const rate = (now: number, before: number, seconds: number) => (seconds > 0 && now >= before ? (now - before) / seconds : 0);

/**
 * The last `windowMs` of samples (at most `capacity`), oldest first, in a ring buffer. Rates come
 * from the difference of the engine's cumulative counters between two samples.
 */
export class StatsSeries {
  private readonly ring: (StatsPoint | undefined)[];
  private start = 0;
  private size = 0;
  private prev: ContainerStats | null = null;
  private prevT = 0;

  constructor(
    readonly capacity = 300,
    readonly windowMs = 5 * 60_000,
  ) {
    this.ring = new Array<StatsPoint | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(s: ContainerStats): StatsPoint {
    const parsed = Date.parse(s.ts);
    const t = Number.isFinite(parsed) ? parsed : Date.now();
    const p = this.prev;
    const secs = p ? (t - this.prevT) / 1000 : 0;
    const point: StatsPoint = {
      t,
      cpu: s.cpuPercent,
      memUsed: s.memoryUsed,
      memLimit: s.memoryLimit,
      memPercent: s.memoryPercent,
      rxRate: p ? rate(s.netRx, p.netRx, secs) : 0,
      txRate: p ? rate(s.netTx, p.netTx, secs) : 0,
      readRate: p ? rate(s.blockRead, p.blockRead, secs) : 0,
      writeRate: p ? rate(s.blockWrite, p.blockWrite, secs) : 0,
      pids: s.pids,
    };
    this.prev = s;
    this.prevT = t;
    if (this.size === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.size--;
    }
    this.ring[(this.start + this.size) % this.capacity] = point;
    this.size++;
    // Forget what fell out of the time window.
    while (this.size > 1 && t - (this.at(0) as StatsPoint).t > this.windowMs) {
      this.start = (this.start + 1) % this.capacity;
      this.size--;
    }
    return point;
  }

  at(i: number): StatsPoint | undefined {
    return i >= 0 && i < this.size ? this.ring[(this.start + i) % this.capacity] : undefined;
  }

  latest(): StatsPoint | undefined {
    return this.at(this.size - 1);
  }

  toArray(): StatsPoint[] {
    const out: StatsPoint[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.at(i) as StatsPoint);
    return out;
  }

  clear(): void {
    this.start = this.size = 0;
    this.prev = null;
  }
}

export interface StatsState {
  status: 'idle' | 'waiting' | 'live' | 'ended' | 'error';
  error: ErrorShape | null;
  version: number;
  open(id: string): void;
  close(): void;
}

export interface StatsStore extends StoreApi<StatsState> {
  series: StatsSeries;
}

/**
 * Live figures of one container (`stats.container`, about one sample a second) for the Stats tab.
 * One store per mounted view; `close()` cancels the subscription. The stream ends by itself
 * when the container stops. While the window is hidden the stream is closed (the chart keeps
 * what it has) and it opens again when the window shows.
 */
export function createStatsStore(visibility: Visibility = documentVisibility()): StatsStore {
  const series = new StatsSeries();
  let cancel: (() => void) | null = null;
  let run = 0;
  /** The container being watched (null once closed). */
  let watching: string | null = null;
  let offVis: Array<() => void> = [];
  const store = createStore<StatsState>()((set, get) => {
    const subscribeTo = (id: string) => {
      const mine = ++run;
      cancel = subscribe(
        'stats.container',
        { id },
        {
          onData(s) {
            if (mine !== run) return;
            series.push(s);
            set({ status: 'live', version: get().version + 1 });
          },
          onEnd() {
            if (mine !== run) return;
            cancel = null;
            watching = null;
            set({ status: 'ended' });
          },
          onError(err) {
            if (mine !== run) return;
            cancel = null;
            watching = null;
            set({ status: 'error', error: toErrorShape(err) });
          },
        },
      );
    };
    const pause = () => {
      run++;
      const c = cancel;
      cancel = null;
      c?.();
    };
    return {
      status: 'idle',
      error: null,
      version: 0,
      open(id) {
        get().close();
        series.clear();
        watching = id;
        set({ status: 'waiting', error: null, version: get().version + 1 });
        offVis = [
          visibility.onHidden(pause),
          visibility.onVisible(() => {
            if (watching !== null && !cancel) subscribeTo(watching);
          }),
        ];
        if (!visibility.hidden()) subscribeTo(id);
      },
      close() {
        watching = null;
        offVis.forEach((off) => off());
        offVis = [];
        pause();
      },
    };
  });
  return Object.assign(store, { series });
}
