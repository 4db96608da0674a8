import fs from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeBuildkitTrace, timestampMs } from '../../../app/adapters/engine/docker-api/buildkit-trace';
import { BuildkitStream } from '../../../app/core/buildkit-stream';

// Recorded from the real dockerd 20.10 (its own BuildKit, POST /build?version=2) by test/fixtures/buildkit/record-dockerd.ts.
const frames = (name: string) =>
  fs
    .readFileSync(path.join(__dirname, '../../fixtures/buildkit', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id?: string; aux?: unknown; error?: string; errorDetail?: { message: string } });

/** Feeds a recorded response body as the dockerd route does; returns the stream's items and graph. */
function replay(name: string) {
  const s = new BuildkitStream();
  const items = [];
  let imageId = '';
  for (const m of frames(name)) {
    if (m.id === 'moby.buildkit.trace') items.push(...s.pushStatus(decodeBuildkitTrace(String(m.aux))));
    else if (m.id === 'moby.image.id') imageId = (m.aux as { ID: string }).ID;
    else if (m.errorDetail) items.push(...s.pushOther(`error: ${m.errorDetail.message}`));
  }
  items.push(...s.end());
  return { items, graph: s.graph(), imageId };
}

/**
 * The reference: BuildKit's StatusResponse read by protobufjs (the decoder this file had before it read the wire by hand),
 * with fields the hand reader skips (progress groups, warning details, fixed-width fields) declared too.
 */
const Wide = protobuf.Root.fromJSON({
  nested: {
    StatusResponse: {
      fields: {
        vertexes: { rule: 'repeated', type: 'Vertex', id: 1 },
        statuses: { rule: 'repeated', type: 'VertexStatus', id: 2 },
        logs: { rule: 'repeated', type: 'VertexLog', id: 3 },
        warnings: { rule: 'repeated', type: 'VertexWarning', id: 4 },
        extra: { type: 'string', id: 9 },
        extraFixed: { type: 'fixed64', id: 10 },
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
        progressGroup: { type: 'ProgressGroup', id: 8 },
      },
    },
    ProgressGroup: { fields: { id: { type: 'string', id: 1 }, name: { type: 'string', id: 2 }, weak: { type: 'bool', id: 3 } } },
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
    VertexLog: { fields: { vertex: { type: 'string', id: 1 }, timestamp: { type: 'Timestamp', id: 2 }, stream: { type: 'int64', id: 3 }, msg: { type: 'bytes', id: 4 } } },
    VertexWarning: {
      fields: {
        vertex: { type: 'string', id: 1 },
        level: { type: 'int64', id: 2 },
        short: { type: 'bytes', id: 3 },
        detail: { rule: 'repeated', type: 'bytes', id: 4 },
        url: { type: 'string', id: 5 },
        fixed: { type: 'sfixed64', id: 6 },
        fixed32: { type: 'fixed32', id: 8 },
      },
    },
    Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
  },
}).lookupType('StatusResponse');

type Ts = { seconds?: number | protobuf.Long; nanos?: number } | null | undefined;
type Obj = Record<string, unknown>;
const num = (v: unknown) => (v === undefined ? 0 : typeof v === 'number' ? v : protobuf.util.LongBits.from(v as protobuf.Long).toNumber());
const refTime = (t: unknown) => {
  const x = t as Ts;
  return x ? timestampMs({ seconds: num(x.seconds), nanos: x.nanos ?? 0 }) : undefined;
};
const text = (b: unknown) => Buffer.from(b as Uint8Array).toString('utf8');
function reference(aux: string) {
  const m = Wide.toObject(Wide.decode(Buffer.from(aux, 'base64')), { arrays: true, defaults: true, longs: Number }) as Record<string, Obj[] | undefined>;
  return {
    vertexes: (m.vertexes ?? []).map((v) => ({ digest: v.digest, inputs: v.inputs, name: v.name, cached: v.cached, started: refTime(v.started), completed: refTime(v.completed), error: v.error })),
    statuses: (m.statuses ?? []).map((s) => ({ id: s.ID, vertex: s.vertex, name: s.name, current: num(s.current), total: num(s.total), timestamp: refTime(s.timestamp), started: refTime(s.started), completed: refTime(s.completed) })),
    logs: (m.logs ?? []).map((l) => ({ vertex: l.vertex, stream: num(l.stream) || 1, text: text(l.msg), timestamp: refTime(l.timestamp) })),
    warnings: (m.warnings ?? []).map((w) => ({ vertex: w.vertex, level: num(w.level), text: text(w.short) })),
  };
}

describe('timestampMs', () => {
  it('gives epoch ms with the nanoseconds as the fraction; an absent time and Go\'s zero time are undefined', () => {
    expect(timestampMs({ seconds: 1764928800, nanos: 1234 })).toBe(1764928800000 + 1234 / 1e6);
    expect(timestampMs({ seconds: protobuf.util.LongBits.fromNumber(1764928800).toLong(), nanos: 0 })).toBe(1764928800000);
    expect(timestampMs({ seconds: 1764928800 })).toBe(1764928800000);
    expect(timestampMs({ seconds: -62135596800, nanos: 0 })).toBeUndefined();
    expect(timestampMs(null)).toBeUndefined();
    expect(timestampMs(undefined)).toBeUndefined();
  });
});

