import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { encodeStrings, readGetResponse, readListContainerId, readListImagesResponse, readListTasksResponse } from '../../../app/adapters/engine/nerdctl/containerd-messages';
import { fullContainerTypes, GOOGLE_PROTOBUF } from '../../support/containerd-record-schema';

/**
 * containerd's messages as protobufjs knows them, with fields the hand readers skip (containerd's api/*.proto):
 * Process, Image with its Descriptor, the requests and replies of Tasks/List, Tasks/Get, Images/List and ListStream.
 */
const SCHEMA = {
  nested: {
    google: GOOGLE_PROTOBUF,
    c: {
      nested: {
        ...fullContainerTypes(),
        ListContainerMessage: { fields: { container: { type: 'Container', id: 1 } } },
        Process: {
          fields: {
            container_id: { type: 'string', id: 1 },
            id: { type: 'string', id: 2 },
            pid: { type: 'uint32', id: 3 },
            status: { type: 'int32', id: 4 },
            stdin: { type: 'string', id: 5 },
            terminal: { type: 'bool', id: 8 },
            exit_status: { type: 'uint32', id: 9 },
            exited_at: { type: 'google.protobuf.Timestamp', id: 10 },
          },
        },
        Descriptor: { fields: { media_type: { type: 'string', id: 1 }, digest: { type: 'string', id: 2 }, size: { type: 'int64', id: 3 }, annotations: { keyType: 'string', type: 'string', id: 5 } } },
        Image: {
          fields: {
            name: { type: 'string', id: 1 },
            labels: { keyType: 'string', type: 'string', id: 2 },
            target: { type: 'Descriptor', id: 3 },
            created_at: { type: 'google.protobuf.Timestamp', id: 7 },
            updated_at: { type: 'google.protobuf.Timestamp', id: 8 },
          },
        },
        ListTasksRequest: { fields: { filter: { type: 'string', id: 1 } } },
        ListTasksResponse: { fields: { tasks: { rule: 'repeated', type: 'Process', id: 1 } } },
        GetRequest: { fields: { container_id: { type: 'string', id: 1 }, exec_id: { type: 'string', id: 2 } } },
        GetResponse: { fields: { process: { type: 'Process', id: 1 } } },
        ListImagesRequest: { fields: { filters: { rule: 'repeated', type: 'string', id: 1 } } },
        ListImagesResponse: { fields: { images: { rule: 'repeated', type: 'Image', id: 1 } } },
        ListContainersRequest: { fields: { filters: { rule: 'repeated', type: 'string', id: 1 } } },
      },
    },
  },
};
const root = protobuf.Root.fromJSON(SCHEMA);
const T = (name: string) => root.lookupType(`c.${name}`);
const enc = (name: string, v: object) => Buffer.from(T(name).encode(T(name).create(v)).finish());
const dec = (name: string, b: Buffer) => T(name).toObject(T(name).decode(b), { longs: Number, defaults: true }) as Record<string, unknown>;

