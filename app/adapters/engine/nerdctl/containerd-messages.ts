/**
 * containerd's request and reply messages for the calls the list makes besides Containers/ListStream (whose records
 * containerd-record.ts reads): the requests encoded, Tasks/List, Tasks/Get and Images/List's replies read, by hand
 * instead of through protobufjs (issue 11: cold start; loading protobufjs and building its types took ~50 ms of CPU in
 * a fresh process, on the first list's path). Only the fields Berth reads; the others are skipped. Same bytes and
 * values as protobufjs's encode and decode of those fields (test/unit/adapters/nerdctl-containerd-messages.test.ts).
 */

import { Reader, timestamp, type TimestampFields } from './containerd-record';

/** containerd.v1.types.Process: what a list reads. */
export interface ProcessFields {
  id: string;
  status: number;
  exit_status: number;
  exited_at: TimestampFields | null;
}

/** containerd.services.images.v1.Image: its name and its target's digest ('' without a target). */
export interface ImageFields {
  name: string;
  digest: string;
}

/** A varint's bytes. */
function varint(out: number[], v: number): void {
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/**
 * A message of string fields (field number → its values, in order; a repeated field has several), as protobufjs encodes
 * it: fields in ascending number, an empty string of a singular field left out (proto3), each of a repeated one kept.
 */
export function encodeStrings(fields: Record<number, string | readonly string[]>): Buffer {
  const parts: Buffer[] = [];
  for (const key of Object.keys(fields).map(Number).sort((a, b) => a - b)) {
    const v = fields[key] as string | readonly string[];
    const values = typeof v === 'string' ? (v === '' ? [] : [v]) : v;
    for (const s of values) {
      const bytes = Buffer.from(s, 'utf8');
      const head: number[] = [];
      varint(head, (key << 3) | 2);
      varint(head, bytes.length);
      parts.push(Buffer.from(head), bytes);
    }
  }
  return Buffer.concat(parts);
}

/** An int32 field's value (a varint's low 32 bits, signed). */
const int32 = (v: number) => Number(BigInt.asIntN(32, BigInt(v)));
/** A uint32 field's value (a varint's low 32 bits). */
const uint32 = (v: number) => Number(BigInt.asUintN(32, BigInt(v)));

function processOf(r: Reader): ProcessFields {
  const p: ProcessFields = { id: '', status: 0, exit_status: 0, exited_at: null };
  while (r.pos < r.end) {
    const tag = r.varint();
    const f = tag >>> 3;
    const w = tag & 7;
    if (f === 2 && w === 2) p.id = r.string();
    else if (f === 4 && w === 0) p.status = int32(r.varint());
    else if (f === 9 && w === 0) p.exit_status = uint32(r.varint());
    else if (f === 10 && w === 2) p.exited_at = timestamp(r.sub());
    else r.skip(w);
  }
  return p;
}

/** containerd.services.tasks.v1.ListTasksResponse: its tasks. */
export function readListTasksResponse(b: Buffer): ProcessFields[] {
  const r = new Reader(b, 0, b.length);
  const out: ProcessFields[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) out.push(processOf(r.sub()));
    else r.skip(tag & 7);
  }
  return out;
}

/** containerd.services.tasks.v1.GetResponse: its process, null without one (the last one given, as protobufjs merges). */
export function readGetResponse(b: Buffer): ProcessFields | null {
  const r = new Reader(b, 0, b.length);
  let p: ProcessFields | null = null;
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) p = processOf(r.sub());
    else r.skip(tag & 7);
  }
  return p;
}

function imageOf(r: Reader): ImageFields {
  const i: ImageFields = { name: '', digest: '' };
  while (r.pos < r.end) {
    const tag = r.varint();
    const f = tag >>> 3;
    const w = tag & 7;
    if (f === 1 && w === 2) i.name = r.string();
    else if (f === 3 && w === 2) {
      // containerd.types.Descriptor: its digest (2); a target given twice is replaced by the last one.
      const d = r.sub();
      i.digest = '';
      while (d.pos < d.end) {
        const t = d.varint();
        if (t >>> 3 === 2 && (t & 7) === 2) i.digest = d.string();
        else d.skip(t & 7);
      }
    } else r.skip(w);
  }
  return i;
}

/** containerd.services.images.v1.ListImagesResponse: each image's name and target digest. */
export function readListImagesResponse(b: Buffer): ImageFields[] {
  const r = new Reader(b, 0, b.length);
  const out: ImageFields[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) out.push(imageOf(r.sub()));
    else r.skip(tag & 7);
  }
  return out;
}

/** The id of a ListContainerMessage's container ('' without one): a record looked for by id is read whole only if wanted. */
export function readListContainerId(b: Buffer): string {
  const r = new Reader(b, 0, b.length);
  let id = '';
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) {
      const c = r.sub();
      id = '';
      while (c.pos < c.end) {
        const t = c.varint();
        if (t >>> 3 === 1 && (t & 7) === 2) id = c.string();
        else c.skip(t & 7);
      }
    } else r.skip(tag & 7);
  }
  return id;
}
