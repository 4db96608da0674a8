/**
 * containerd.services.containers.v1.Container's fields that a list reads but its spec (5), as protobufjs's JSON schema
 * declares them (the core read them through protobufjs before it read records by hand: containerd-record.ts).
 */
export const CONTAINER_FIELDS = {
  id: { type: 'string', id: 1 },
  labels: { keyType: 'string', type: 'string', id: 2 },
  image: { type: 'string', id: 3 },
  created_at: { type: 'google.protobuf.Timestamp', id: 8 },
  updated_at: { type: 'google.protobuf.Timestamp', id: 9 },
};

/** google.protobuf.Any and Timestamp as protobufjs's JSON schema declares them. */
export const ANY = { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } };
export const TIMESTAMP = { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } };

/**
 * containerd's Container record with every field (the core's own schema declares only those a list reads), and its
 * Runtime, for a package named `pkg` of a protobufjs JSON schema: for the tests and benches that write or decode whole
 * records (the nerdctl bench's copies, the record reader's comparison with protobufjs).
 */
export function fullContainerTypes(): Record<string, unknown> {
  return {
    Runtime: { fields: { name: { type: 'string', id: 1 }, options: { type: 'google.protobuf.Any', id: 2 } } },
    Container: {
      fields: {
        ...CONTAINER_FIELDS,
        runtime: { type: 'Runtime', id: 4 },
        spec: { type: 'google.protobuf.Any', id: 5 },
        snapshotter: { type: 'string', id: 6 },
        snapshot_key: { type: 'string', id: 7 },
        extensions: { keyType: 'string', type: 'google.protobuf.Any', id: 10 },
        sandbox: { type: 'string', id: 11 },
      },
    },
  };
}

/** The google.protobuf package of such a schema. */
export const GOOGLE_PROTOBUF = { nested: { protobuf: { nested: { Any: ANY, Timestamp: TIMESTAMP } } } };
