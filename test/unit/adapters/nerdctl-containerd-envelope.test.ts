import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { readEnvelope, readEventPayload } from '../../../app/adapters/engine/nerdctl/containerd-envelope';
import { envelopeEvent } from '../../../app/adapters/engine/nerdctl/early-containers';
import { parseEventLine } from '../../../app/core/nerdctl-events';
import { GOOGLE_PROTOBUF } from '../../support/containerd-record-schema';
import { seededRandom } from '../../support/seeded-random';

/** containerd's Envelope and event payloads as protobufjs knows them, every field (containerd's api/events/*.proto). */
const ts = { type: 'google.protobuf.Timestamp' };
const SCHEMA = {
  nested: {
    google: GOOGLE_PROTOBUF,
    c: {
      nested: {
        Envelope: { fields: { timestamp: { ...ts, id: 1 }, namespace: { type: 'string', id: 2 }, topic: { type: 'string', id: 3 }, event: { type: 'google.protobuf.Any', id: 4 } } },
        Runtime: { fields: { name: { type: 'string', id: 1 }, options: { type: 'google.protobuf.Any', id: 2 } } },
        ContainerCreate: { fields: { id: { type: 'string', id: 1 }, image: { type: 'string', id: 2 }, runtime: { type: 'Runtime', id: 3 } } },
        ContainerUpdate: { fields: { id: { type: 'string', id: 1 }, image: { type: 'string', id: 2 }, labels: { keyType: 'string', type: 'string', id: 3 }, snapshot_key: { type: 'string', id: 4 } } },
        ContainerDelete: { fields: { id: { type: 'string', id: 1 } } },
        Mount: { fields: { type: { type: 'string', id: 1 }, source: { type: 'string', id: 2 }, target: { type: 'string', id: 3 }, options: { rule: 'repeated', type: 'string', id: 4 } } },
        TaskIO: { fields: { stdin: { type: 'string', id: 1 }, stdout: { type: 'string', id: 2 }, stderr: { type: 'string', id: 3 }, terminal: { type: 'bool', id: 4 } } },
        TaskCreate: { fields: { container_id: { type: 'string', id: 1 }, bundle: { type: 'string', id: 2 }, rootfs: { rule: 'repeated', type: 'Mount', id: 3 }, io: { type: 'TaskIO', id: 4 }, checkpoint: { type: 'string', id: 5 }, pid: { type: 'uint32', id: 6 } } },
        TaskStart: { fields: { container_id: { type: 'string', id: 1 }, pid: { type: 'uint32', id: 2 } } },
        TaskDelete: { fields: { container_id: { type: 'string', id: 1 }, pid: { type: 'uint32', id: 2 }, exit_status: { type: 'uint32', id: 3 }, exited_at: { ...ts, id: 4 }, id: { type: 'string', id: 5 } } },
        TaskExit: { fields: { container_id: { type: 'string', id: 1 }, id: { type: 'string', id: 2 }, pid: { type: 'uint32', id: 3 }, exit_status: { type: 'uint32', id: 4 }, exited_at: { ...ts, id: 5 }, exit_reason: { type: 'int32', id: 6 } } },
        TaskOOM: { fields: { container_id: { type: 'string', id: 1 } } },
        TaskExecAdded: { fields: { container_id: { type: 'string', id: 1 }, exec_id: { type: 'string', id: 2 } } },
        TaskExecStarted: { fields: { container_id: { type: 'string', id: 1 }, exec_id: { type: 'string', id: 2 }, pid: { type: 'uint32', id: 3 } } },
        TaskPaused: { fields: { container_id: { type: 'string', id: 1 } } },
        TaskResumed: { fields: { container_id: { type: 'string', id: 1 } } },
        SnapshotPrepare: { fields: { key: { type: 'string', id: 1 }, parent: { type: 'string', id: 2 }, snapshotter: { type: 'string', id: 5 } } },
        ImageCreate: { fields: { name: { type: 'string', id: 1 }, labels: { keyType: 'string', type: 'string', id: 2 } } },
        ImageUpdate: { fields: { name: { type: 'string', id: 1 }, labels: { keyType: 'string', type: 'string', id: 2 } } },
        ImageDelete: { fields: { name: { type: 'string', id: 1 } } },
      },
    },
  },
};
const root = protobuf.Root.fromJSON(SCHEMA);
const T = (name: string) => root.lookupType(`c.${name}`);
const enc = (name: string, v: object) => Buffer.from(T(name).encode(T(name).create(v)).finish());