describe('decodeBuildkitTrace', () => {
  it('decodes a StatusResponse into the rawjson SolveStatus shape (times epoch ms, log bytes as text)', () => {
    const first = frames('dockerd-first.jsonl').find((m) => m.id === 'moby.buildkit.trace');
    const doc = decodeBuildkitTrace(String(first?.aux));
    expect(doc.vertexes).toEqual([
      { digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), inputs: [], name: '[internal] load remote build context', cached: false, started: undefined, completed: undefined, error: '' },
    ]);
  });

  it('reads log bytes, statuses and fields it was not told about (skipped) from a message encoded here', () => {
    const T = protobuf.Root.fromJSON({
      nested: {
        S: { fields: { vertexes: { rule: 'repeated', type: 'V', id: 1 }, statuses: { rule: 'repeated', type: 'St', id: 2 }, logs: { rule: 'repeated', type: 'L', id: 3 } } },
        V: { fields: { digest: { type: 'string', id: 1 }, name: { type: 'string', id: 3 }, cached: { type: 'bool', id: 4 }, started: { type: 'Ts', id: 5 }, error: { type: 'string', id: 7 }, group: { type: 'string', id: 8 } } },
        St: { fields: { ID: { type: 'string', id: 1 }, vertex: { type: 'string', id: 2 }, current: { type: 'int64', id: 4 }, total: { type: 'int64', id: 5 } } },
        L: { fields: { vertex: { type: 'string', id: 1 }, stream: { type: 'int64', id: 3 }, msg: { type: 'bytes', id: 4 } } },
        Ts: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
      },
    }).lookupType('S');
    const bytes = T.encode(
      T.fromObject({
        vertexes: [{ digest: 'sha256:a', name: '[2/2] RUN x', cached: true, started: { seconds: 1764928800, nanos: 5 }, error: 'boom', group: 'ignored' }],
        statuses: [{ ID: 'transferring', vertex: 'sha256:a', current: 5_000_000_000, total: 6_000_000_000 }],
        logs: [{ vertex: 'sha256:a', stream: 2, msg: Buffer.from('line\n') }],
      }),
    ).finish();
    const doc = decodeBuildkitTrace(Buffer.from(bytes).toString('base64'));
    expect(doc.vertexes).toEqual([{ digest: 'sha256:a', inputs: [], name: '[2/2] RUN x', cached: true, started: 1764928800000 + 5 / 1e6, completed: undefined, error: 'boom' }]);
    expect(doc.statuses).toEqual([{ id: 'transferring', vertex: 'sha256:a', name: '', current: 5_000_000_000, total: 6_000_000_000, timestamp: undefined, started: undefined, completed: undefined }]);
    expect(doc.logs).toEqual([{ vertex: 'sha256:a', stream: 2, text: 'line\n', timestamp: undefined }]);
  });

  it('reads what protobufjs reads from every recorded frame and from messages with every wire type, negative and 64-bit values', () => {
    const recorded = ['dockerd-first.jsonl', 'dockerd-cached.jsonl', 'dockerd-failed.jsonl'].flatMap((f) => frames(f).filter((m) => m.id === 'moby.buildkit.trace').map((m) => String(m.aux)));
    expect(recorded.length).toBeGreaterThan(40);
    const ts = (seconds: number, nanos = 0) => ({ seconds, nanos });
    const made = [
      {
        vertexes: [
          { digest: 'sha256:b', inputs: ['sha256:a', 'sha256:c'], name: '[1/1] RUN ünïcode ✓', cached: false, started: ts(1764928800, 999_999_999), completed: ts(-62135596800), error: '', progressGroup: { id: 'g', name: 'group', weak: true } },
          { digest: 'sha256:c', started: ts(1764928801, -5) },
        ],
        statuses: [{ ID: 'x', vertex: 'sha256:b', name: 'n', current: -1, total: 2 ** 52 + 1, timestamp: ts(1), started: ts(0, 1), completed: ts(1764928802, 7) }],
        logs: [{ vertex: 'sha256:b', timestamp: ts(1764928803, 3), stream: 0, msg: Buffer.from('héllo ✓\nworld') }, { vertex: 'sha256:b', stream: 2, msg: Buffer.from([0xff, 0x41]) }],
        warnings: [{ vertex: 'sha256:b', level: 1, short: Buffer.from('careful'), detail: [Buffer.from('d')], url: 'https://x', fixed: 7, fixed32: 3 }],
        extra: 'a field this reader does not know',
        extraFixed: 12345,
      },
    ].map((o) => Buffer.from(Wide.encode(Wide.fromObject(o)).finish()).toString('base64'));
    for (const aux of [...recorded, ...made]) expect(decodeBuildkitTrace(aux)).toEqual(reference(aux));
  });

  it('refuses a message cut inside a field', () => {
    const aux = frames('dockerd-first.jsonl').find((m) => m.id === 'moby.buildkit.trace')?.aux;
    const bytes = Buffer.from(String(aux), 'base64');
    for (const n of [2, 10, bytes.length - 1]) expect(() => decodeBuildkitTrace(bytes.subarray(0, n).toString('base64'))).toThrow(/not a BuildKit StatusResponse/);
    // A group (wire type 3) is not something BuildKit sends.
    expect(() => decodeBuildkitTrace(Buffer.from([0x0b, 0x0c]).toString('base64'))).toThrow(/wire type 3/);
  });

  it('refuses bytes that are not a StatusResponse', () => {
    expect(() => decodeBuildkitTrace(Buffer.from([0x0a, 0xff, 0xff, 0xff]).toString('base64'))).toThrow();
  });
});

