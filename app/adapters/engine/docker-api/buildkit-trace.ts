import protobuf from 'protobufjs';
import type { SolveStatusDoc } from '../../../core/buildkit-progress';

/**
 * dockerd's own BuildKit (`POST /build?version=2`) streams its progress as JSON messages
 * `{"id":"moby.buildkit.trace","aux":"<base64>"}`, each a protobuf `moby.buildkit.v1.StatusResponse`
 * (BuildKit's api/services/control/control.proto). This decodes one into the SolveStatus shape that
 * `buildctl --progress rawjson` prints, so both routes feed the same step-graph parser.
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

interface Ts {
  seconds?: number;
  nanos?: number;
}
interface Decoded {
  vertexes?: Array<{ digest?: string; inputs?: string[]; name?: string; cached?: boolean; started?: Ts; completed?: Ts; error?: string }>;
  statuses?: Array<{ ID?: string; vertex?: string; name?: string; current?: number; total?: number; timestamp?: Ts; started?: Ts; completed?: Ts }>;
  logs?: Array<{ vertex?: string; timestamp?: Ts; stream?: number; msg?: Uint8Array }>;
  warnings?: Array<{ vertex?: string; level?: number; short?: Uint8Array }>;
}

/** RFC 3339 with nanoseconds, as BuildKit's JSON gives it; undefined for an absent time. */
export function rfc3339(t: Ts | undefined): string | undefined {
  if (!t) return undefined;
  const seconds = Number(t.seconds ?? 0);
  const date = new Date(seconds * 1000);
  if (!Number.isFinite(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 19)}.${String(t.nanos ?? 0).padStart(9, '0')}Z`;
}

const b64 = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');

/** Decodes the base64 `aux` of a `moby.buildkit.trace` message. Throws on bytes that are not a StatusResponse. */
export function decodeBuildkitTrace(aux: string): SolveStatusDoc {
  const msg = StatusResponse.toObject(StatusResponse.decode(Buffer.from(aux, 'base64')), { longs: Number, arrays: true }) as Decoded;
  return {
    vertexes: (msg.vertexes ?? []).map((v) => ({
      digest: v.digest ?? '',
      inputs: v.inputs ?? [],
      name: v.name ?? '',
      cached: v.cached ?? false,
      started: rfc3339(v.started),
      completed: rfc3339(v.completed),
      error: v.error ?? '',
    })),
    statuses: (msg.statuses ?? []).map((s) => ({
      id: s.ID ?? '',
      vertex: s.vertex ?? '',
      name: s.name ?? '',
      current: s.current ?? 0,
      total: s.total ?? 0,
      timestamp: rfc3339(s.timestamp),
      started: rfc3339(s.started),
      completed: rfc3339(s.completed),
    })),
    logs: (msg.logs ?? []).map((l) => ({ vertex: l.vertex ?? '', stream: l.stream ?? 1, data: b64(l.msg), timestamp: rfc3339(l.timestamp) })),
    warnings: (msg.warnings ?? []).map((w) => ({ vertex: w.vertex ?? '', level: w.level ?? 0, short: b64(w.short) })),
  };
}
