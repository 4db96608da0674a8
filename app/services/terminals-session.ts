import { BerthError } from '../contract/errors';
import { ACK_WINDOW, type TerminalEvent, type TerminalInfo } from '../contract/terminals';
import type { TerminalBackend } from './terminals-backend';
import { RingBuffer } from './terminals-ring';

export interface FlowLimits {
  /** Scrollback kept per session, in characters. */
  scrollback: number;
  /** Largest output batch sent to a view. */
  batch: number;
  /** A view this far behind pauses the program... */
  pauseAt: number;
  /** ...until it is back within this. */
  resumeAt: number;
}

/** How long a streaming view gathers output into one batch. */
const COALESCE_MS = 4;
/**
 * A batch at least this large means output is streaming. A pty read is at most 4,095 characters on Linux (the line
 * discipline's buffer) and 1,024 on macOS, so one read must count: at 4,096 a flood of single reads never counted
 * as streaming and went out as one message per read (~25,000 for 100 MB). An echo or a prompt is far smaller.
 */
const STREAMING_BATCH = 1024;

export const DEFAULT_LIMITS: FlowLimits = { scrollback: 1024 * 1024, batch: 64 * 1024, pauseAt: 512 * 1024, resumeAt: 128 * 1024 };

interface Attachment {
  cursor: number;
  /** Drawn up to here (views that acknowledge), or null. */
  acked: number | null;
  wake: (() => void) | null;
  /** While gathering: new output wakes the view only once the scrollback's end reaches this. */
  wakeAt: number;
}

/**
 * One terminal: a backend (pty or exec), its scrollback and the views attached to it.
 *
 * Output always goes into the ring buffer, attached or not. While views are attached, the
 * program is paused when the slowest view falls `pauseAt` behind and resumed once it is back
 * within `resumeAt`: a flood moves at the pace of the views without growing memory. With no
 * view, it runs freely and only its tail is kept.
 */
export class TerminalSession {
  readonly ring: RingBuffer;
  private readonly views = new Map<string, Attachment>();
  private backend: TerminalBackend | null = null;
  private paused = false;
  private writes: Promise<void> = Promise.resolve();
  private closed = false;
  private generation = 0;

  constructor(
    public info: TerminalInfo,
    private readonly limits: FlowLimits,
  ) {
    this.ring = new RingBuffer(limits.scrollback);
  }

