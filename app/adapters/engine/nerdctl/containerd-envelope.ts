/**
 * containerd's own event stream (containerd.services.events.v1.Events/Subscribe) read by hand: its Envelope (timestamp 1,
 * namespace 2, topic 3, event 4 as a google.protobuf.Any) and, of the payloads of the topics Berth follows
 * (core/nerdctl-events.ts), the fields Berth reads (containerd's api/events/*.proto), as `nerdctl events --format json`
 * prints them: Go's JSON of the payload, where a string that is '' and an exit status of 0 are left out. Read by the
 * early list's subscription (early-list.ts), before the core's modules load: nothing here imports zod or the contract;
 * the Berth event is made from these fields by core/nerdctl-events.ts's containerdEvent (early-containers.ts).
 */

import { Reader, timestamp, type TimestampFields } from './containerd-record';

/** The fields of a containerd event's payload Berth reads (as core/nerdctl-events.ts's ContainerdEventFields). */
export interface EventPayloadFields {
  container_id?: string;
  id?: string;
  exec_id?: string;
  exit_status?: number;
  image?: string;
  name?: string;
}

/** One Envelope's fields (the payload a view of the message). */
export interface EnvelopeFields {
  timestamp: TimestampFields | null;
  namespace: string;
  topic: string;
  typeUrl: string;
  event: Buffer;
}

export function readEnvelope(b: Buffer): EnvelopeFields {
  const r = new Reader(b, 0, b.length);
  const e: EnvelopeFields = { timestamp: null, namespace: '', topic: '', typeUrl: '', event: b.subarray(0, 0) };
  while (r.pos < r.end) {
    const tag = r.varint();
    const f = tag >>> 3;
    const w = tag & 7;
    if (f === 1 && w === 2) e.timestamp = timestamp(r.sub());
    else if (f === 2 && w === 2) e.namespace = r.string();
    else if (f === 3 && w === 2) e.topic = r.string();
    else if (f === 4 && w === 2) {
      // google.protobuf.Any: type_url (1), value (2); an Any given twice is replaced by the last one.
      const a = r.sub();
      e.typeUrl = '';
      e.event = b.subarray(0, 0);
      while (a.pos < a.end) {
        const t = a.varint();
        if (t >>> 3 === 1 && (t & 7) === 2) e.typeUrl = a.string();
        else if (t >>> 3 === 2 && (t & 7) === 2) {
          const [s, end] = a.range();
          e.event = b.subarray(s, end);
        } else a.skip(t & 7);
      }
    } else r.skip(w);
  }
  return e;
}

type Field = { name: keyof EventPayloadFields; kind: 'string' | 'uint32' };
const S = (name: Field['name']): Field => ({ name, kind: 'string' });
/** The fields Berth reads of each topic's payload, by field number (containerd's api/events/{container,task,image}.proto). */
const PAYLOADS: Record<string, Record<number, Field>> = {
  // ContainerCreate / ContainerUpdate: id 1, image 2; ContainerDelete: id 1.
  '/containers/create': { 1: S('id'), 2: S('image') },
  '/containers/update': { 1: S('id'), 2: S('image') },
  '/containers/delete': { 1: S('id') },
  // TaskCreate, TaskStart, TaskPaused, TaskResumed, TaskOOM: container_id 1.
  '/tasks/create': { 1: S('container_id') },
  '/tasks/start': { 1: S('container_id') },
  '/tasks/paused': { 1: S('container_id') },
  '/tasks/resumed': { 1: S('container_id') },
  '/tasks/oom': { 1: S('container_id') },
  // TaskExit: container_id 1, id 2, exit_status 4.
  '/tasks/exit': { 1: S('container_id'), 2: S('id'), 4: { name: 'exit_status', kind: 'uint32' } },
  // TaskDelete: container_id 1, exit_status 3, id 5.
  '/tasks/delete': { 1: S('container_id'), 3: { name: 'exit_status', kind: 'uint32' }, 5: S('id') },
  // TaskExecAdded, TaskExecStarted: container_id 1, exec_id 2.
  '/tasks/exec-added': { 1: S('container_id'), 2: S('exec_id') },
  '/tasks/exec-started': { 1: S('container_id'), 2: S('exec_id') },
  // ImageCreate, ImageUpdate, ImageDelete: name 1.
  '/images/create': { 1: S('name') },
  '/images/update': { 1: S('name') },
  '/images/delete': { 1: S('name') },
};

/**
 * The fields Berth reads of a topic's payload, as nerdctl's JSON has them: '' and 0 left out (Go's omitempty), the last
 * value of a field given twice. Null for a topic Berth does not follow.
 */
export function readEventPayload(topic: string, b: Buffer): EventPayloadFields | null {
  const fields = Object.hasOwn(PAYLOADS, topic) ? PAYLOADS[topic] : undefined;
  if (!fields) return null;
  const out: Record<string, string | number> = {};
  const r = new Reader(b, 0, b.length);
  while (r.pos < r.end) {
    const tag = r.varint();
    const w = tag & 7;
    const field = fields[tag >>> 3];
    if (field?.kind === 'string' && w === 2) {
      const v = r.string();
      if (v === '') delete out[field.name];
      else out[field.name] = v;
    } else if (field?.kind === 'uint32' && w === 0) {
      // uint32: the low 32 bits.
      const v = r.varint() % 2 ** 32;
      if (v === 0) delete out[field.name];
      else out[field.name] = v;
    } else r.skip(w);
  }
  return out as EventPayloadFields;
}

/** Go's zero time (0001-01-01) in Unix seconds: nerdctl's time parse gives null for it, and the event is stamped now. */
const GO_ZERO_SECONDS = -62135596800;

/** An Envelope's time as parseEventLine reads nerdctl's RFC 3339 print of it: milliseconds plus the sub-millisecond fraction. */
export function envelopeTimeMs(t: TimestampFields | null): number {
  const seconds = t?.seconds ?? 0;
  const nanos = t?.nanos ?? 0;
  if (seconds <= GO_ZERO_SECONDS) return Date.now();
  const sub = nanos % 1_000_000;
  // parseEventLine adds Number('0.' + the digits after the third) to the milliseconds: the same double as sub / 1e6.
  return seconds * 1000 + Math.trunc(nanos / 1_000_000) + sub / 1_000_000;
}
