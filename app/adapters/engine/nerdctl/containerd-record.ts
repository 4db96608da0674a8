/**
 * A reader of containerd's ListContainerMessage (one Containers/ListStream message) for the fields a list reads, in one
 * pass over the bytes (issue 11: cold start). protobufjs decoded each of the 2,000 records of a list twice (the record
 * without its spec, then the spec or the whole record), through its generic reader, in a process whose code is still
 * cold. Same results as protobufjs's decode of those fields (test/unit/adapters/nerdctl-containerd-record.test.ts):
 * strings through node's UTF-8 decoder, bytes as views of the message (no copy), labels assigned on a plain object in
 * wire order (a later entry for a key wins), int64 seconds as numbers (exact up to 2^53, as containerd's times are),
 * absent messages as null, a message field given twice replaced by the last (as protobufjs's decoder does). A message
 * cut short throws, as with protobufjs; a known field of another wire type (protobufjs would misread it) throws too.
 */

import { labelsObject } from '../../../core/labels-object';

export interface TimestampFields {
  seconds: number;
  nanos: number;
}

/** containerd.services.containers.v1.Container: what a list reads. */
export interface ContainerRecordFields {
  id: string;
  labels: Record<string, string>;
  image: string;
  runtime: { name: string; options: { type_url: string; value: Buffer } | null } | null;
  /** The spec's JSON bytes (its google.protobuf.Any value), null without a spec. */
  spec: { value: Buffer } | null;
  created_at: TimestampFields | null;
  updated_at: TimestampFields | null;
}

/** A protobuf reader over `buf` from `start` to `end` (the messages' readers, containerd-messages.ts, use it too). */
export class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** A varint as a number: exact up to 2^53; a negative int64 (ten bytes) through BigInt. */
  varint(): number {
    const b = this.buf;
    let result = 0;
    let mul = 1;
    const start = this.pos;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) throw new RangeError('index out of range: a varint runs past the end of the message');
      const x = b[this.pos++] as number;
      result += (x & 0x7f) * mul;
      if ((x & 0x80) === 0) return result;
      mul *= 128;
    }
    // Past 49 bits (a negative int64 takes ten bytes): rare, and read exactly.
    return this.longVarint(start);
  }

  /** A varint past 2^53 (a negative int64 is one): read again from `start` as a signed 64-bit value. */
  private longVarint(start: number): number {
    this.pos = start;
    let v = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('index out of range: a varint runs past the end of the message');
      const x = this.buf[this.pos++] as number;
      v |= BigInt(x & 0x7f) << shift;
      if ((x & 0x80) === 0) return Number(BigInt.asIntN(64, v));
      shift += 7n;
    }
    throw new Error('invalid varint encoding');
  }

  /** A length-delimited field's range. */
  range(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw new RangeError('index out of range: a field runs past the end of the message');
    this.pos = end;
    return [start, end];
  }

  string(): string {
    const [s, e] = this.range();
    return this.buf.toString('utf8', s, e);
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.range();
    else if (wire === 5) this.pos += 4;
    else if (wire === 3) {
      for (;;) {
        const tag = this.varint();
        if ((tag & 7) === 4) break;
        this.skip(tag & 7);
      }
    } else throw new Error(`invalid wire type ${wire} at offset ${this.pos}`);
    if (this.pos > this.end) throw new RangeError('index out of range: a field runs past the end of the message');
  }

  sub(): Reader {
    const [s, e] = this.range();
    return new Reader(this.buf, s, e);
  }
}

function expectWire(wire: number, want: number, field: string): void {
  if (wire !== want) throw new Error(`containerd's container record: field ${field} has wire type ${wire}, not ${want}`);
}

export function timestamp(r: Reader): TimestampFields {
  const t = { seconds: 0, nanos: 0 };
  while (r.pos < r.end) {
    const tag = r.varint();
    const f = tag >>> 3;
    const w = tag & 7;
    if (f === 1 && w === 0) t.seconds = r.varint();
    // int32: the low 32 bits, signed.
    else if (f === 2 && w === 0) t.nanos = Number(BigInt.asIntN(32, BigInt(r.varint())));
    else r.skip(w);
  }
  return t;
}

function any(r: Reader): { type_url: string; value: Buffer } {
  let typeUrl = '';
  let value: Buffer = Buffer.alloc(0);
  while (r.pos < r.end) {
    const tag = r.varint();
    const f = tag >>> 3;
    const w = tag & 7;
    if (f === 1 && w === 2) typeUrl = r.string();
    else if (f === 2 && w === 2) {
      const [s, e] = r.range();
      value = r.buf.subarray(s, e);
    } else r.skip(w);
  }
  return { type_url: typeUrl, value };
}

function container(r: Reader): ContainerRecordFields {
  const c: ContainerRecordFields = { id: '', labels: labelsObject(), image: '', runtime: null, spec: null, created_at: null, updated_at: null };
  while (r.pos < r.end) {
    const tag = r.varint();
    const f = tag >>> 3;
    const w = tag & 7;
    switch (f) {
      case 1:
        expectWire(w, 2, 'id');
        c.id = r.string();
        break;
      case 2: {
        expectWire(w, 2, 'labels');
        const e = r.sub();
        let k = '';
        let v = '';
        while (e.pos < e.end) {
          const t = e.varint();
          if (t >>> 3 === 1 && (t & 7) === 2) k = e.string();
          else if (t >>> 3 === 2 && (t & 7) === 2) v = e.string();
          else e.skip(t & 7);
        }
        c.labels[k] = v;
        break;
      }
      case 3:
        expectWire(w, 2, 'image');
        c.image = r.string();
        break;
      case 4: {
        expectWire(w, 2, 'runtime');
        const s = r.sub();
        const rt: NonNullable<ContainerRecordFields['runtime']> = { name: '', options: null };
        while (s.pos < s.end) {
          const t = s.varint();
          if (t >>> 3 === 1 && (t & 7) === 2) rt.name = s.string();
          else if (t >>> 3 === 2 && (t & 7) === 2) rt.options = any(s.sub());
          else s.skip(t & 7);
        }
        c.runtime = rt;
        break;
      }
      case 5:
        expectWire(w, 2, 'spec');
        c.spec = { value: any(r.sub()).value };
        break;
      case 8:
        expectWire(w, 2, 'created_at');
        c.created_at = timestamp(r.sub());
        break;
      case 9:
        expectWire(w, 2, 'updated_at');
        c.updated_at = timestamp(r.sub());
        break;
      default:
        r.skip(w);
    }
  }
  return c;
}

/** The container of one ListContainerMessage (its field 1), null when it has none. */
export function readListContainerMessage(b: Buffer): ContainerRecordFields | null {
  const r = new Reader(b, 0, b.length);
  let c: ContainerRecordFields | null = null;
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag >>> 3 === 1) {
      expectWire(tag & 7, 2, 'container');
      c = container(r.sub());
    } else r.skip(tag & 7);
  }
  return c;
}