/** Topic → payload type (containerd publishes each topic with its one type). */
const TYPES: Record<string, string> = {
  '/containers/create': 'ContainerCreate',
  '/containers/update': 'ContainerUpdate',
  '/containers/delete': 'ContainerDelete',
  '/tasks/create': 'TaskCreate',
  '/tasks/start': 'TaskStart',
  '/tasks/delete': 'TaskDelete',
  '/tasks/exit': 'TaskExit',
  '/tasks/oom': 'TaskOOM',
  '/tasks/exec-added': 'TaskExecAdded',
  '/tasks/exec-started': 'TaskExecStarted',
  '/tasks/paused': 'TaskPaused',
  '/tasks/resumed': 'TaskResumed',
  '/snapshot/prepare': 'SnapshotPrepare',
  '/images/create': 'ImageCreate',
  '/images/update': 'ImageUpdate',
  '/images/delete': 'ImageDelete',
};

interface Sample {
  seconds: number;
  nanos: number;
  namespace: string;
  topic: string;
  payload: Record<string, unknown>;
}

function envelope(s: Sample): Buffer {
  const type = TYPES[s.topic] as string;
  return enc('Envelope', {
    timestamp: { seconds: s.seconds, nanos: s.nanos },
    namespace: s.namespace,
    topic: s.topic,
    event: { type_url: `containerd.events.${type}`, value: enc(type, s.payload) },
  });
}

/** Go's RFC 3339 with nanoseconds (time.Time's JSON): UTC here, the fraction's trailing zeros trimmed. */
function goTime(seconds: number, nanos: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  const frac = nanos ? `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${base}${frac}Z`;
}

/**
 * The line `nerdctl events --format json` prints for the same event (nerdctl's pkg/cmd/system/events.go): Go's JSON of
 * the generated payload struct, whose fields are all `omitempty` (so '', 0, false, empty lists and maps are left out),
 * and its container_id as ID.
 */
function nerdctlLine(s: Sample): string {
  const ev: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s.payload)) {
    if (v === '' || v === 0 || v === false || v === null || v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    ev[k] = v;
  }
  const id = typeof ev.container_id === 'string' ? ev.container_id : '';
  return JSON.stringify({ Timestamp: goTime(s.seconds, s.nanos), ID: id, Namespace: s.namespace, Topic: s.topic, Status: s.topic.includes('start') ? 'start' : 'unknown', Event: JSON.stringify(ev) });
}

