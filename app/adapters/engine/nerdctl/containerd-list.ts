import { readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ContainerSummary } from '../../../contract/containers';
import { cniPortMappings, summariesFromContainerd, type CniPortMapping, type ContainerdContainer, type ContainerdTask } from '../../../core/containerd-ps';
import { familiarImage } from '../../../core/nerdctl-ps';
import type { NativeContainer } from '../../../core/posture/oci-view';
import type { NerdctlContext } from './context';
import { ContainerdApi, ContainerdApiError, PLAIN_ID, tasksByContainer, type ContainerdRecord } from './containerd-api';
import { readListImagesResponse, readListTasksResponse, type ImageFields } from './containerd-messages';
import type { EarlyNerdctlParts } from './early-list';
import { nerdctlDataStore } from './containerd-endpoint';

/** Where nerdctl's containerd listens and where nerdctl keeps its own files (the data root of `--data-root`). */
export interface ContainerdEndpoint {
  /** containerd's gRPC socket path. */
  address: string;
  /** nerdctl's data root: its per-container files (port mappings) are under `<root>/<hash of address>/containers/<namespace>/<id>`. */
  dataRoot: string;
}

/** A by-id list of at most this many containers asks for each one's task; more ask for every task in one call. */
const TASK_GETS_MAX = 20;

/**
 * The nerdctl engine's container list read from containerd's API: the records and every task in two calls
 * (nerdctl's `ps` makes a task call and parses the spec per container), the port mappings from nerdctl's own
 * files, the image ids from containerd's images. The rows are the ones `nerdctl ps` gives (core/containerd-ps).
 * `list` answers null when the API cannot be used (socket unreachable or refused, nerdctl's files unreadable):
 * the caller then asks nerdctl. Which path is in use is logged once, and again whenever it changes.
 */
export class ContainerdLists {
  private readonly api: ContainerdApi;
  private store?: Promise<string>;
  /** Port mappings per namespace and container id (nerdctl writes them before it makes the container, and never again). */
  private readonly ports = new Map<string, readonly CniPortMapping[] | null>();
  private path: 'api' | 'cli' | undefined;

  constructor(
    /** Only its namespace and log: the page's first list is made with a bare one before the core exists (app/server/early-answer.ts). */
    private readonly ctx: Pick<NerdctlContext, 'namespace' | 'log'>,
    readonly endpoint: ContainerdEndpoint,
  ) {
    this.api = new ContainerdApi(endpoint.address);
  }

  /** The containers (all states; those whose id starts with one of `ids`, when given), or null: use nerdctl. */
  list(ids: readonly string[] | undefined, signal?: AbortSignal): Promise<ContainerSummary[] | null> {
    return this.through((store) => this.read(store, ids, signal));
  }

  /**
   * The whole list made from the early list's replies (read at process start: early-list.ts) instead of asking containerd,
   * as `list(undefined)` makes it (nerdctl's port files are read now); null when the API cannot be used. A reply that
   * cannot be read rejects.
   */
  listFromEarly(parts: EarlyNerdctlParts): Promise<ContainerSummary[] | null> {
    return this.through((store) => {
      this.api.adoptCommands(parts.commands);
      return this.read(store, undefined, undefined, {
        containers: parts.containers,
        tasks: tasksByContainer(readListTasksResponse(parts.tasks)),
        images: readListImagesResponse(parts.images),
      });
    });
  }

  /**
   * What `make` gives for the native record of each of these containers (as `nerdctl inspect --mode=native` gives it, for
   * its security view) with nerdctl's stored port mappings; gone ones are absent. Each record is handed to `make` as it
   * arrives and not kept (its parsed spec is most of its size); `prepare` gives `make` once the tasks and port files are
   * read, in parallel with them. Null when the API cannot be used: ask nerdctl.
   */
  natives<T>(ids: readonly string[], prepare: () => Promise<(native: NativeContainer, ports: readonly CniPortMapping[] | null) => T>, signal?: AbortSignal): Promise<Map<string, T> | null> {
    return this.through(async (store) => {
      const ns = this.ctx.namespace;
      // Only an id containerd could have (the records read no other) is asked for its task or looked for in nerdctl's folder.
      const plain = ids.filter((id) => PLAIN_ID.test(id) && id !== '.' && id !== '..');
      const [tasks, ports, make] = await Promise.all([this.someTasks(ns, plain, signal), this.portsOf(store, ns, plain, false), prepare()]);
      const out = new Map<string, T>();
      await this.api.records(
        ns,
        plain,
        (r) => void out.set(r.id, make(nativeOf(r, tasks), ports.get(r.id) ?? null)),
        signal,
      );
      return out;
    });
  }