describe("dockerd's BuildKit trace → the step graph (recorded frames)", () => {
  it('a cold two-stage build: stages side by side, steps done with durations and logs, the image id', () => {
    const { graph, items, imageId } = replay('dockerd-first.jsonl');
    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(graph.stages.map((s) => [s.name, s.state])).toEqual([
      ['base', 'done'],
      ['deps', 'done'],
      ['stage-2', 'done'],
      ['internal', 'done'],
    ]);
    expect(graph.stepCount).toBe(6);
    expect(graph.cachedCount).toBe(0);
    expect(graph.failure).toBeNull();
    const deps = graph.steps.find((s) => s.stage === 'deps');
    expect(deps?.logs).toEqual(['deps ready', 'deps on stderr']);
    expect(deps?.durationMs).toBeGreaterThan(0);
    expect(deps?.inputs.length).toBeGreaterThan(0);
    const copyFrom = graph.steps.find((s) => s.instruction === 'COPY --from=deps /dep /dep');
    expect(copyFrom?.inputs).toContain(deps?.id);
    expect(graph.totalMs).toBeGreaterThan(0);
    expect(items).toContainEqual({ kind: 'step', index: 3, total: 3, instruction: 'RUN cat /app.txt' });
    expect(items).toContainEqual({ kind: 'log', text: 'v1' });
  });

  it('the rebuild after app.txt changed: the base and deps stages and the COPY --from come from cache, the rest runs', () => {
    const { graph, items } = replay('dockerd-cached.jsonl');
    expect(graph.stages.map((s) => [s.name, s.state])).toEqual([
      ['base', 'cached'],
      ['deps', 'cached'],
      ['stage-2', 'done'],
      ['internal', 'done'],
    ]);
    expect(graph.cachedCount).toBe(4);
    expect(graph.cachedShare).toBeCloseTo(4 / 6);
    expect(items).toContainEqual({ kind: 'log', text: 'CACHED [deps 1/1] RUN echo "deps ready" && echo "deps on stderr" >&2 && echo dep > /dep' });
    expect(items).toContainEqual({ kind: 'log', text: 'v2' });
  });

  it('a failing RUN: the step failed with its error and log; the failure names it', () => {
    const { graph, items, imageId } = replay('dockerd-failed.jsonl');
    expect(imageId).toBe('');
    const failed = graph.steps.find((s) => s.state === 'failed');
    expect(failed?.name).toBe('[stage-1 1/1] RUN echo "about to fail" && echo "oops on stderr" >&2 && exit 3');
    expect(failed?.logs).toEqual(['about to fail', 'oops on stderr']);
    expect(failed?.error).toMatch(/exit code: 3$/);
    expect(graph.failure).toMatchObject({ stepId: failed?.id, message: expect.stringMatching(/exit code: 3$/) });
    expect(graph.stages.find((s) => s.name === 'stage-1')?.state).toBe('failed');
    expect(items.at(-1)).toEqual({ kind: 'log', text: expect.stringMatching(/^error: executor failed running .*exit code: 3$/) });
  });
});

describe('BuildkitStream.update: graph snapshots at most every 150 ms, the last one forced', () => {
  it('sends a changed graph, holds the next change until 150 ms passed, and sends nothing unchanged', () => {
    const s = new BuildkitStream();
    const msgs = frames('dockerd-first.jsonl').filter((m) => m.id === 'moby.buildkit.trace');
    expect(s.update(1000)).toBeNull();
    s.pushStatus(decodeBuildkitTrace(String(msgs[0]?.aux)));
    expect(s.update(1000)?.steps).toHaveLength(1);
    s.pushStatus(decodeBuildkitTrace(String(msgs[4]?.aux)));
    expect(s.update(1100)).toBeNull();
    expect(s.update(1150)?.steps.length).toBeGreaterThan(1);
    s.pushStatus(decodeBuildkitTrace(String(msgs[5]?.aux)));
    expect(s.update(1200)).toBeNull();
    expect(s.update(1200, true)).not.toBeNull();
    expect(s.update(5000)).toBeNull();
    expect(s.update(5000, true)).toBeNull();
  });
});
