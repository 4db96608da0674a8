/**
 * Splits a byte stream of JSON values into whole values, whatever the chunking: a value may be
 * split across chunks, several may arrive glued in one chunk, with or without newlines between
 * them (Docker's /events writes one object per line; others write blank lines or nothing).
 * Pure and incremental: each byte is scanned once, UTF-8 sequences split across chunks survive.
 */
export interface JsonStreamOptions {
  /** A single value larger than this is an error (default 4 MiB). */
  maxValueChars?: number;
}

export class JsonStreamError extends Error {
  /** The start of the offending text (for logs). */
  readonly text: string;
  constructor(
    message: string,
    /** The whole offending text (a plain-text progress line, say). */
    readonly raw: string,
  ) {
    super(message);
    this.name = 'JsonStreamError';
    this.text = raw.slice(0, 200);
  }
}

export class JsonStreamDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly max: number;
  private buf = '';
  /** Where scanning resumes in `buf`. */
  private pos = 0;
  /** Where the current value starts in `buf`, or -1 between values. */
  private start = -1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The current value is a bare scalar, which ends at a newline. */
  private scalar = false;

  constructor(opts: JsonStreamOptions = {}) {
    this.max = opts.maxValueChars ?? 4 * 1024 * 1024;
  }

  /**
   * Feeds a chunk; returns the values it completed, in order. A value that is not valid JSON is
   * returned as a JsonStreamError in its place, so one bad line does not end the stream.
   */
  push(chunk: Uint8Array | string): unknown[] {
    this.buf += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.scan();
  }

  /** Ends the stream: anything left over that is not whitespace is an error. */
  end(): unknown[] {
    this.buf += this.decoder.decode();
    const out = this.scan();
    const rest = this.start >= 0 ? this.buf.slice(this.start) : '';
    if (this.scalar && rest.trim() !== '') out.push(parse(rest));
    else if (rest.trim() !== '') out.push(new JsonStreamError('The stream ended in the middle of a JSON value.', rest));
    this.buf = '';
    this.pos = 0;
    this.start = -1;
    return out;
  }

  private scan(): unknown[] {
    const out: unknown[] = [];
    const b = this.buf;
    let i = this.pos;
    // The next backslash at or after a position (-1: none left in `b`), looked up only as scanning passes it.
    let slash = -2;
    for (; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (this.start >= 0 && this.scalar) {
        const nl = b.indexOf('\n', i);
        if (nl < 0) {
          i = b.length;
          break;
        }
        out.push(parse(b.slice(this.start, nl)));
        this.start = -1;
        i = nl;
        continue;
      }
      if (this.start < 0) {
        // Between values: skip whitespace; anything else starts a value.
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
        this.start = i;
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
        // A bare scalar (not something engines send as a stream item) runs to the line's end.
        this.scalar = c !== 0x7b && c !== 0x5b;
        if (this.scalar) i--;
        else this.depth = 1;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        else {
          // Inside a string only a quote or a backslash matters: jump to the nearer one (long runs, such as
          // BuildKit's base64 status, are not walked one character at a time).
          if (slash !== -1 && slash <= i) slash = b.indexOf('\\', i + 1);
          const quote = b.indexOf('"', i + 1);
          const next = quote < 0 ? slash : slash < 0 ? quote : Math.min(quote, slash);
          i = (next < 0 ? b.length : next) - 1;
        }
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          out.push(parse(b.slice(this.start, i + 1)));
          this.start = -1;
        }
      }
    }
    // Drop what is consumed so the buffer only holds the value in progress.
    if (this.start < 0) {
      this.buf = '';
      this.pos = 0;
    } else {
      this.buf = b.slice(this.start);
      this.pos = i - this.start;
      this.start = 0;
      if (this.buf.length > this.max) {
        const text = this.buf.slice(0, 200);
        this.buf = '';
        this.pos = 0;
        this.start = -1;
        throw new JsonStreamError(`A JSON value exceeded ${this.max} characters.`, text);
      }
    }
    return out;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    return new JsonStreamError(`Invalid JSON: ${err instanceof Error ? err.message : String(err)}`, text);
  }
}

/**
 * The JSON values of a byte stream, in order, whatever its chunking: the one reader of the
 * engine's streamed JSON (events, stats, pull/push/build/load progress). A value that is not
 * JSON is yielded as a JsonStreamError in its place; the caller decides to skip or show it.
 */
export async function* jsonValues(chunks: AsyncIterable<Uint8Array | string>, opts: JsonStreamOptions = {}): AsyncGenerator<unknown, void, undefined> {
  const decoder = new JsonStreamDecoder(opts);
  for await (const chunk of chunks) yield* decoder.push(chunk);
  yield* decoder.end();
}