const NS = 'default';
const samples: Sample[] = [
  { seconds: 1_765_000_000, nanos: 123_456_789, namespace: NS, topic: '/containers/create', payload: { id: 'c1', image: 'docker.io/library/busybox:latest', runtime: { name: 'io.containerd.runc.v2', options: { type_url: 'x', value: Buffer.from('y') } } } },
  { seconds: 1_765_000_001, nanos: 0, namespace: NS, topic: '/containers/update', payload: { id: 'c1', image: '', labels: { a: 'b' }, snapshot_key: 'k' } },
  { seconds: 1_765_000_002, nanos: 500_000_000, namespace: NS, topic: '/tasks/create', payload: { container_id: 'c1', bundle: '/run/x', rootfs: [{ type: 'overlay', source: 'overlay', options: ['a'] }], io: { stdout: '/p' }, pid: 42 } },
  { seconds: 1_765_000_003, nanos: 1, namespace: NS, topic: '/tasks/start', payload: { container_id: 'c1', pid: 42 } },
  { seconds: 1_765_000_004, nanos: 999_999_999, namespace: NS, topic: '/tasks/exec-added', payload: { container_id: 'c1', exec_id: 'e1' } },
  { seconds: 1_765_000_005, nanos: 1_000, namespace: NS, topic: '/tasks/exec-started', payload: { container_id: 'c1', exec_id: 'e1', pid: 43 } },
  // An exec's exit (id beside container_id), status 0 (left out by nerdctl).
  { seconds: 1_765_000_006, nanos: 120_000, namespace: NS, topic: '/tasks/exit', payload: { container_id: 'c1', id: 'e1', pid: 43, exit_status: 0, exited_at: { seconds: 1_765_000_006, nanos: 1 } } },
  // The init process's exit: its id is the container's.
  { seconds: 1_765_000_007, nanos: 7, namespace: NS, topic: '/tasks/exit', payload: { container_id: 'c1', id: 'c1', pid: 42, exit_status: 137, exit_reason: 1 } },
  { seconds: 1_765_000_008, nanos: 0, namespace: NS, topic: '/tasks/delete', payload: { container_id: 'c1', pid: 42, exit_status: 4294967295, id: '' } },
  { seconds: 1_765_000_009, nanos: 10, namespace: NS, topic: '/tasks/paused', payload: { container_id: 'c1' } },
  { seconds: 1_765_000_010, nanos: 10, namespace: NS, topic: '/tasks/resumed', payload: { container_id: 'c1' } },
  { seconds: 1_765_000_011, nanos: 10, namespace: NS, topic: '/tasks/oom', payload: { container_id: 'c1' } },
  { seconds: 1_765_000_012, nanos: 10, namespace: NS, topic: '/containers/delete', payload: { id: 'c1' } },
  { seconds: 1_765_000_013, nanos: 10, namespace: NS, topic: '/images/create', payload: { name: 'docker.io/library/busybox:latest', labels: { x: 'y' } } },
  { seconds: 1_765_000_014, nanos: 10, namespace: NS, topic: '/images/update', payload: { name: 'docker.io/library/busybox:1' } },
  { seconds: 1_765_000_015, nanos: 10, namespace: NS, topic: '/images/delete', payload: { name: 'docker.io/library/busybox:1' } },
];

