import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorShape } from '../../app/contract/errors';
import type { LogBatch } from '../../app/contract/logs';
import { plainText } from '../lib/ansi';
import { toErrorShape } from '../lib/errors';
import { subscribe } from '../lib/rpc';

/** One line in the log view. `seq` counts every line received since the stream (re)started. */
export interface LogEntry {
  seq: number;
  stream: 'stdout' | 'stderr';
  /** As the container wrote it (may hold ANSI escapes). */
  text: string;
  /** The visible text (escapes stripped): what search looks at. */
  plain: string;
  ts?: string;
}

/**
 * The last `cap` lines of a log, oldest first. Lines are dropped from the front in chunks (so
 * a flood does not shift a big array on every batch); `dropped` counts them.
 */
export class LogBuffer {
  private lines: LogEntry[] = [];
  private nextSeq = 0;
  dropped = 0;
  /** Bumped by clear(): seqs of an earlier generation mean other lines. */
  generation = 0;

  constructor(
    readonly cap = 50_000,
    private readonly chunk = Math.max(1, Math.floor(cap / 20)),
  ) {}

  get length(): number {
    return this.lines.length;
  }
  /** The seq of the oldest line kept. */
  get firstSeq(): number {
    return this.nextSeq - this.lines.length;
  }
  /** Lines received in total. */
  get total(): number {
    return this.nextSeq;
  }
  at(i: number): LogEntry | undefined {
    return this.lines[i];
  }
  /** The index of the line with this seq, or -1 when it was dropped or does not exist yet. */
  indexOfSeq(seq: number): number {
    const i = seq - this.firstSeq;
    return i >= 0 && i < this.lines.length ? i : -1;
  }
  /** Adds a batch's lines (each run's text holds its lines joined by '\n'). */
  push(batch: LogBatch): void {
    for (const r of batch.runs) {
      const texts = r.text.split('\n');
      const ts = r.ts;
      for (let i = 0; i < texts.length; i++) {
        const text = texts[i] as string;
        const e: LogEntry = { seq: this.nextSeq++, stream: r.stream, text, plain: plainText(text) };
        const t = ts?.[i];
        if (t != null) e.ts = t;
        this.lines.push(e);
      }
    }
    if (this.lines.length > this.cap + this.chunk) this.trim();
  }
  /** Drops down to `cap` now (also called after a stream ends). */
  trim(): void {
    const over = this.lines.length - this.cap;
    if (over <= 0) return;
    this.lines.splice(0, over);
    this.dropped += over;
  }
  clear(): void {
    this.lines = [];
    this.nextSeq = 0;
    this.dropped = 0;
    this.generation++;
  }
}

export type LogTailChoice = number | 'all';

export interface LogsState {
  status: 'idle' | 'loading' | 'streaming' | 'ended' | 'error';
  error: ErrorShape | null;
  /** Bumped whenever the buffer changed (the buffer itself is not reactive). */
  version: number;
  open(opts: { id: string; tail: LogTailChoice; follow: boolean }): void;
  close(): void;
}

export interface LogsStore extends StoreApi<LogsState> {
  buffer: LogBuffer;
}

/**
 * The log view of one container: a `logs.stream` subscription (with timestamps, so the view can
 * show or hide them without asking again) feeding a bounded buffer. One store per mounted view;
 * `close()` (on unmount) cancels the stream, which closes it in the engine too.
 */
export function createLogsStore(cap = 50_000): LogsStore {
  const buffer = new LogBuffer(cap);
  let cancel: (() => void) | null = null;
  let run = 0;
  const store = createStore<LogsState>()((set, get) => ({
    status: 'idle',
    error: null,
    version: 0,
    open({ id, tail, follow }) {
      get().close();
      const mine = ++run;
      buffer.clear();
      set({ status: 'loading', error: null, version: get().version + 1 });
      cancel = subscribe(
        'logs.stream',
        { id, follow, tail, timestamps: true },
        {
          onData(batch) {
            if (mine !== run) return;
            buffer.push(batch);
            set({ status: follow ? 'streaming' : get().status, version: get().version + 1 });
          },
          onResubscribe() {
            // The stream starts over from the tail: start the view over too.
            if (mine !== run) return;
            buffer.clear();
            set({ version: get().version + 1 });
          },
          onEnd() {
            if (mine !== run) return;
            cancel = null;
            buffer.trim();
            set({ status: 'ended', version: get().version + 1 });
          },
          onError(err) {
            if (mine !== run) return;
            cancel = null;
            set({ status: 'error', error: toErrorShape(err) });
          },
        },
      );
      if (follow && mine === run && get().status === 'loading') set({ status: 'streaming' });
    },
    close() {
      run++;
      const c = cancel;
      cancel = null;
      c?.();
    },
  }));
  return Object.assign(store, { buffer });
}

/**
 * The whole log of a container with timestamps, as `docker logs -t` prints it (a new, finite
 * stream: the view's buffer may have dropped old lines). `signal` cancels it.
 */
export function fetchLogText(id: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: string[] = [];
    let done = false;
    const stop = subscribe(
      'logs.stream',
      { id, follow: false, tail: 'all', timestamps: true },
      {
        onData(batch) {
          for (const r of batch.runs) {
            if (!r.ts) parts.push(`${r.text}\n`);
            else r.text.split('\n').forEach((t, i) => parts.push(r.ts?.[i] ? `${r.ts[i]} ${t}\n` : `${t}\n`));
          }
        },
        onEnd() {
          done = true;
          resolve(parts.join(''));
        },
        onError(err) {
          done = true;
          reject(err);
        },
      },
    );
    signal?.addEventListener(
      'abort',
      () => {
        if (done) return;
        stop();
        reject(new DOMException('Cancelled', 'AbortError'));
      },
      { once: true },
    );
  });
}
