import type { ErrorShape } from '../../../app/contract/errors';
import { ACK_WINDOW, type TerminalEvent, type TerminalInfo } from '../../../app/contract/terminals';
import { toErrorShape } from '../../lib/errors';
import { call, subscribe } from '../../lib/rpc';

export interface LinkCallbacks {
  /** (Re)attached: the view should clear, then the scrollback is replayed. */
  onAttached(info: TerminalInfo): void;
  /** A batch of output; call `drawn()` once the view has drawn it (it paces what is sent). */
  onOutput(data: string, drawn: () => void): void;
  onGap(): void;
  onExit(code: number | null): void;
  onRestarted(info: TerminalInfo): void;
  /** The session is gone (closed elsewhere) or could not be followed. */
  onError(err: ErrorShape): void;
}

export interface TerminalLink {
  /** Keystrokes and pastes: sent in order, one call in flight, what is typed meanwhile goes out together. */
  write(data: string): void;
  /** Debounced: the last size within `RESIZE_DEBOUNCE_MS` is sent. */
  resize(cols: number, rows: number): void;
  /** Stops following (the session keeps running). */
  detach(): void;
}

export const RESIZE_DEBOUNCE_MS = 80;
/** terminals.input takes up to 1 MiB per call: a huge paste goes out in pieces. */
const INPUT_PIECE = 256 * 1024;

/** Follows a session: replays its scrollback, streams its output, carries input and resizes. */
export function attachTerminal(id: string, cb: LinkCallbacks): TerminalLink {
  let detached = false;
  let pending = '';
  let sending = false;
  let size: { cols: number; rows: number } | null = null;
  let lastSent: { cols: number; rows: number } | null = null;
  let resizeTimer: ReturnType<typeof setTimeout> | null = null;
  let view: string | null = null;
  let drawnTo = 0;
  let ackedTo = 0;
  let acking = false;
  let ackTimer: ReturnType<typeof setTimeout> | null = null;

  const fail = (e: unknown) => {
    const err = toErrorShape(e);
    // Typing into an ended program: the exit event already says so.
    if (detached || err.code === 'CONFLICT') return;
    cb.onError(err);
  };
  const flush = () => {
    if (sending || detached || !pending) return;
    const data = pending.slice(0, INPUT_PIECE);
    pending = pending.slice(data.length);
    sending = true;
    call('terminals.input', { id, data })
      .catch(fail)
      .finally(() => {
        sending = false;
        flush();
      });
  };
  const sendSize = () => {
    resizeTimer = null;
    const s = size;
    if (!s || detached || (lastSent && lastSent.cols === s.cols && lastSent.rows === s.rows)) return;
    lastSent = s;
    call('terminals.resize', { id, ...s }).catch(fail);
  };

  /** Acknowledges what was drawn: at once past a quarter of the window, else a frame later (one call in flight). */
  const sendAck = () => {
    ackTimer = null;
    if (acking || detached || !view || drawnTo <= ackedTo) return;
    const v = view;
    const end = drawnTo;
    acking = true;
    call('terminals.ack', { id, view: v, end })
      .then(() => (ackedTo = Math.max(ackedTo, end)))
      .catch(fail)
      .finally(() => {
        acking = false;
        if (drawnTo > ackedTo) scheduleAck();
      });
  };
  const scheduleAck = () => {
    if (drawnTo - ackedTo >= ACK_WINDOW / 4) sendAck();
    else ackTimer ??= setTimeout(sendAck, 16);
  };

  const cancel = subscribe(
    'terminals.attach',
    { id, ack: true },
    {
      onData(ev: TerminalEvent) {
        if (detached) return;
        if (ev.type === 'attached') {
          view = ev.view;
          drawnTo = ackedTo = ev.from;
          lastSent = { cols: ev.info.cols, rows: ev.info.rows };
          cb.onAttached(ev.info);
          // The view may be another size than the session: tell it.
          if (size) sendSize();
        } else if (ev.type === 'output') {
          const v = view;
          cb.onOutput(ev.data, () => {
            if (detached || v !== view) return;
            drawnTo = Math.max(drawnTo, ev.end);
            scheduleAck();
          });
        }
        else if (ev.type === 'gap') cb.onGap();
        else if (ev.type === 'exit') cb.onExit(ev.exitCode);
        else cb.onRestarted(ev.info);
      },
      onError(err) {
        if (!detached) cb.onError(toErrorShape(err));
      },
      onEnd() {
        if (!detached) cb.onError({ code: 'NOT_FOUND', message: 'This terminal was closed.' });
      },
    },
  );

  return {
    write(data) {
      if (detached) return;
      pending += data;
      flush();
    },
    resize(cols, rows) {
      if (detached) return;
      size = { cols, rows };
      if (resizeTimer) clearTimeout(resizeTimer);
      resizeTimer = setTimeout(sendSize, RESIZE_DEBOUNCE_MS);
    },
    detach() {
      detached = true;
      if (resizeTimer) clearTimeout(resizeTimer);
      if (ackTimer) clearTimeout(ackTimer);
      cancel();
    },
  };
}
