/**
 * Turns the bytes of one output stream (stdout or stderr) into lines of text.
 *
 * - UTF-8 is decoded as a stream (Utf8Stream), so a character split across chunks or
 *   frames survives; invalid bytes become U+FFFD.
 * - A line ends at `\n`; one trailing `\r` is dropped (TTY output ends lines with `\r\n`).
 * - With timestamps on, the engine prefixes every log message with an RFC 3339 time and a
 *   space. The prefix is moved into `ts`. A message is one frame (non-TTY) or one line (TTY).
 *   When a long line reached us as several messages (the engine splits lines at 16 KiB), only
 *   the first timestamp is kept and the line is joined again (non-TTY; for TTY output the
 *   engine gives no message boundaries, so a continuation's timestamp stays in the text).
 * - A line never grows beyond `maxLineChars`: a longer run without a newline is cut into
 *   pieces of that size, each emitted as a line (so a flood without newlines cannot grow memory).
 * - Without timestamps, the complete lines of a piece of text go to the sink as one block (one
 *   slice, no string per line) when none of them needs cutting.
 */
import type { LineSink, OutStream } from './log-runs';
import { Utf8Stream } from './utf8-stream';

export type { LogLine } from '../contract/logs';
export type { LineSink, OutStream } from './log-runs';

export interface LineAssemblerOptions {
  timestamps?: boolean;
  /** Default 64 Ki characters. */
  maxLineChars?: number;
}

/** RFC 3339 with optional fraction, as dockerd writes it (RFC3339Nano). */
export const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_TS_CHARS = 40;

export class LineAssembler {
  private readonly decoder = new Utf8Stream();
  private readonly timestamps: boolean;
  private readonly maxLineChars: number;
  private pending = '';
  private lineTs: string | undefined;
  private awaitTs: boolean;
  private tsBuf = '';

  constructor(
    readonly stream: OutStream,
    opts: LineAssemblerOptions = {},
  ) {
    this.timestamps = opts.timestamps ?? false;
    this.maxLineChars = Math.max(1, opts.maxLineChars ?? 64 * 1024);
    this.awaitTs = this.timestamps;
  }

  /** Adds bytes; complete lines are appended to `out`. `messageStart` marks the start of a log message (a frame). */
  push(bytes: Uint8Array, out: LineSink, messageStart = false): void {
    if (this.timestamps && messageStart && !this.awaitTs) {
      this.awaitTs = true;
      this.tsBuf = '';
    }
    const text = this.decoder.decode(bytes);
    if (text.length > 0) this.pushText(text, out);
  }

  /** The input ended: flushes the decoder and emits the last line even without a newline. */
  end(out: LineSink): void {
    let rest = this.decoder.end();
    if (this.awaitTs) {
      rest = this.tsBuf + rest;
      this.tsBuf = '';
      this.awaitTs = false;
    }
    if (rest.length > 0) this.pushText(rest, out);
    if (this.pending.length > 0) this.emit(this.pending, out);
    this.pending = '';
    this.lineTs = undefined;
  }

  private pushText(input: string, out: LineSink): void {
    let s = input;
    let pos = 0;
    while (pos < s.length) {
      if (this.awaitTs) {
        const sp = s.indexOf(' ', pos);
        const nl = s.indexOf('\n', pos);
        if (sp !== -1 && (nl === -1 || sp < nl) && this.tsBuf.length + (sp - pos) <= MAX_TS_CHARS) {
          const candidate = this.tsBuf + s.slice(pos, sp);
          this.tsBuf = '';
          this.awaitTs = false;
          if (TIMESTAMP_RE.test(candidate)) {
            // A continuation of a line cut into several messages keeps the first line's time.
            if (this.pending.length === 0) this.lineTs = candidate;
            pos = sp + 1;
          } else {
            s = candidate + s.slice(sp);
            pos = 0;
          }
          continue;
        }
        if (sp === -1 && nl === -1 && this.tsBuf.length + (s.length - pos) <= MAX_TS_CHARS) {
          this.tsBuf += s.slice(pos);
          return;
        }
        // A newline or too many characters before any space: this message has no timestamp.
        s = this.tsBuf + s.slice(pos);
        pos = 0;
        this.tsBuf = '';
        this.awaitTs = false;
        continue;
      }
      const nl = s.indexOf('\n', pos);
      if (nl === -1) {
        this.append(s.slice(pos), out);
        return;
      }
      if (!this.timestamps && this.pending.length === 0) {
        const last = s.lastIndexOf('\n');
        if (last > nl && this.block(s, pos, nl, last, out)) {
          pos = last + 1;
          continue;
        }
      }
      const line = this.pending.length > 0 ? this.pending + s.slice(pos, nl) : s.slice(pos, nl);
      this.pending = '';
      this.emitCapped(line, out);
      pos = nl + 1;
      if (this.timestamps) this.awaitTs = true;
    }
  }

  /**
   * The lines of s[pos, last) (`nl` is the first '\n' at or after pos) as one block, when none of them is longer than
   * maxLineChars (counting a trailing '\r', as emitCapped does). One trailing '\r' per line is dropped. False (nothing
   * emitted) when a line needs cutting.
   */
  private block(s: string, pos: number, nl: number, last: number, out: LineSink): boolean {
    const max = this.maxLineChars;
    let count = 0;
    let cr = false;
    let from = pos;
    for (let i = nl; i !== -1 && i <= last; i = s.indexOf('\n', i + 1)) {
      if (i - from > max) return false;
      if (i > from && s.charCodeAt(i - 1) === 13) cr = true;
      count++;
      from = i + 1;
    }
    if (count === 0) return false;
    // `last` ends the block: the text holds count lines, so count - 1 separators.
    let text = s.slice(pos, last);
    if (cr) text = text.replaceAll('\r\n', '\n');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    out.block(this.stream, text, count);
    return true;
  }

  private append(piece: string, out: LineSink): void {
    this.pending += piece;
    while (this.pending.length > this.maxLineChars) {
      this.emit(this.pending.slice(0, this.maxLineChars), out);
      this.pending = this.pending.slice(this.maxLineChars);
    }
  }

  private emitCapped(line: string, out: LineSink): void {
    let l = line;
    while (l.length > this.maxLineChars) {
      this.emit(l.slice(0, this.maxLineChars), out);
      l = l.slice(this.maxLineChars);
    }
    this.emit(l.endsWith('\r') ? l.slice(0, -1) : l, out);
  }

  private emit(text: string, out: LineSink): void {
    const ts = this.lineTs;
    this.lineTs = undefined;
    out.line(this.stream, text, ts);
  }
}
