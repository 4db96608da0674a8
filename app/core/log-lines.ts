/**
 * Turns the bytes of one output stream (stdout or stderr) into lines of text.
 *
 * - UTF-8 is decoded with a streaming decoder, so a character split across chunks or
 *   frames survives; invalid bytes become U+FFFD.
 * - A line ends at `\n`; one trailing `\r` is dropped (TTY output ends lines with `\r\n`).
 * - With timestamps on, the engine prefixes every log message with an RFC 3339 time and a
 *   space. The prefix is moved into `ts`. A message is one frame (non-TTY) or one line (TTY).
 *   When a long line reached us as several messages (the engine splits lines at 16 KiB), only
 *   the first timestamp is kept and the line is joined again (non-TTY; for TTY output the
 *   engine gives no message boundaries, so a continuation's timestamp stays in the text).
 * - A line never grows beyond `maxLineChars`: a longer run without a newline is cut into
 *   pieces of that size, each emitted as a line (so a flood without newlines cannot grow memory).
 */

export type OutStream = 'stdout' | 'stderr';

export interface LogLine {
  stream: OutStream;
  text: string;
  ts?: string;
}

export interface LineAssemblerOptions {
  timestamps?: boolean;
  /** Default 64 Ki characters. */
  maxLineChars?: number;
}

/** RFC 3339 with optional fraction, as dockerd writes it (RFC3339Nano). */
export const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_TS_CHARS = 40;

export class LineAssembler {
  private readonly decoder = new TextDecoder('utf-8');
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
  push(bytes: Uint8Array, out: LogLine[], messageStart = false): void {
    if (this.timestamps && messageStart && !this.awaitTs) {
      this.awaitTs = true;
      this.tsBuf = '';
    }
    const text = this.decoder.decode(bytes, { stream: true });
    if (text.length > 0) this.pushText(text, out);
  }

  /** The input ended: flushes the decoder and emits the last line even without a newline. */
  end(out: LogLine[]): void {
    let rest = this.decoder.decode();
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

  private pushText(input: string, out: LogLine[]): void {
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
      const line = this.pending.length > 0 ? this.pending + s.slice(pos, nl) : s.slice(pos, nl);
      this.pending = '';
      this.emitCapped(line, out);
      pos = nl + 1;
      if (this.timestamps) this.awaitTs = true;
    }
  }

  private append(piece: string, out: LogLine[]): void {
    this.pending += piece;
    while (this.pending.length > this.maxLineChars) {
      this.emit(this.pending.slice(0, this.maxLineChars), out);
      this.pending = this.pending.slice(this.maxLineChars);
    }
  }

  private emitCapped(line: string, out: LogLine[]): void {
    let l = line;
    while (l.length > this.maxLineChars) {
      this.emit(l.slice(0, this.maxLineChars), out);
      l = l.slice(this.maxLineChars);
    }
    this.emit(l.endsWith('\r') ? l.slice(0, -1) : l, out);
  }

  private emit(text: string, out: LogLine[]): void {
    const line: LogLine = { stream: this.stream, text };
    if (this.lineTs !== undefined) line.ts = this.lineTs;
    this.lineTs = undefined;
    out.push(line);
  }
}
