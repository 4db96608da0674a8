import type { SolveStatusDoc } from '../../../core/buildkit-progress';

/**
 * dockerd's own BuildKit (`POST /build?version=2`) streams its progress as JSON messages
 * `{"id":"moby.buildkit.trace","aux":"<base64>"}`, each a protobuf `moby.buildkit.v1.StatusResponse`
 * (BuildKit's api/services/control/control.proto). This decodes one into the SolveStatus shape that
 * `buildctl --progress rawjson` prints (times as epoch ms instead of RFC 3339 text, log and warning bytes as their
 * text instead of base64), so both routes feed the same step-graph parser.
 *
 * The wire format is read by hand, straight into that shape: a cached build's two dozen messages were a good part of
 * the core's own CPU in a build (issue 16: protobufjs' reader, a Long object per int64 and per time, a decoded copy
 * mapped into a second one, log bytes turned into base64 to be decoded again). Only the fields the graph uses are read;
 * every other field is skipped by its wire type, as protobuf readers do (progress groups, source info, new fields):
 *
 *   StatusResponse { repeated Vertex vertexes = 1; repeated VertexStatus statuses = 2; repeated VertexLog logs = 3;
 *                    repeated VertexWarning warnings = 4; }
 *   Vertex         { string digest = 1; repeated string inputs = 2; string name = 3; bool cached = 4;
 *                    Timestamp started = 5; Timestamp completed = 6; string error = 7; }
 *   VertexStatus   { string ID = 1; string vertex = 2; string name = 3; int64 current = 4; int64 total = 5;
 *                    Timestamp timestamp = 6; Timestamp started = 7; Timestamp completed = 8; }
 *   VertexLog      { string vertex = 1; Timestamp timestamp = 2; int64 stream = 3; bytes msg = 4; }
 *   VertexWarning  { string vertex = 1; int64 level = 2; bytes short = 3; }
 *   Timestamp      { int64 seconds = 1; int32 nanos = 2; }
 *
 * Bytes that are not such a message (a length or varint running past the end, a group or unknown wire type) throw.
 */

/** Go's int64 as protobufjs gives it (a number, or a Long's halves). */
type Int64 = number | { low: number; high: number; unsigned?: boolean };
interface Ts {
  seconds?: Int64 | null;
  nanos?: number | null;
}

const TWO32 = 4294967296;

/** A signed 64-bit value from its two 32-bit halves (as protobufjs' LongBits.toNumber). */
function int64(lo: number, hi: number): number {
  if (hi >>> 31) {
    let l = (~lo + 1) >>> 0;
    let h = ~hi >>> 0;
    if (!l) h = (h + 1) >>> 0;
    l >>>= 0;
    return -(l + h * TWO32);
  }
  return (lo >>> 0) + (hi >>> 0) * TWO32;
}

const toNumber = (v: Int64 | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.unsigned ? (v.low >>> 0) + (v.high >>> 0) * TWO32 : int64(v.low, v.high));

/**
 * A protobuf Timestamp as epoch milliseconds, the nanoseconds kept as its fraction (steps often start within the same
 * millisecond); undefined for an absent time or Go's zero time (year 1).
 */
export function timestampMs(t: Ts | null | undefined): number | undefined {
  if (!t) return undefined;
  const seconds = toNumber(t.seconds);
  return seconds < 0 ? undefined : seconds * 1000 + (t.nanos ?? 0) / 1e6;
}

const bad = (what: string) => new RangeError(`not a BuildKit StatusResponse: ${what}`);

