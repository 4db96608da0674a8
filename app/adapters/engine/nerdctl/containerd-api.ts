import { setMaxListeners } from 'node:events';
import { BerthError } from '../../../contract/berth-error';
import type { ContainerdContainer, ContainerdTask } from '../../../core/containerd-ps';
import { GrpcClient, GrpcError, Status } from './containerd-grpc';
import { encodeStrings, readGetResponse, readListContainerId, readListImagesResponse, readListTasksResponse, type ProcessFields } from './containerd-messages';
import { readListContainerMessage, type ContainerRecordFields } from './containerd-record';
import { containerOf, timestampMs, type CommandCache } from './containerd-container';

export { timestampMs };

/**
 * A read-only client of containerd's own gRPC API, for what nerdctl's `ps` reads with one call per container:
 * Containers/ListStream (each record with its OCI spec), Containers/Get (a few records by id), Tasks/List (every task's status in one call), Tasks/Get,
 * Images/List. The calls go through containerd-grpc.ts (node's http2 on the socket) and their messages are read and
 * written by hand (containerd-record.ts, containerd-messages.ts): only the fields Berth reads. The namespace goes in the
 * `containerd-namespace` metadata header. Nothing is loaded or connected before the first call (cold start).
 */

interface ContainerMsg {
  runtime?: { name?: string; options?: { type_url?: string; value?: Uint8Array } | null } | null;
}

/**
 * At most this many records are read one by one (Containers/Get); more are looked for in the whole list. Measured against
 * a containerd of 2,000 containers (20 interleaved rounds), 64 ids cost containerd 10.5 ms of CPU as Gets, 72 ms as a
 * ListStream filtered by their ids, 122 ms as the whole list (Berth's own CPU: 29, 12 and 90 ms; wall: 26, 67, 152 ms).
 */
const GETS_MAX = 64;

/** An id containerd could have (its identifiers are letters, digits and `._-`), and its filters can name as it is: no other is asked for. */
export const PLAIN_ID = /^[A-Za-z0-9_.-]+$/;

/** A container's whole record: what `nerdctl inspect --mode=native` prints but the task (the runtime's options as base64). */
export interface ContainerdRecord {
  id: string;
  labels: Record<string, string>;
  image: string;
  runtime: { name: string; options: { type_url: string; value: string } | null };
  spec: unknown;
}

/** A record read from containerd, its spec parsed. */
function recordOf(c: ContainerRecordFields): ContainerdRecord {
  return { id: c.id, labels: { ...c.labels }, image: c.image, runtime: runtimeOf(c), spec: c.spec?.value.length ? (JSON.parse(c.spec.value.toString('utf8')) as unknown) : {} };
}

/** The runtime of a record as nerdctl's native inspect prints it (its options as base64). */
function runtimeOf(c: ContainerMsg): ContainerdRecord['runtime'] {
  const opts = c.runtime?.options;
  return { name: c.runtime?.name ?? '', options: opts ? { type_url: opts.type_url ?? '', value: Buffer.from(opts.value ?? []).toString('base64') } : null };
}

