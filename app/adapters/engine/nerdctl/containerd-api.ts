import type * as Grpc from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import { BerthError } from '../../../contract/errors';
import type { ContainerdContainer, ContainerdTask } from '../../../core/containerd-ps';
import { readListContainerMessage } from './containerd-record';
import { specCommand, specSecurityJson } from './containerd-spec';

/**
 * A read-only client of containerd's own gRPC API, for what nerdctl's `ps` reads with one call per container:
 * Containers/ListStream (each record with its OCI spec), Tasks/List (every task's status in one call), Tasks/Get,
 * Images/List. Only the fields Berth reads are declared; protobufjs skips the rest. The namespace goes in the
 * `containerd-namespace` metadata header. gRPC and protobufjs are loaded on the first call (cold start).
 */

/** containerd.services.containers.v1.Container: the fields read here but its spec (5). */
export const CONTAINER_FIELDS = {
  id: { type: 'string', id: 1 },
  labels: { keyType: 'string', type: 'string', id: 2 },
  image: { type: 'string', id: 3 },
  created_at: { type: 'google.protobuf.Timestamp', id: 8 },
  updated_at: { type: 'google.protobuf.Timestamp', id: 9 },
};

const SCHEMA = {
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
            Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
          },
        },
      },
    },
    containerd: {
      nested: {
        types: { nested: { Descriptor: { fields: { media_type: { type: 'string', id: 1 }, digest: { type: 'string', id: 2 } } } } },
        v1: {
          nested: {
            types: {
              nested: {
                Process: {
                  fields: {
                    container_id: { type: 'string', id: 1 },
                    id: { type: 'string', id: 2 },
                    status: { type: 'int32', id: 4 },
                    exit_status: { type: 'uint32', id: 9 },
                    exited_at: { type: 'google.protobuf.Timestamp', id: 10 },
                  },
                },
              },
            },
          },
        },
        services: {
          nested: {
            containers: {
              nested: {
                v1: {
                  nested: {
                    Container: { fields: { ...CONTAINER_FIELDS, runtime: { type: 'Runtime', id: 4 }, spec: { type: 'google.protobuf.Any', id: 5 } } },
                    Runtime: { fields: { name: { type: 'string', id: 1 }, options: { type: 'google.protobuf.Any', id: 2 } } },
                    ListContainersRequest: { fields: { filters: { rule: 'repeated', type: 'string', id: 1 } } },
                    ListContainerMessage: { fields: { container: { type: 'Container', id: 1 } } },
                    ContainerId: { fields: { id: { type: 'string', id: 1 } } },
                    ListContainerMessageId: { fields: { container: { type: 'ContainerId', id: 1 } } },
                  },
                },
              },
            },
            tasks: {
              nested: {
                v1: {
                  nested: {
                    ListTasksRequest: { fields: { filter: { type: 'string', id: 1 } } },
                    ListTasksResponse: { fields: { tasks: { rule: 'repeated', type: 'containerd.v1.types.Process', id: 1 } } },
                    GetRequest: { fields: { container_id: { type: 'string', id: 1 }, exec_id: { type: 'string', id: 2 } } },
                    GetResponse: { fields: { process: { type: 'containerd.v1.types.Process', id: 1 } } },
                  },
                },
              },
            },
            images: {
              nested: {
                v1: {
                  nested: {
                    Image: { fields: { name: { type: 'string', id: 1 }, target: { type: 'containerd.types.Descriptor', id: 3 } } },
                    ListImagesRequest: { fields: { filters: { rule: 'repeated', type: 'string', id: 1 } } },
                    ListImagesResponse: { fields: { images: { rule: 'repeated', type: 'Image', id: 1 } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

interface Timestamp {
  seconds?: number | { toNumber(): number };
  nanos?: number;
}
interface ContainerMsg {
  id: string;
  labels: Record<string, string>;
  image: string;
  runtime?: { name?: string; options?: { type_url?: string; value?: Uint8Array } | null } | null;
  spec?: { value?: Uint8Array } | null;
  created_at?: Timestamp | null;
  updated_at?: Timestamp | null;
}
interface ProcessMsg {
  id: string;
  status: number;
  exit_status: number;
  exited_at?: Timestamp | null;
}

/** Go's zero time (0001-01-01) in Unix seconds: protobuf's form of "not set". */
const GO_ZERO_SECONDS = -62135596800;

/** Milliseconds since the epoch, truncated as Berth reads nerdctl's times; null for Go's zero time. */
export function timestampMs(t: Timestamp | null | undefined): number | null {
  if (!t) return 0;
  const s = typeof t.seconds === 'object' && t.seconds !== null ? t.seconds.toNumber() : Number(t.seconds ?? 0);
  if (s <= GO_ZERO_SECONDS) return null;
  return s * 1000 + Math.trunc((t.nanos ?? 0) / 1e6);
}

interface Loaded {
  grpc: typeof Grpc;
  client: Grpc.Client;
  types: (name: string) => protobuf.Type;
}

const GRPC_NOT_FOUND = 5;
/** More ids than this are looked for in the whole list rather than as that many filters. */
const WIDE = 64;
const GRPC_CANCELLED = 1;

/** A gRPC failure, with its status code (14 UNAVAILABLE: the socket cannot be reached). */
/** A container's whole record: what `nerdctl inspect --mode=native` prints but the task (the runtime's options as base64). */
export interface ContainerdRecord {
  id: string;
  labels: Record<string, string>;
  image: string;
  runtime: { name: string; options: { type_url: string; value: string } | null };
  spec: unknown;
}

/**
 * What a list keeps of a record for its container's security view: the record as ContainerdRecord gives it, its spec
 * as specSecurityJson's JSON (the parts nativeSecurityView reads, a few kB instead of about 19).
 */
export interface ListedRecord extends Omit<ContainerdRecord, 'spec'> {
  spec: string;
}

/** The runtime of a record as nerdctl's native inspect prints it (its options as base64). */
function runtimeOf(c: ContainerMsg): ContainerdRecord['runtime'] {
  const opts = c.runtime?.options;
  return { name: c.runtime?.name ?? '', options: opts ? { type_url: opts.type_url ?? '', value: Buffer.from(opts.value ?? []).toString('base64') } : null };
}

export class ContainerdApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ContainerdApiError';
  }
}

export class ContainerdApi {
  private loaded?: Promise<Loaded>;
  /** The command of each container's spec by id and update time: a spec's JSON is parsed once, not per list. */
  private readonly commands = new Map<string, { updated: string; command: string }>();

  constructor(
    /** containerd's socket path. */
    readonly address: string,
  ) {}

  private load(): Promise<Loaded> {
    this.loaded ??= (async () => {
      const [grpc, pb] = await Promise.all([import('@grpc/grpc-js'), import('protobufjs')]);
      const root = pb.default.Root.fromJSON(SCHEMA);
      const client = new grpc.Client(`unix://${this.address}`, grpc.credentials.createInsecure());
      const cache = new Map<string, protobuf.Type>();
      const types = (name: string) => {
        let t = cache.get(name);
        if (!t) cache.set(name, (t = root.lookupType(name)));
        return t;
      };
      return { grpc, client, types };
    })();
    return this.loaded;
  }

  private metadata(l: Loaded, namespace: string): Grpc.Metadata {
    const md = new l.grpc.Metadata();
    md.set('containerd-namespace', namespace);
    return md;
  }

  private async unary<T>(method: string, reqType: string, resType: string, req: object, namespace: string, signal?: AbortSignal): Promise<T> {
    const l = await this.load();
    const Req = l.types(reqType);
    const Res = l.types(resType);
    return new Promise<T>((resolve, reject) => {
      const call = l.client.makeUnaryRequest(
        method,
        (v: object) => Buffer.from(Req.encode(Req.create(v)).finish()),
        (b: Buffer) => Res.decode(b) as unknown as T,
        req,
        this.metadata(l, namespace),
        {},
        (err, res) => {
          signal?.removeEventListener('abort', abort);
          if (err) reject(toError(err, method, signal));
          else resolve(res as T);
        },
      );
      const abort = () => call.cancel();
      signal?.addEventListener('abort', abort, { once: true });
    });
  }

  /**
   * Every container of the namespace (or those matching one of `filters`, containerd's filter syntax). `keep`, when given,
   * is handed what each record's security view needs (ListedRecord: its spec reduced to a few kB) as it arrives.
   */
  async containers(namespace: string, filters: readonly string[], signal?: AbortSignal, keep?: (r: ListedRecord) => void): Promise<ContainerdContainer[]> {
    const l = await this.load();
    const out: ContainerdContainer[] = [];
    await this.stream(l, namespace, filters, (b) => {
      // One pass over the record (containerd-record.ts), not protobufjs's decode of it and then of its spec.
      const c = readListContainerMessage(b);
      if (!c) return;
      const updated = JSON.stringify([timestampMs(c.updated_at), c.updated_at?.nanos ?? 0]);
      let known = this.commands.get(c.id);
      if (keep) keep({ id: c.id, labels: c.labels, image: c.image, runtime: runtimeOf(c), spec: specSecurityJson(c.spec?.value) });
      if (known?.updated !== updated) {
        // Only a container not seen before (or changed since) has its spec read.
        known = { updated, command: specCommand(c.spec?.value) };
        this.commands.set(c.id, known);
      }
      // The reader's own labels object: the row's labels are copies of it (parsePsRow), and nothing changes it.
      out.push({ id: c.id, labels: c.labels, image: c.image, createdMs: timestampMs(c.created_at), command: known.command });
    }, signal);
    return out;
  }

  /**
   * Containers/ListStream: one encoded record per message (a list of 2,000 specs would outgrow gRPC's message limits, about
   * 38 MB), each handed to `each` as it arrives instead of all kept until the stream ends.
   */
  private stream(l: Loaded, namespace: string, filters: readonly string[], each: (b: Buffer) => void, signal?: AbortSignal): Promise<void> {
    const Req = l.types('containerd.services.containers.v1.ListContainersRequest');
    const method = '/containerd.services.containers.v1.Containers/ListStream';
    return new Promise<void>((resolve, reject) => {
      const stream = l.client.makeServerStreamRequest(
        method,
        (v: object) => Buffer.from(Req.encode(Req.create(v)).finish()),
        (b: Buffer) => b,
        { filters: [...filters] },
        this.metadata(l, namespace),
        {},
      );
      let failed: unknown;
      const abort = () => stream.cancel();
      signal?.addEventListener('abort', abort, { once: true });
      stream.on('data', (b: Buffer) => {
        if (failed !== undefined) return;
        try {
          each(b);
        } catch (err) {
          failed = err;
          stream.cancel();
        }
      });
      stream.on('error', (err: Grpc.ServiceError) => {
        signal?.removeEventListener('abort', abort);
        reject(failed ?? toError(err, method, signal));
      });
      stream.on('end', () => {
        signal?.removeEventListener('abort', abort);
        if (failed !== undefined) reject(failed);
        else resolve();
      });
    });
  }

  /**
   * The whole records of these containers (runtime and parsed OCI spec), as `nerdctl inspect --mode=native` prints them,
   * each handed to `each` as it arrives (2,000 parsed specs kept at once would be well over 100 MB); gone ones are absent.
   * More than WIDE ids are found in the whole list (containerd tests every filter against every container) by their ids alone.
   */
  async records(namespace: string, ids: readonly string[], each: (r: ContainerdRecord) => void, signal?: AbortSignal): Promise<void> {
    const plain = ids.filter((id) => /^[A-Za-z0-9_.-]+$/.test(id));
    if (plain.length === 0) return;
    const l = await this.load();
    const Full = l.types('containerd.services.containers.v1.ListContainerMessage');
    const Id = l.types('containerd.services.containers.v1.ListContainerMessageId');
    const wanted = plain.length > WIDE ? new Set(plain) : null;
    await this.stream(
      l,
      namespace,
      wanted ? [] : plain.map((id) => `id==${id}`),
      (b) => {
        if (wanted && !wanted.has((Id.decode(b) as unknown as { container?: { id: string } }).container?.id ?? '')) return;
        const c = (Full.decode(b) as unknown as { container?: ContainerMsg }).container;
        if (!c) return;
        each({
          id: c.id,
          labels: { ...c.labels },
          image: c.image,
          runtime: runtimeOf(c),
          spec: c.spec?.value?.length ? (JSON.parse(Buffer.from(c.spec.value).toString('utf8')) as unknown) : {},
        });
      },
      signal,
    );
  }

  /** Forgets cached commands of containers that are gone (called with a full list's ids). */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.commands.keys()) if (!ids.has(id)) this.commands.delete(id);
  }

  /** Every task of the namespace, by container id (a container without one has none: nerdctl shows it as Created). */
  async tasks(namespace: string, signal?: AbortSignal): Promise<Map<string, ContainerdTask>> {
    const r = await this.unary<{ tasks: ProcessMsg[] }>('/containerd.services.tasks.v1.Tasks/List', 'containerd.services.tasks.v1.ListTasksRequest', 'containerd.services.tasks.v1.ListTasksResponse', {}, namespace, signal);
    return new Map(r.tasks.map((p) => [p.id, toTask(p)]));
  }

  /** One container's task, or undefined when it has none. */
  async task(namespace: string, containerId: string, signal?: AbortSignal): Promise<ContainerdTask | undefined> {
    try {
      const r = await this.unary<{ process?: ProcessMsg | null }>('/containerd.services.tasks.v1.Tasks/Get', 'containerd.services.tasks.v1.GetRequest', 'containerd.services.tasks.v1.GetResponse', { container_id: containerId }, namespace, signal);
      return r.process ? toTask(r.process) : undefined;
    } catch (err) {
      if (err instanceof ContainerdApiError && err.code === GRPC_NOT_FOUND) return undefined;
      throw err;
    }
  }

  /** Image name → the image's target digest (what nerdctl's images list shows as its digest). */
  async images(namespace: string, filters: readonly string[], signal?: AbortSignal): Promise<{ name: string; digest: string }[]> {
    const r = await this.unary<{ images: { name: string; target?: { digest: string } | null }[] }>('/containerd.services.images.v1.Images/List', 'containerd.services.images.v1.ListImagesRequest', 'containerd.services.images.v1.ListImagesResponse', { filters: [...filters] }, namespace, signal);
    return r.images.map((i) => ({ name: i.name, digest: i.target?.digest ?? '' }));
  }

  close(): void {
    void this.loaded?.then((l) => l.client.close());
  }
}

function toTask(p: ProcessMsg): ContainerdTask {
  return { status: p.status, exitStatus: p.exit_status, exitedMs: timestampMs(p.exited_at) };
}

function toError(err: Grpc.ServiceError, method: string, signal?: AbortSignal): Error {
  if (signal?.aborted || err.code === GRPC_CANCELLED) return new BerthError('CANCELLED', 'The container list was cancelled.');
  return new ContainerdApiError(err.code, `containerd ${method.split('/').pop() ?? method}: ${err.details || err.message}`);
}