/** A reader over one message's bytes. */
class Wire {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    public end: number,
  ) {}

  /** A varint's low 32 bits, unsigned (field keys, lengths, bools; a longer varint's high bits are skipped). */
  uint32(): number {
    const b = this.buf;
    let v = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw bad('a varint runs past the end');
      const c = b[this.pos++] as number;
      if (i < 5) v |= (c & 0x7f) << (7 * i);
      if (c < 0x80) return v >>> 0;
    }
    throw bad('a varint longer than 10 bytes');
  }

  /** A varint as Go's int64 (two's complement for negative values: Go's zero time is -62135596800 s). */
  int64(): number {
    const b = this.buf;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw bad('a varint runs past the end');
      const c = b[this.pos++] as number;
      if (i < 4) lo |= (c & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (c & 0x0f) << 28;
        hi |= (c & 0x7f) >> 4;
      } else hi |= (c & 0x7f) << (7 * i - 32);
      if (c < 0x80) return int64(lo, hi);
    }
    throw bad('a varint longer than 10 bytes');
  }

  /** The end of the length-delimited field starting here. */
  sub(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) throw bad('a field runs past the end');
    return end;
  }

  string(): string {
    const end = this.sub();
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  /** Skips a field of wire type `type`. */
  skip(type: number): void {
    switch (type) {
      case 0:
        this.int64();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.sub();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw bad(`wire type ${type}`);
    }
    if (this.pos > this.end) throw bad('a field runs past the end');
  }

  /** A Timestamp field's value as epoch ms (undefined for Go's zero time). */
  time(): number | undefined {
    const end = this.sub();
    const outer = this.end;
    this.end = end;
    let seconds = 0;
    let nanos = 0;
    while (this.pos < end) {
      const key = this.uint32();
      if (key === 0x08) seconds = this.int64();
      else if (key === 0x10) nanos = this.uint32() | 0;
      else this.skip(key & 7);
    }
    this.end = outer;
    return seconds < 0 ? undefined : seconds * 1000 + nanos / 1e6;
  }

  /** Reads the fields of the message ending at `end` with `field(key)`, which skips what it does not read. */
  fields(end: number, field: (key: number) => void): void {
    const outer = this.end;
    this.end = end;
    while (this.pos < end) field(this.uint32());
    this.end = outer;
  }
}

/**
 * Decodes the base64 `aux` of a `moby.buildkit.trace` message (times as epoch ms, log and warning bytes as text).
 * Throws on bytes that are not a StatusResponse.
 */
export function decodeBuildkitTrace(aux: string): SolveStatusDoc {
  const buf = Buffer.from(aux, 'base64');
  const w = new Wire(buf, buf.length);
  const vertexes: Array<{ digest: string; inputs: string[]; name: string; cached: boolean; started: number | undefined; completed: number | undefined; error: string }> = [];
  const statuses: Array<{ id: string; vertex: string; name: string; current: number; total: number; timestamp: number | undefined; started: number | undefined; completed: number | undefined }> = [];
  const logs: Array<{ vertex: string; stream: number; text: string; timestamp: number | undefined }> = [];
  const warnings: Array<{ vertex: string; level: number; text: string }> = [];
  while (w.pos < w.end) {
    const key = w.uint32();
    if (key === 0x0a) {
      const v = { digest: '', inputs: [] as string[], name: '', cached: false, started: undefined as number | undefined, completed: undefined as number | undefined, error: '' };
      w.fields(w.sub(), (k) => {
        if (k === 0x0a) v.digest = w.string();
        else if (k === 0x12) v.inputs.push(w.string());
        else if (k === 0x1a) v.name = w.string();
        else if (k === 0x20) v.cached = w.uint32() !== 0;
        else if (k === 0x2a) v.started = w.time();
        else if (k === 0x32) v.completed = w.time();
        else if (k === 0x3a) v.error = w.string();
        else w.skip(k & 7);
      });
      vertexes.push(v);
    } else if (key === 0x12) {
      const s = { id: '', vertex: '', name: '', current: 0, total: 0, timestamp: undefined as number | undefined, started: undefined as number | undefined, completed: undefined as number | undefined };
      w.fields(w.sub(), (k) => {
        if (k === 0x0a) s.id = w.string();
        else if (k === 0x12) s.vertex = w.string();
        else if (k === 0x1a) s.name = w.string();
        else if (k === 0x20) s.current = w.int64();
        else if (k === 0x28) s.total = w.int64();
        else if (k === 0x32) s.timestamp = w.time();
        else if (k === 0x3a) s.started = w.time();
        else if (k === 0x42) s.completed = w.time();
        else w.skip(k & 7);
      });
      statuses.push(s);
    } else if (key === 0x1a) {
      const l = { vertex: '', stream: 0, text: '', timestamp: undefined as number | undefined };
      w.fields(w.sub(), (k) => {
        if (k === 0x0a) l.vertex = w.string();
        else if (k === 0x12) l.timestamp = w.time();
        else if (k === 0x18) l.stream = w.int64();
        else if (k === 0x22) l.text = w.string();
        else w.skip(k & 7);
      });
      // Stream 0 (absent) is stdout, as the rawjson printer's default.
      l.stream ||= 1;
      logs.push(l);
    } else if (key === 0x22) {
      const x = { vertex: '', level: 0, text: '' };
      w.fields(w.sub(), (k) => {
        if (k === 0x0a) x.vertex = w.string();
        else if (k === 0x10) x.level = w.int64();
        else if (k === 0x1a) x.text = w.string();
        else w.skip(k & 7);
      });
      warnings.push(x);
    } else w.skip(key & 7);
  }
  return { vertexes, statuses, logs, warnings };
}