/** A gRPC failure, with its status code (14 UNAVAILABLE: the socket cannot be reached). */
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
  private client?: GrpcClient;
  private closed = false;
  /** The command of each container's spec by id and update time: a spec's JSON is parsed once, not per list. */
  private readonly commands: CommandCache = new Map();

  constructor(
    /** containerd's socket path. */
    readonly address: string,
  ) {}

  /** A call through the client (made on the first one); its failure as toError gives it. */
  private async call<T>(method: string, signal: AbortSignal | undefined, run: (client: GrpcClient) => Promise<T>): Promise<T> {
    if (this.closed) throw toError(new GrpcError(Status.CANCELLED, 'the client was closed'), method, signal);
    this.client ??= new GrpcClient(this.address);
    try {
      return await run(this.client);
    } catch (err) {
      throw toError(err, method, signal);
    }
  }

  /**
   * A unary call's reply as `read` gives it. A reply `read` cannot read is containerd's malformed reply (INTERNAL, as grpc-js
   * gave a reply its deserializer refused): a ContainerdApiError, so that the list asks nerdctl instead.
   */
  private unary<T>(method: string, request: Buffer, namespace: string, read: (reply: Buffer) => T, signal?: AbortSignal): Promise<T> {
    return this.call(method, signal, async (c) => {
      const reply = await c.unary(method, request, { 'containerd-namespace': namespace }, signal);
      try {
        return read(reply);
      } catch (err) {
        throw new GrpcError(Status.INTERNAL, `the reply could not be read (${(err as Error).message})`);
      }
    });
  }

  /** Every container of the namespace (or those matching one of `filters`, containerd's filter syntax). */
  async containers(namespace: string, filters: readonly string[], signal?: AbortSignal): Promise<ContainerdContainer[]> {
    const out: ContainerdContainer[] = [];
    await this.stream(namespace, filters, (b) => {
      const c = containerOf(b, this.commands);
      if (c) out.push(c);
    }, signal);
    return out;
  }

  /**
   * Containers/ListStream: one encoded record per message (a list of 2,000 specs would outgrow gRPC's message limits, about
   * 38 MB), each handed to `each` as it arrives (a view of the received bytes) instead of all kept until the stream ends.
   * An error `each` throws ends the stream and is the call's.
   */
  private stream(namespace: string, filters: readonly string[], each: (b: Buffer) => void, signal?: AbortSignal): Promise<void> {
    // ListContainersRequest: filters (1, repeated).
    const method = '/containerd.services.containers.v1.Containers/ListStream';
    return this.call(method, signal, (c) => c.call(method, encodeStrings({ 1: filters }), { 'containerd-namespace': namespace }, each, signal));
  }

  /**
   * The whole records of these containers (runtime and parsed OCI spec), as `nerdctl inspect --mode=native` prints them,
   * each handed to `each` as it arrives (2,000 parsed specs kept at once would be well over 100 MB); gone ones are absent.
   * Up to GETS_MAX ids are read one by one (Containers/Get, all at once on the one connection): a ListStream filtered by
   * their ids still has containerd read and test every record of the namespace (~60-100 ms of its CPU for 2,000, however
   * few ids). More are found in the whole list by their ids alone (containerd tests every filter against every container).
   */
  async records(namespace: string, ids: readonly string[], each: (r: ContainerdRecord) => void, signal?: AbortSignal): Promise<void> {
    // Only an id containerd could have (its identifiers are of these characters), each once.
    const plain = [...new Set(ids.filter((id) => PLAIN_ID.test(id)))];
    if (plain.length === 0) return;
    const give = (c: ContainerRecordFields | null) => {
      if (c) each(recordOf(c));
    };
    if (plain.length <= GETS_MAX) return this.gets(namespace, plain, give, signal);
    const wanted = new Set(plain);
    await this.stream(
      namespace,
      [],
      (b) => {
        if (wanted.has(readListContainerId(b))) give(readListContainerMessage(b));
      },
      signal,
    );
  }

  /**
   * Containers/Get of each id, concurrently; each container is handed to `each` as its reply comes. NOT_FOUND: gone, left
   * out. Any other failure (or an error `each` throws) is the call's, and cancels the calls still running; `each` is not
   * called once one failed.
   */
  private async gets(namespace: string, ids: readonly string[], each: (c: ContainerRecordFields | null) => void, signal?: AbortSignal): Promise<void> {
    const method = '/containerd.services.containers.v1.Containers/Get';
    const stop = new AbortController();
    // Each call listens to it: not a leak (node warns past 10 listeners).
    setMaxListeners(ids.length + 1, stop.signal);
    const cancel = () => stop.abort();
    if (signal?.aborted) stop.abort();
    else signal?.addEventListener('abort', cancel, { once: true });
    let failed = false;
    const one = async (id: string) => {
      let c: ContainerRecordFields | null;
      try {
        // GetContainerRequest: id (1). GetContainerResponse: container (1), as a ListContainerMessage carries it.
        c = await this.unary(method, encodeStrings({ 1: id }), namespace, readListContainerMessage, stop.signal);
      } catch (err) {
        if (err instanceof ContainerdApiError && err.code === Status.NOT_FOUND) return;
        throw err;
      }
      if (!failed) each(c);
    };
    try {
      await Promise.all(
        ids.map((id) =>
          one(id).catch((err: unknown) => {
            if (!failed) {
              failed = true;
              stop.abort();
            }
            throw err;
          }),
        ),
      );
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** Forgets cached commands of containers that are gone (called with a full list's ids). */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.commands.keys()) if (!ids.has(id)) this.commands.delete(id);
  }

  /** Every task of the namespace, by container id (a container without one has none: nerdctl shows it as Created). */
  async tasks(namespace: string, signal?: AbortSignal): Promise<Map<string, ContainerdTask>> {
    // ListTasksRequest: no filter.
    const r = await this.unary('/containerd.services.tasks.v1.Tasks/List', Buffer.alloc(0), namespace, readListTasksResponse, signal);
    return tasksByContainer(r);
  }

  /** Takes the commands read elsewhere (the early list's) into the cache, so the next list reads no spec again. */
  adoptCommands(commands: CommandCache): void {
    for (const [id, c] of commands) this.commands.set(id, c);
  }

  /** One container's task, or undefined when it has none. */
  async task(namespace: string, containerId: string, signal?: AbortSignal): Promise<ContainerdTask | undefined> {
    try {
      // GetRequest: container_id (1).
      const p = await this.unary('/containerd.services.tasks.v1.Tasks/Get', encodeStrings({ 1: containerId }), namespace, readGetResponse, signal);
      return p ? toTask(p) : undefined;
    } catch (err) {
      if (err instanceof ContainerdApiError && err.code === Status.NOT_FOUND) return undefined;
      throw err;
    }
  }

  /** Image name → the image's target digest (what nerdctl's images list shows as its digest). */
  async images(namespace: string, filters: readonly string[], signal?: AbortSignal): Promise<{ name: string; digest: string }[]> {
    // ListImagesRequest: filters (1, repeated).
    return this.unary('/containerd.services.images.v1.Images/List', encodeStrings({ 1: filters }), namespace, readListImagesResponse, signal);
  }

  close(): void {
    this.closed = true;
    this.client?.close();
  }
}

/** A ListTasksResponse's tasks by container id. */
export function tasksByContainer(r: readonly ProcessFields[]): Map<string, ContainerdTask> {
  return new Map(r.map((p) => [p.id, toTask(p)]));
}

function toTask(p: ProcessFields): ContainerdTask {
  return { status: p.status, exitStatus: p.exit_status, exitedMs: timestampMs(p.exited_at) };
}

/**
 * A call's failure: cancelled (the signal, or the server's CANCELLED) as Berth's CANCELLED; any other gRPC status (the
 * socket unreachable, a reply that is not gRPC, containerd's own errors) as a ContainerdApiError with its code; an error
 * of Berth's own reading of a message (thrown by `each`) as it is.
 */
function toError(err: unknown, method: string, signal?: AbortSignal): unknown {
  if (signal?.aborted || (err instanceof GrpcError && err.code === Status.CANCELLED)) return new BerthError('CANCELLED', 'The container list was cancelled.');
  if (!(err instanceof GrpcError)) return err;
  return new ContainerdApiError(err.code, `containerd ${method.split('/').pop() ?? method}: ${err.details}`);
}
