import type { ErrorShape } from '../../../app/contract/errors';
import { toErrorShape } from '../../lib/errors';
import { call, subscribe } from '../../lib/rpc';

export interface ExecCallbacks {
  onStarted(): void;
  onOutput(data: string): void;
  /** The process ended (null: the engine could not tell the code). */
  onExit(code: number | null): void;
  onError(err: ErrorShape): void;
  /** The link to the core dropped and came back: a new process was started. */
  onRestarted(): void;
}

export interface ExecSession {
  /** Sends keystrokes; they are queued until the session has started and sent in order. */
  write(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

/**
 * An interactive `exec.session` (TTY) with ordered input: one `exec.input` call is in flight at a
 * time, and what is typed meanwhile goes out together in the next one. Resizes are coalesced
 * the same way. `close()` cancels the subscription, which ends the process's input and connection.
 */
export function openExecSession(opts: { container: string; cmd: string[]; cols: number; rows: number }, cb: ExecCallbacks): ExecSession {
  let sessionId: string | null = null;
  let closed = false;
  let pending = '';
  let sending = false;
  let size: { cols: number; rows: number } | null = null;
  let resizing = false;

  const fail = (e: unknown) => {
    const err = toErrorShape(e);
    // Input racing the end of the process is expected; the exit event says what happened.
    if (err.code === 'NOT_FOUND' || closed) return;
    cb.onError(err);
  };
  const flushInput = () => {
    if (sending || closed || !sessionId || !pending) return;
    // exec.input takes up to 1 MiB per call: a huge paste goes out in pieces, in order.
    const data = pending.slice(0, 256 * 1024);
    pending = pending.slice(data.length);
    sending = true;
    call('exec.input', { sessionId, data })
      .catch(fail)
      .finally(() => {
        sending = false;
        flushInput();
      });
  };
  const flushResize = () => {
    if (resizing || closed || !sessionId || !size) return;
    const s = size;
    size = null;
    resizing = true;
    call('exec.resize', { sessionId, ...s })
      .catch(fail)
      .finally(() => {
        resizing = false;
        flushResize();
      });
  };

  const cancel = subscribe(
    'exec.session',
    { container: opts.container, cmd: opts.cmd, tty: true, cols: opts.cols, rows: opts.rows },
    {
      onData(ev) {
        if (closed) return;
        if (ev.type === 'started') {
          sessionId = ev.sessionId;
          cb.onStarted();
          flushInput();
          flushResize();
        } else if (ev.type === 'output') cb.onOutput(ev.data);
        else {
          sessionId = null;
          cb.onExit(ev.exitCode);
        }
      },
      onResubscribe() {
        sessionId = null;
        pending = '';
        if (!closed) cb.onRestarted();
      },
      onError(err) {
        sessionId = null;
        if (!closed) cb.onError(toErrorShape(err));
      },
      onEnd() {
        sessionId = null;
      },
    },
  );

  return {
    write(data) {
      if (closed) return;
      pending += data;
      flushInput();
    },
    resize(cols, rows) {
      if (closed) return;
      size = { cols, rows };
      flushResize();
    },
    close() {
      closed = true;
      sessionId = null;
      cancel();
    },
  };
}
