import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { readListContainerMessage } from '../../../app/adapters/engine/nerdctl/containerd-record';
import { fullContainerTypes, GOOGLE_PROTOBUF } from '../../support/containerd-record-schema';

/** containerd's ListContainerMessage with every field of Container (those the reader skips too), as protobufjs knows it. */
const SCHEMA = {
  nested: {
    google: GOOGLE_PROTOBUF,
    c: { nested: { ...fullContainerTypes(), ListContainerMessage: { fields: { container: { type: 'Container', id: 1 } } } } },
  },
};
const root = protobuf.Root.fromJSON(SCHEMA);
const Msg = root.lookupType('c.ListContainerMessage');

/** What protobufjs's decode gives for the fields the reader reads, in the reader's shape. */
function viaProtobufjs(b: Buffer): unknown {
  type Ts = { seconds: number | { toNumber(): number }; nanos: number } | null;
  const c = (Msg.decode(b) as unknown as { container: Record<string, unknown> | null }).container;
  if (!c) return null;
  const ts = (t: Ts) => (t ? { seconds: typeof t.seconds === 'number' ? t.seconds : t.seconds.toNumber(), nanos: t.nanos } : null);
  const rt = c.runtime as { name: string; options: { type_url: string; value: Uint8Array } | null } | null;
  const spec = c.spec as { value: Uint8Array } | null;
  return {
    id: c.id,
    labels: { ...(c.labels as Record<string, string>) },
    image: c.image,
    runtime: rt ? { name: rt.name, options: rt.options ? { type_url: rt.options.type_url, value: Buffer.from(rt.options.value) } : null } : null,
    spec: spec ? { value: Buffer.from(spec.value) } : null,
    created_at: ts(c.created_at as Ts),
    updated_at: ts(c.updated_at as Ts),
  };
}

function viaReader(b: Buffer): unknown {
  const c = readListContainerMessage(b);
  if (!c) return null;
  return { ...c, labels: { ...c.labels }, runtime: c.runtime ? { ...c.runtime, options: c.runtime.options ? { ...c.runtime.options, value: Buffer.from(c.runtime.options.value) } : null } : null, spec: c.spec ? { value: Buffer.from(c.spec.value) } : null };
}

/** The labels' entries in their order and their prototype are protobufjs's too (a row's labels keep containerd's order). */
function expectSameLabelOrder(b: Buffer): void {
  const mine = readListContainerMessage(b)?.labels;
  const theirs = (Msg.decode(b) as unknown as { container: { labels: Record<string, string> } | null }).container?.labels;
  if (!mine || !theirs) return;
  expect(Object.entries(mine)).toStrictEqual(Object.entries(theirs));
  expect(Object.getPrototypeOf(mine)).toBe(Object.prototype);
  expect(JSON.stringify(mine)).toBe(JSON.stringify(theirs));
}

const enc = (v: object) => Buffer.from(Msg.encode(Msg.create(v)).finish());