type Ts = { seconds: number; nanos: number } | null;
/** protobufjs's decode of a Process, in the reader's shape. */
const processVia = (p: Record<string, unknown>) => ({ id: p.id, status: p.status, exit_status: p.exit_status, exited_at: (p.exited_at as Ts) ? { seconds: (p.exited_at as { seconds: number }).seconds, nanos: (p.exited_at as { nanos: number }).nanos } : null });

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe("containerd's messages read and written by hand (containerd-messages.ts), against protobufjs", () => {
  const r = rng(11);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const str = () => pick(['', 'a', 'web-1', 'ünï ✓', 'x'.repeat(200), 'sha256:' + 'f'.repeat(64)]);
  const int = () => pick([0, 1, 2, 3, 127, 128, 255, 2 ** 31 - 1, -1, -(2 ** 31), 300000]);
  const uint = () => pick([0, 1, 3, 137, 255, 2 ** 31, 2 ** 32 - 1]);
  const ts = () => (r() < 0.3 ? undefined : { seconds: pick([0, 1765000000, -62135596800, -5]), nanos: pick([0, 1, 999_999_999, -3]) });
  const proc = () => ({ container_id: str(), id: str(), pid: uint(), status: int(), stdin: str(), terminal: r() < 0.5, exit_status: uint(), exited_at: ts() });

  it('encodes requests with the bytes protobufjs gives', () => {
    for (const filters of [[], ['id==abc'], ['id~=^ab', 'id~=^cd', 'name=="docker.io/library/busybox:latest"'], ['', 'ü ✓', 'x'.repeat(300)]]) {
      expect(encodeStrings({ 1: filters }), JSON.stringify(filters)).toEqual(enc('ListContainersRequest', { filters }));
      expect(encodeStrings({ 1: filters })).toEqual(enc('ListImagesRequest', { filters }));
    }
    for (const id of ['abc', 'f'.repeat(64), 'ü']) expect(encodeStrings({ 1: id })).toEqual(enc('GetRequest', { container_id: id }));
    expect(encodeStrings({})).toEqual(enc('ListTasksRequest', {}));
    // A singular empty string is left out (proto3's default), as containerd reads it the same either way.
    expect(encodeStrings({ 1: '' })).toEqual(Buffer.alloc(0));
    expect(encodeStrings({ 2: 'e', 1: 'c' })).toEqual(enc('GetRequest', { container_id: 'c', exec_id: 'e' }));
  });

  it('reads Tasks/List and Tasks/Get replies as protobufjs decodes them (200 random processes, edge values)', () => {
    for (let i = 0; i < 20; i++) {
      const tasks = Array.from({ length: Math.floor(r() * 20) }, proc);
      const b = enc('ListTasksResponse', { tasks });
      expect(readListTasksResponse(b)).toEqual((dec('ListTasksResponse', b).tasks as Record<string, unknown>[]).map(processVia));
    }
    for (let i = 0; i < 20; i++) {
      const b = enc('GetResponse', r() < 0.2 ? {} : { process: proc() });
      const p = dec('GetResponse', b).process as Record<string, unknown> | null;
      expect(readGetResponse(b)).toEqual(p ? processVia(p) : null);
    }
    // A negative status (ten-byte varint) and the largest exit status.
    const b = enc('GetResponse', { process: { id: 'x', status: -7, exit_status: 2 ** 32 - 1, exited_at: { seconds: 1, nanos: -1 } } });
    expect(readGetResponse(b)).toEqual({ id: 'x', status: -7, exit_status: 2 ** 32 - 1, exited_at: { seconds: 1, nanos: -1 } });
    // A status varint past 32 bits (another writer's int64): its low 32 bits, as protobufjs's int32.
    const wide = Buffer.from([0x0a, 0x06, 0x20, 0x85, 0x80, 0x80, 0x80, 0x10]);
    expect(readGetResponse(wide)?.status).toBe(5);
    expect((dec('GetResponse', wide).process as { status: number }).status).toBe(5);
    // A process given twice: the last one (protobufjs replaces a message field).
    const twice = Buffer.concat([enc('GetResponse', { process: { id: 'a', status: 2 } }), enc('GetResponse', { process: { id: 'b' } })]);
    expect(readGetResponse(twice)).toEqual(processVia(dec('GetResponse', twice).process as Record<string, unknown>));
  });

  it('reads Images/List replies (name and target digest) as protobufjs decodes them', () => {
    for (let i = 0; i < 20; i++) {
      const images = Array.from({ length: Math.floor(r() * 10) }, () => ({
        name: str(),
        labels: { a: str(), b: str() },
        target: r() < 0.2 ? undefined : { media_type: 'application/vnd.oci.image.index.v1+json', digest: str(), size: 1234, annotations: { k: str() } },
        created_at: ts(),
      }));
      const b = enc('ListImagesResponse', { images });
      const want = (dec('ListImagesResponse', b).images as { name: string; target: { digest: string } | null }[]).map((x) => ({ name: x.name, digest: x.target?.digest ?? '' }));
      expect(readListImagesResponse(b)).toEqual(want);
    }
  });

  it("reads a ListStream record's id as protobufjs decodes the whole record, and '' without a container", () => {
    const b = enc('ListContainerMessage', { container: { id: 'abc', labels: { x: 'y' }, image: 'img', snapshotter: 'overlayfs', spec: { type_url: 't', value: Buffer.from('{}') } } });
    expect(readListContainerId(b)).toBe((dec('ListContainerMessage', b).container as { id: string }).id);
    expect(readListContainerId(enc('ListContainerMessage', { container: { image: 'no id' } }))).toBe('');
    expect(readListContainerId(Buffer.alloc(0))).toBe('');
    // Cut short: an error, as protobufjs's.
    expect(() => readListContainerId(b.subarray(0, b.length - 2))).toThrow(RangeError);
    expect(() => dec('ListContainerMessage', b.subarray(0, b.length - 2))).toThrow(RangeError);
  });
});