describe('containerd\'s event Envelopes read by hand, as nerdctl events prints them', () => {
  it('gives parseEventLine\'s event of nerdctl\'s line for every topic Berth follows', () => {
    for (const s of samples) {
      const want = parseEventLine(nerdctlLine(s), NS);
      expect(want, s.topic).not.toBeNull();
      expect(envelopeEvent(envelope(s), NS), `${s.topic} ${JSON.stringify(s.payload)}`).toEqual(want);
    }
    // A few the samples pin down.
    expect(envelopeEvent(envelope(samples[6] as Sample), NS)).toEqual({ kind: 'container', action: 'exec_die', id: 'c1', attributes: { execID: 'e1' }, time: 1_765_000_006_000 + 0.12 });
    expect(envelopeEvent(envelope(samples[7] as Sample), NS)).toMatchObject({ action: 'die', id: 'c1', attributes: { exitCode: '137' } });
    expect(envelopeEvent(envelope(samples[0] as Sample), NS)).toEqual({ kind: 'container', action: 'create', id: 'c1', attributes: { image: 'docker.io/library/busybox:latest' }, time: 1_765_000_000_123 + 0.456789 });
  });

  it('gives nothing for a topic Berth ignores, another namespace\'s event, or an event that names nothing', () => {
    const snap: Sample = { seconds: 1, nanos: 0, namespace: NS, topic: '/snapshot/prepare', payload: { key: 'k', parent: 'p', snapshotter: 'overlayfs' } };
    expect(parseEventLine(nerdctlLine(snap), NS)).toBeNull();
    expect(envelopeEvent(envelope(snap), NS)).toBeNull();
    expect(readEventPayload('/snapshot/prepare', enc('SnapshotPrepare', snap.payload))).toBeNull();
    for (const s of samples) {
      const other = { ...s, namespace: 'k8s.io' };
      expect(parseEventLine(nerdctlLine(other), NS)).toBeNull();
      expect(envelopeEvent(envelope(other), NS)).toBeNull();
      expect(envelopeEvent(envelope(other), 'k8s.io')).toEqual(parseEventLine(nerdctlLine(other), 'k8s.io'));
    }
    const nameless: Sample = { seconds: 1, nanos: 0, namespace: NS, topic: '/tasks/start', payload: { pid: 3 } };
    expect(parseEventLine(nerdctlLine(nameless), NS)).toBeNull();
    expect(envelopeEvent(envelope(nameless), NS)).toBeNull();
  });

  it('reads the Envelope\'s fields as protobufjs encodes them; a payload that cannot be read is dropped, a cut Envelope throws', () => {
    const b = envelope(samples[3] as Sample);
    const e = readEnvelope(b);
    expect({ ...e, event: [...e.event] }).toEqual({ timestamp: { seconds: 1_765_000_003, nanos: 1 }, namespace: NS, topic: '/tasks/start', typeUrl: 'containerd.events.TaskStart', event: [...enc('TaskStart', { container_id: 'c1', pid: 42 })] });
    // A payload cut short (nerdctl cannot unmarshal it, warns and prints nothing).
    const cut = enc('Envelope', { timestamp: { seconds: 1, nanos: 0 }, namespace: NS, topic: '/tasks/start', event: { type_url: 'containerd.events.TaskStart', value: enc('TaskStart', { container_id: 'c1' }).subarray(0, 2) } });
    expect(envelopeEvent(cut, NS)).toBeNull();
    expect(() => envelopeEvent(b.subarray(0, b.length - 3), NS)).toThrow(RangeError);
    // A uint32 sent as a longer varint is its low 32 bits (as Go's and protobufjs's decoders read it).
    const wide = protobuf.Root.fromJSON({ nested: { W: { fields: { container_id: { type: 'string', id: 1 }, exit_status: { type: 'uint64', id: 4 } } } } }).lookupType('W');
    expect(readEventPayload('/tasks/exit', Buffer.from(wide.encode(wide.create({ container_id: 'c1', exit_status: 2 ** 32 + 3 })).finish()))).toEqual({ container_id: 'c1', exit_status: 3 });
    expect(readEventPayload('/tasks/exit', Buffer.from(wide.encode(wide.create({ container_id: 'c1', exit_status: 2 ** 32 })).finish()))).toEqual({ container_id: 'c1' });
  });

  it('matches on random payloads (ids, execs, exit statuses, times)', () => {
    const rnd = seededRandom(1411);
    const pick = <X>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)] as X;
    const ids = ['', 'c1', 'e9', 'abcdef0123456789', 'ünï'];
    const topics = Object.keys(TYPES).filter((t) => t !== '/snapshot/prepare');
    for (let n = 0; n < 500; n++) {
      const topic = pick(topics);
      const type = TYPES[topic] as string;
      const payload: Record<string, unknown> = {};
      for (const [name, f] of Object.entries(T(type).fields)) {
        if (f.type === 'string') payload[name] = pick(ids);
        else if (f.type === 'uint32') payload[name] = pick([0, 1, 137, 255, 4294967295]);
      }
      const s: Sample = { seconds: Math.floor(rnd() * 2e9), nanos: pick([0, 1, 999_999_999, Math.floor(rnd() * 1e9), 1_000_000, 123_000]), namespace: NS, topic, payload };
      expect(envelopeEvent(envelope(s), NS), JSON.stringify(s)).toEqual(parseEventLine(nerdctlLine(s), NS));
    }
  });
});