/** A small deterministic generator (the same cases on every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe("containerd's container records read in one pass (containerd-record.ts)", () => {
  const spec = Buffer.from(JSON.stringify({ ociVersion: '1.1.0', process: { args: ['sleep', '1'] }, linux: { seccomp: { defaultAction: 'SCMP_ACT_ERRNO' } } }));

  it('gives what protobufjs decodes for a nerdctl record, with the fields it skips around them', () => {
    const b = enc({
      container: {
        id: 'abc',
        labels: { 'nerdctl/name': 'web-1', 'com.docker.compose.project': 'demo', 'ü': 'ünïcode ✓', empty: '' },
        image: 'docker.io/library/busybox:latest',
        runtime: { name: 'io.containerd.runc.v2', options: { type_url: 'containerd.runc.v1.Options', value: Buffer.from([1, 2, 3, 0, 255]) } },
        spec: { type_url: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', value: spec },
        snapshotter: 'overlayfs',
        snapshot_key: 'abc',
        created_at: { seconds: 1765000000, nanos: 123456789 },
        updated_at: { seconds: 1765000001, nanos: 1 },
        extensions: { x: { type_url: 't', value: Buffer.from('ext') } },
        sandbox: 'sb',
      },
    });
    expect(viaReader(b)).toEqual(viaProtobufjs(b));
    expectSameLabelOrder(b);
    expect(readListContainerMessage(b)?.spec?.value.toString()).toBe(spec.toString());
  });

  it('gives the same for absent fields, Go\'s zero time, negative nanos and no container', () => {
    for (const v of [
      { container: { id: 'bare' } },
      { container: { id: 'zero', created_at: { seconds: -62135596800, nanos: 0 }, updated_at: { seconds: -1, nanos: -5 } } },
      { container: { id: 'big', created_at: { seconds: 2 ** 40 + 3, nanos: 999999999 }, runtime: { name: 'r' }, spec: { type_url: 'u' } } },
      {},
    ]) {
      const b = enc(v);
      expect(viaReader(b), JSON.stringify(v)).toEqual(viaProtobufjs(b));
    }
  });

  it('gives the same for 300 random records, and for a label key given twice (the later wins)', () => {
    const rand = rng(11);
    const str = (n: number) => Array.from({ length: Math.floor(rand() * n) }, () => String.fromCodePoint([0x61, 0xe9, 0x2713, 0x1f600, 0x0][Math.floor(rand() * 5)]! + Math.floor(rand() * 20))).join('');
    for (let i = 0; i < 300; i++) {
      const labels: Record<string, string> = {};
      for (let k = Math.floor(rand() * 12); k > 0; k--) labels[str(30) || `k${k}`] = str(300);
      const maybe = <T>(x: T) => (rand() < 0.7 ? x : undefined);
      const v = {
        container: {
          id: str(64),
          labels,
          image: str(80),
          runtime: maybe({ name: str(20), options: maybe({ type_url: str(20), value: Buffer.from(str(50)) }) }),
          spec: maybe({ type_url: str(10), value: Buffer.from(str(3000)) }),
          snapshotter: maybe(str(10)),
          created_at: maybe({ seconds: Math.floor(rand() * 2 ** 34) - 2 ** 33, nanos: Math.floor(rand() * 2 ** 31) * (rand() < 0.1 ? -1 : 1) }),
          updated_at: maybe({ seconds: Math.floor(rand() * 2 ** 33), nanos: Math.floor(rand() * 1e9) }),
          sandbox: maybe(str(10)),
        },
      };
      const b = enc(v);
      expect(viaReader(b)).toEqual(viaProtobufjs(b));
      expectSameLabelOrder(b);
    }
    // Two entries for one key (protobufjs never writes that; another encoder may): tag 2, entry { 1: key, 2: value }.
    const entry = (k: string, val: string) => Buffer.concat([Buffer.from([0x12, 2 + k.length + 2 + val.length, 0x0a, k.length]), Buffer.from(k), Buffer.from([0x12, val.length]), Buffer.from(val)]);
    const inner = Buffer.concat([Buffer.from([0x0a, 1]), Buffer.from('x'), entry('k', 'first'), entry('k', 'second')]);
    const twice = Buffer.concat([Buffer.from([0x0a, inner.length]), inner]);
    expect(viaReader(twice)).toEqual(viaProtobufjs(twice));
    expect(readListContainerMessage(twice)?.labels).toEqual({ k: 'second' });
  });

  it('throws on a record cut short, as protobufjs does', () => {
    const b = enc({ container: { id: 'abc', labels: { a: 'b' }, spec: { value: spec } } });
    for (const cut of [3, 10, b.length - 1]) {
      const short = b.subarray(0, cut);
      expect(() => Msg.decode(short)).toThrow();
      expect(() => readListContainerMessage(short)).toThrow();
    }
  });
});