  get attached(): number {
    return this.views.size;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Characters held for this session (its scrollback). */
  bufferedChars(): number {
    return this.ring.size;
  }

  /** Connects a (new) backend: a fresh start or a restart. */
  run(backend: TerminalBackend, info: TerminalInfo): void {
    const gen = ++this.generation;
    this.backend = backend;
    this.info = info;
    this.paused = false;
    backend.onData((d) => {
      if (gen !== this.generation || this.closed) return;
      this.ring.write(d);
      this.flow();
      this.wakeForOutput();
    });
    backend.onExit((exitCode) => {
      if (gen !== this.generation) return;
      this.info = { ...this.info, state: 'exited', exitCode };
      this.backend = null;
      this.wakeAll();
    });
    if (gen > 1) this.wakeAll();
  }

  write(data: string): Promise<void> {
    const b = this.backend;
    if (!b) return Promise.resolve();
    // Chained, so input keeps its order even when a write waits on the engine.
    const w = this.writes.then(() => b.write(data));
    this.writes = w.catch(() => undefined);
    return w;
  }

  async resize(cols: number, rows: number): Promise<void> {
    this.info = { ...this.info, cols, rows };
    await this.backend?.resize(cols, rows);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.backend?.kill();
    this.backend = null;
    this.wakeAll();
  }

  /** A view drew the output up to `end`. */
  ack(viewId: string, end: number): void {
    const v = this.views.get(viewId);
    if (!v) throw new BerthError('NOT_FOUND', 'That terminal view is no longer attached.');
    if (v.acked === null) throw new BerthError('CONFLICT', 'That terminal view was attached without acknowledgements.');
    v.acked = Math.max(v.acked, Math.min(end, v.cursor));
    v.wake?.();
  }

  /** Follows the session until it is closed or `signal` aborts. */
  async attach(from: number | undefined, emit: (e: TerminalEvent) => Promise<void>, signal: AbortSignal, withAcks = false): Promise<void> {
    const start = Math.max(from ?? this.ring.start, this.ring.start);
    const view: Attachment = { cursor: start, acked: withAcks ? start : null, wake: null, wakeAt: 0 };
    const viewId = globalThis.crypto.randomUUID();
    if (view.cursor > this.ring.end) view.cursor = this.ring.end;
    const onAbort = () => view.wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    this.views.set(viewId, view);
    let seenGen = this.generation;
    let exitSent = false;
    let lastEmit = -Infinity;
    let lastSize = 0;
    let gatherSince: number | null = null;
    try {
      await emit({ type: 'attached', info: this.info, from: view.cursor, view: viewId });
      while (!signal.aborted && !this.closed) {
        if (seenGen !== this.generation) {
          seenGen = this.generation;
          exitSent = false;
          await emit({ type: 'restarted', info: this.info });
          continue;
        }
        if (view.cursor < this.ring.start) {
          view.cursor = this.ring.start;
          if (view.acked !== null) view.acked = Math.max(view.acked, view.cursor - ACK_WINDOW);
          await emit({ type: 'gap', from: view.cursor });
        }
        const ahead = view.acked === null ? 0 : view.cursor - view.acked;
        if (view.cursor < this.ring.end && ahead < ACK_WINDOW) {
          // While output streams (a large batch went out moments ago) and little is waiting, gather
          // more for up to COALESCE_MS: a flood goes out in fewer, larger batches. Small output
          // (a keystroke's echo, a prompt) goes out at once.
          const waiting = this.ring.end - view.cursor;
          const full = this.limits.batch;
          if (waiting < full && lastSize >= STREAMING_BATCH && performance.now() - lastEmit < COALESCE_MS) {
            gatherSince ??= performance.now();
            const left = COALESCE_MS - (performance.now() - gatherSince);
            if (left > 0) {
              // New output wakes this view only once a full batch is waiting (not at every pty read).
              view.wakeAt = view.cursor + full;
              await new Promise<void>((r) => {
                const t = setTimeout(r, left);
                view.wake = () => {
                  clearTimeout(t);
                  r();
                };
              });
              view.wake = null;
              view.wakeAt = 0;
              continue;
            }
          }
          gatherSince = null;
          const { data } = this.ring.read(view.cursor, Math.min(this.limits.batch, view.acked === null ? Infinity : ACK_WINDOW - ahead));
          view.cursor += data.length;
          await emit({ type: 'output', data, end: view.cursor });
          lastEmit = performance.now();
          lastSize = data.length;
          this.flow();
          continue;
        }
        if (this.info.state === 'exited' && !exitSent && view.cursor >= this.ring.end) {
          exitSent = true;
          await emit({ type: 'exit', exitCode: this.info.exitCode });
          continue;
        }
        await new Promise<void>((r) => (view.wake = r));
        view.wake = null;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.views.delete(viewId);
      this.flow();
    }
  }

  private wakeAll(): void {
    for (const v of this.views.values()) v.wake?.();
  }

  /** New output: wakes the views waiting for it (a gathering view only once its batch is full). */
  private wakeForOutput(): void {
    const end = this.ring.end;
    for (const v of this.views.values()) if (v.wakeAt <= end) v.wake?.();
  }

  /** Pauses or resumes the program by how far behind the slowest view is. */
  private flow(): void {
    const b = this.backend;
    if (!b) return;
    let lag = 0;
    for (const v of this.views.values()) lag = Math.max(lag, this.ring.end - v.cursor);
    if (!this.paused && lag >= this.limits.pauseAt) {
      this.paused = true;
      b.pause();
    } else if (this.paused && lag <= this.limits.resumeAt) {
      this.paused = false;
      b.resume();
    }
  }
}