  /** A read through the API with nerdctl's data store, or null (logged when the path changes) where the API cannot be used. */
  private async through<T>(read: (store: string) => Promise<T>): Promise<T | null> {
    let store: string;
    try {
      store = await this.dataStore();
    } catch (err) {
      this.store = undefined;
      return this.use('cli', (err as Error).message);
    }
    try {
      const got = await read(store);
      this.use('api');
      return got;
    } catch (err) {
      if (err instanceof ContainerdApiError) return this.use('cli', err.message);
      // nerdctl's files (a folder or port file Berth may not read, one nerdctl would refuse too): nerdctl says what is wrong.
      if ((err as NodeJS.ErrnoException).syscall !== undefined || err instanceof SyntaxError) return this.use('cli', (err as Error).message);
      throw err;
    }
  }

  /** Whether the last read went through the API (false: through nerdctl), undefined before the first. */
  get usingApi(): boolean | undefined {
    return this.path === undefined ? undefined : this.path === 'api';
  }

  dispose(): void {
    this.api.close();
  }

  private use(p: 'api' | 'cli', why?: string): null {
    if (this.path !== p) {
      if (p === 'api') this.ctx.log.info(`Container lists are read from containerd's API at ${this.endpoint.address}`);
      else this.ctx.log.info(`Container lists go through nerdctl ps: containerd's API at ${this.endpoint.address} is not usable (${why ?? 'unknown'})`);
      this.path = p;
    }
    return null;
  }

  /** nerdctl's data store for this containerd (clientutil.DataStore: the first 8 hex of sha256 of the socket's real path). */
  private dataStore(): Promise<string> {
    this.store ??= (async () => {
      const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      const real = await fs.realpath(this.endpoint.address).catch((err: unknown) => Promise.reject(new Error(`no socket at ${this.endpoint.address} (${code(err)})`)));
      const store = nerdctlDataStore(this.endpoint.dataRoot, real);
      // A data root nerdctl has not made yet holds no files: fine. One Berth may not read is not.
      await fs.access(store, fs.constants.R_OK | fs.constants.X_OK).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw new Error(`nerdctl's data folder ${store} cannot be read (${code(err)})`);
      });
      return store;
    })();
    return this.store;
  }

  private async read(
    store: string,
    ids: readonly string[] | undefined,
    signal?: AbortSignal,
    /** A whole list's replies read already (the early list's). */
    read?: { containers: ContainerdContainer[]; tasks: Map<string, ContainerdTask>; images: ImageFields[] },
  ): Promise<ContainerSummary[]> {
    if (ids && ids.length === 0) return [];
    const ns = this.ctx.namespace;
    // containerd's filters are OR'ed; an id that is not a plain one is found in the whole list instead.
    const byId = ids && ids.every((id) => PLAIN_ID.test(id)) ? ids.map((id) => `id~=^${id}`) : [];
    // A whole list reads every task, every image and nerdctl's port files while the records stream in. The security views
    // are not made from it: the badges ask for the rows on screen (natives(ids)), the Security page for every container.
    const [containers, allTasks, allImages] = await Promise.all([
      read?.containers ?? this.api.containers(ns, byId, signal),
      ids ? undefined : (read?.tasks ?? this.api.tasks(ns, signal)),
      ids ? undefined : (read?.images ?? this.api.images(ns, [], signal)),
      ids ? undefined : this.portFolders(store, ns),
    ]);
    const [tasks, images, ports] = await Promise.all([
      allTasks ?? this.someTasks(ns, containers.map((c) => c.id), signal),
      // A by-id list asks for its containers' images only.
      allImages ?? this.api.images(ns, [...new Set(containers.map((c) => `name==${JSON.stringify(c.image)}`))], signal),
      this.portsOf(store, ns, containers.map((c) => c.id), !ids),
    ]);
    if (!ids) this.api.keepOnly(new Set(containers.map((c) => c.id)));
    const imageIds = new Map(images.filter((i) => i.digest.startsWith('sha256:')).map((i) => [familiarImage(i.name), i.digest]));
    const rows = summariesFromContainerd(containers, tasks, (id) => ports.get(id) ?? null, Date.now());
    for (const r of rows) r.imageId = imageIds.get(r.image) ?? '';
    return rows;
  }

  private async someTasks(ns: string, ids: readonly string[], signal?: AbortSignal): Promise<Map<string, ContainerdTask>> {
    if (ids.length > TASK_GETS_MAX) return this.api.tasks(ns, signal);
    const got = await Promise.all(ids.map(async (id) => [id, await this.api.task(ns, id, signal)] as const));
    return new Map(got.filter((e): e is readonly [string, ContainerdTask] => e[1] !== undefined));
  }

  /** The port files of every container folder of the namespace (read into the cache, not returned). */
  private async portFolders(store: string, ns: string): Promise<void> {
    const names = await fs.readdir(path.join(store, 'containers', ns)).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
    await this.portsOf(store, ns, names, false);
  }

  /**
   * nerdctl's port mappings of these containers (`portutil.LoadPortMappings`): `network-config.json` in each one's
   * folder of the data store; null where there is none (nerdctl then reads the legacy `nerdctl/ports` label).
   */
  private async portsOf(store: string, ns: string, ids: readonly string[], whole: boolean): Promise<Map<string, readonly CniPortMapping[] | null>> {
    const key = (id: string) => `${ns}/${id}`;
    const out = new Map<string, readonly CniPortMapping[] | null>();
    const missing = ids.filter((id) => !this.ports.has(key(id)));
    const dir = path.join(store, 'containers', ns);
    const present = missing.length ? new Set(await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)))) : new Set<string>();
    let read = 0;
    for (const id of missing) {
      if (!present.has(id)) {
        this.ports.set(key(id), null);
        continue;
      }
      // `id` is a name readdir gave for `dir` (no separator, never `.` or `..`): joined as path.join would join it.
      const text = readIfPresent(`${dir}/${id}/network-config.json`);
      // A container nerdctl did not make (ctr, another client) has a folder at most: no mappings stored.
      this.ports.set(key(id), text === null ? null : storedPorts(text));
      // Other work (the window's requests, the records streaming in) runs between slices.
      if (++read % PORT_FILES_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    for (const id of ids) out.set(id, this.ports.get(key(id)) ?? null);
    if (whole) {
      const keep = new Set(ids.map(key));
      for (const k of this.ports.keys()) if (k.startsWith(`${ns}/`) && !keep.has(k)) this.ports.delete(k);
    }
    return out;
  }
}

