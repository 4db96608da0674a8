import protobuf from 'protobufjs';
import type { SolveStatusDoc } from '../../../core/buildkit-progress';

/**
 * dockerd's own BuildKit (`POST /build?version=2`) streams its progress as JSON messages
 * `{"id":"moby.buildkit.trace","aux":"<base64>"}`, each a protobuf `moby.buildkit.v1.StatusResponse`
 * (BuildKit's api/services/control/control.proto). This decodes one into the SolveStatus shape that
 * `buildctl --progress rawjson` prints (times as epoch ms instead of RFC 3339 text), so both routes feed the same
 * step-graph parser.
 * Only the fields the graph uses are declared; protobuf skips the others (progress groups, source info).
 */
const Timestamp = { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } };
const root = protobuf.Root.fromJSON({
  nested: {
    StatusResponse: {
      fields: {
        vertexes: { rule: 'repeated', type: 'Vertex', id: 1 },
        statuses: { rule: 'repeated', type: 'VertexStatus', id: 2 },
        logs: { rule: 'repeated', type: 'VertexLog', id: 3 },
        warnings: { rule: 'repeated', type: 'VertexWarning', id: 4 },
      },
    },
    Vertex: {
      fields: {
        digest: { type: 'string', id: 1 },
        inputs: { rule: 'repeated', type: 'string', id: 2 },
        name: { type: 'string', id: 3 },
        cached: { type: 'bool', id: 4 },
        started: { type: 'Timestamp', id: 5 },
        completed: { type: 'Timestamp', id: 6 },
        error: { type: 'string', id: 7 },
      },
    },
    VertexStatus: {
      fields: {
        ID: { type: 'string', id: 1 },
        vertex: { type: 'string', id: 2 },
        name: { type: 'string', id: 3 },
        current: { type: 'int64', id: 4 },
        total: { type: 'int64', id: 5 },
        timestamp: { type: 'Timestamp', id: 6 },
        started: { type: 'Timestamp', id: 7 },
        completed: { type: 'Timestamp', id: 8 },
      },
    },
    VertexLog: {
      fields: { vertex: { type: 'string', id: 1 }, timestamp: { type: 'Timestamp', id: 2 }, stream: { type: 'int64', id: 3 }, msg: { type: 'bytes', id: 4 } },
    },
    VertexWarning: {
      fields: { vertex: { type: 'string', id: 1 }, level: { type: 'int64', id: 2 }, short: { type: 'bytes', id: 3 } },
    },
    Timestamp,
  },
});
const StatusResponse = root.lookupType('StatusResponse');

type Int64 = number | protobuf.Long;
interface Ts {
  seconds?: Int64 | null;
  nanos?: number | null;
}
/** The decoded message as protobufjs gives it (absent fields read as their defaults; int64 as Long or number). */
interface Decoded {
  vertexes?: Array<{ digest?: string; inputs?: string[]; name?: string; cached?: boolean; started?: Ts | null; completed?: Ts | null; error?: string }>;
  statuses?: Array<{ ID?: string; vertex?: string; name?: string; current?: Int64; total?: Int64; timestamp?: Ts | null; started?: Ts | null; completed?: Ts | null }>;
  logs?: Array<{ vertex?: string; timestamp?: Ts | null; stream?: Int64; msg?: Uint8Array }>;
  warnings?: Array<{ vertex?: string; level?: Int64; short?: Uint8Array }>;
}

const int = (v: Int64 | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : protobuf.util.LongBits.from(v).toNumber());

/**
 * A protobuf Timestamp as epoch milliseconds, the nanoseconds kept as its fraction (steps often start within the same
 * millisecond); undefined for an absent time or Go's zero time (year 1).
 */
export function timestampMs(t: Ts | null | undefined): number | undefined {
  if (!t) return undefined;
  const seconds = int(t.seconds);
  return seconds < 0 ? undefined : seconds * 1000 + (t.nanos ?? 0) / 1e6;
}

const b64 = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');

/**
 * Decodes the base64 `aux` of a `moby.buildkit.trace` message (times as epoch ms, log bytes base64). Read straight from
 * the decoded message: no plain-object copy, no time formatted as text to be parsed again. Throws on bytes that are not a
 * StatusResponse.
 */
export function decodeBuildkitTrace(aux: string): SolveStatusDoc {
  const msg = StatusResponse.decode(Buffer.from(aux, 'base64')) as unknown as Decoded;
  return {
    vertexes: (msg.vertexes ?? []).map((v) => ({
      digest: v.digest ?? '',
      inputs: v.inputs ?? [],
      name: v.name ?? '',
      cached: v.cached ?? false,
      started: timestampMs(v.started),
      completed: timestampMs(v.completed),
      error: v.error ?? '',
    })),
    statuses: (msg.statuses ?? []).map((s) => ({
      id: s.ID ?? '',
      vertex: s.vertex ?? '',
      name: s.name ?? '',
      current: int(s.current),
      total: int(s.total),
      timestamp: timestampMs(s.timestamp),
      started: timestampMs(s.started),
      completed: timestampMs(s.completed),
    })),
    logs: (msg.logs ?? []).map((l) => ({ vertex: l.vertex ?? '', stream: int(l.stream) || 1, data: b64(l.msg), timestamp: timestampMs(l.timestamp) })),
    warnings: (msg.warnings ?? []).map((w) => ({ vertex: w.vertex ?? '', level: int(w.level), short: b64(w.short) })),
  };
}