/** Port files read between two turns of the event loop (~10 µs each). */
const PORT_FILES_PER_TURN = 250;

/**
 * A file's text, or null when it does not exist. Read synchronously: a list reads one small file per container (2,000
 * here); read through the thread pool, each took four round trips through the event loop (open, stat, read, close), which
 * waited behind the records being decoded meanwhile: the first list of 2,000 containers waited 1-2 s for its port files
 * on a loaded machine (issue 11: cold start), against ~10-30 ms of reading them in slices here.
 */
function readIfPresent(file: string): string | null {
  // A missing file is asked for first without an exception: the error readFileSync throws (message, stack) costs ~15 µs
  // each: 2,000 containers without one took 35 ms of CPU, 8 ms this way (nerdctl's copies made through containerd's API).
  if (!statSync(file, { throwIfNoEntry: false })) return null;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** A record as `nerdctl inspect --mode=native` prints it, with its task's status. */
function nativeOf(r: ContainerdRecord, tasks: ReadonlyMap<string, ContainerdTask>): NativeContainer {
  return { ID: r.id, Labels: r.labels, Image: r.image, Runtime: { Name: r.runtime.name, Options: r.runtime.options }, Spec: r.spec as NativeContainer['Spec'], Process: { Status: { Status: processStatus(tasks.get(r.id)?.status) } } };
}

/** containerd's task status (containerd.v1.types.Status) as nerdctl's native inspect prints it ('' without a task). */
const STATUS_WORDS = ['unknown', 'created', 'running', 'stopped', 'paused', 'pausing'];
function processStatus(status: number | undefined): string {
  return status === undefined ? '' : (STATUS_WORDS[status] ?? 'unknown');
}

/** `portMappings` of nerdctl's network-config.json (Go matches the key without regard to case). */
export function storedPorts(text: string): readonly CniPortMapping[] {
  const v: unknown = JSON.parse(text);
  if (v === null || typeof v !== 'object') return [];
  const entry = Object.entries(v).find(([k]) => k.toLowerCase() === 'portmappings');
  return cniPortMappings(entry?.[1]);
}
