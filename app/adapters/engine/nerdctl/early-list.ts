import fs from 'node:fs';
import type { ContainerdContainer } from '../../../core/containerd-ps';
import { containerOf, type CommandCache } from './containerd-container';
import { flagValue } from './containerd-endpoint';
import { readEnvelope } from './containerd-envelope';
import { GrpcClient } from './containerd-grpc';
import { encodeStrings } from './containerd-messages';

/**
 * Each early call (the subscription's Version check, the list's three calls) fails after this, and the core then lists as
 * usual: the window's first list waits for them. As Docker's early list (docker-api/early-list.ts).
 */
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * Not taken nor let go by then (no core came up to take it): the subscription and the replies are let go. The core's
 * FirstList takes or releases it well before (KEEP_MS after the core's start).
 */
const ABANDON_MS = 60_000;
/** containerd's defaults, as nerdctl's (containerd-endpoint.ts). */
const DEFAULT_ADDRESS = '/run/containerd/containerd.sock';
const DEFAULT_TOML = '/etc/nerdctl/nerdctl.toml';

const SUBSCRIBE = '/containerd.services.events.v1.Events/Subscribe';
const VERSION = '/containerd.services.version.v1.Version/Version';
const LIST_STREAM = '/containerd.services.containers.v1.Containers/ListStream';
const TASKS_LIST = '/containerd.services.tasks.v1.Tasks/List';
const IMAGES_LIST = '/containerd.services.images.v1.Images/List';
/** The topics whose events change a list's rows (containers, their tasks, the images their image ids come from). */
const CHANGES = /^\/(?:containers|tasks|images)\//;

/** The containerd a local nerdctl configured by the environment alone is the active engine on, as the core will find it. */
export interface EarlyNerdctlTarget {
  /** The engine's endpoint as the nerdctl adapter names it (`nerdctl://<program>`). */
  endpoint: string;
  /** containerd's socket path. */
  address: string;
  namespace: string;
}

/**
 * What the first whole list reads from containerd (ContainerdLists.read), read at process start. The records are read as
 * they arrive, between the core's modules loading: kept as containerd sent them instead (and read once the core is up),
 * the core held ~40 MB more and its first row came later (cold starts, 8 interleaved: RSS 3 s after the row 82 -> 120 MB).
 */
export interface EarlyNerdctlParts {
  /** Containers/ListStream's containers, as ContainerdApi.containers gives them. */
  containers: ContainerdContainer[];
  /** Their commands by id and update time (ContainerdApi's cache). */
  commands: CommandCache;
  /** Tasks/List's reply (ListTasksResponse). */
  tasks: Buffer;
  /** Images/List's reply (ListImagesResponse). */
  images: Buffer;
}

/**
 * containerd's container list for the window's first list, asked for at process start by an entry that opens a window on
 * the Containers page, before the core's modules load (issue 11: cold start), when the environment alone makes a local
 * nerdctl whose containerd socket the core reads the active engine (see earlyNerdctlTarget). Only node's modules and the
 * small gRPC client's files are loaded by then: no zod, no contract.
 *
 * Coherence: containerd keeps no past events, so before the list an Events/Subscribe stream of the namespace's container,
 * task and image events is opened (and known to be open: a Version call after it on the same connection answered), and
 * the list starts only then. Every such event from then on counts as a change (`changed()`); the core uses the list only
 * if there was none until its own change feed is up and the rows are made (early-containers.ts), and may keep following
 * the subscription (`follow`) until its own event stream has shown it is subscribed.
 *
 * Measured (2,000 containers, 2 CPUs shared, bench core bundles of 8c17265 with the bench's entry calling
 * startEarlyDockerList or startEarlyList, 12+12 interleaved cold starts, load 0.8-2.6): spawn -> first row median
 * 1,578 -> 1,418 ms (lower in 8 of 12 pairs), the list's reply 785 -> 366 ms after it was sent, but the page's call sent
 * later (470 -> 624 ms after navigation: the records are received and read while the page is served). Above a load of
 * about 4 the same comparison went either way or worse (its CPU, 50-100 ms, lands before the first row either way).
 */
export interface EarlyNerdctlList {
  readonly kind: 'nerdctl';
  readonly endpoint: string;
  readonly address: string;
  readonly namespace: string;
  /** Date.now() right before the subscription was asked for. */
  readonly sentAt: number;
  /** The list's replies once (rejects when a call failed or timed out), or null when already taken or let go. */
  take(): Promise<EarlyNerdctlParts> | null;
  /**
   * The same replies without taking them (take() still gives them), or null when already taken or let go: the page's first
   * list answered before the core exists (app/server/early-answer.ts) is made from them, and the core takes them later.
   */
  peek(): Promise<EarlyNerdctlParts> | null;
  /**
   * Whether the list may not be the engine's any more: containerd reported a change since the subscription began, or the
   * subscription failed or ended (from then on changes are not seen), or it never was known to be open.
   */
  changed(): boolean;
  /**
   * From now on each event of the subscription (its Envelope, a copy) is also given to `each`, and `ended` is called once
   * when the subscription fails or ends (not when let go).
   */
  follow(each: (envelope: Buffer) => void, ended: () => void): void;
  /** Lets everything go: the replies, and the subscription (nothing is given to a follower any more). */
  release(): void;
}

const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * nerdctl's global flags (`BERTH_NERDCTL_ARGS`, a JSON array of strings) and the environment it runs with (the given one
 * with `BERTH_NERDCTL_ENV`, a JSON object of strings, over it), as local-config.ts reads them; or why they cannot be read.
 */
export function nerdctlEnvFlags(env: Record<string, string | undefined>): { args: string[]; env: Record<string, string | undefined> } | { refused: string } {
  let args: unknown = [];
  let extra: unknown = {};
  try {
    if (env.BERTH_NERDCTL_ARGS) args = JSON.parse(env.BERTH_NERDCTL_ARGS);
    if (env.BERTH_NERDCTL_ENV) extra = JSON.parse(env.BERTH_NERDCTL_ENV);
  } catch {
    return { refused: 'BERTH_NERDCTL_ARGS or BERTH_NERDCTL_ENV is not JSON' };
  }
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) return { refused: 'BERTH_NERDCTL_ARGS is not an array of strings' };
  if (extra === null || typeof extra !== 'object' || Array.isArray(extra) || !Object.values(extra).every((v) => typeof v === 'string')) {
    return { refused: 'BERTH_NERDCTL_ENV is not an object of strings' };
  }
  return { args: args as string[], env: { ...env, ...(extra as Record<string, string>) } };
}

/**
 * The containerd the core will read lists from, when the environment alone says it (local-config.ts and
 * containerd-endpoint.ts, read the same way): `BERTH_NERDCTL`, `BERTH_NERDCTL_ACTIVE=1`, the socket from
 * `BERTH_NERDCTL_ARGS` (`--address`) or `CONTAINERD_ADDRESS` (the environment with `BERTH_NERDCTL_ENV` over it), the
 * namespace from `BERTH_NERDCTL_NAMESPACE` (else `default`). Null whenever it is not that simple: not root (rootless
 * nerdctl), `BERTH_NERDCTL_CONTAINERD_API=0`, malformed JSON, or a nerdctl.toml that might name the socket (read with a
 * TOML parser the core loads later). The core uses the list only if its engine turns out to be this one (settings may
 * name another namespace or active engine).
 */
export function earlyNerdctlTarget(env: Record<string, string | undefined>, uid: number): EarlyNerdctlTarget | null {
  const program = env.BERTH_NERDCTL;
  if (!program || env.BERTH_NERDCTL_ACTIVE !== '1' || env.BERTH_NERDCTL_CONTAINERD_API === '0' || uid !== 0) return null;
  const flags = nerdctlEnvFlags(env);
  if ('refused' in flags) return null;
  const merged = flags.env;
  let address = flagValue(flags.args, ['--address', '-a', '--host', '-H']) ?? nonEmpty(merged.CONTAINERD_ADDRESS);
  if (address === undefined) {
    if (fs.existsSync(merged.NERDCTL_TOML || DEFAULT_TOML)) return null;
    address = DEFAULT_ADDRESS;
  }
  const socket = address.replace(/^unix:\/\//, '');
  if (!socket.startsWith('/')) return null;
  return { endpoint: `nerdctl://${program}`, address: socket, namespace: env.BERTH_NERDCTL_NAMESPACE || 'default' };
}

/** Subscribes and then lists now; null when the environment names no such containerd (earlyNerdctlTarget). */
export function startEarlyNerdctlList(env: Record<string, string | undefined>, uid: number = process.getuid?.() ?? -1): EarlyNerdctlList | null {
  const target = earlyNerdctlTarget(env, uid);
  return target ? earlyNerdctlList(target) : null;
}

/**
 * The early list of this containerd: subscribes, then lists once the subscription is known to be open. `timeoutMs`: each
 * call's (and a new connection's wait for the server's HTTP/2 settings).
 */
export function earlyNerdctlList(target: EarlyNerdctlTarget, timeoutMs = REQUEST_TIMEOUT_MS): EarlyNerdctlList {
  const { address, namespace } = target;
  const sentAt = Date.now();
  // Two connections: the subscription's own (it lasts as long as the core keeps it, and does not keep the process alive), and the list's.
  const events = new GrpcClient(address, timeoutMs);
  const lists = new GrpcClient(address, timeoutMs);
  let changed = false;
  let released = false;
  let follower: { each: (envelope: Buffer) => void; ended: () => void } | null = null;
  const md = { 'containerd-namespace': namespace };

  // SubscribeRequest: filters (1, repeated; OR'ed, each one's terms AND'ed). The namespace and topics are checked here too.
  const filter = `namespace==${JSON.stringify(namespace)},topic~="^/(containers|tasks|images)/"`;
  const subscription = events.call(SUBSCRIBE, encodeStrings({ 1: [filter] }), {}, (m) => {
    let e: { namespace: string; topic: string };
    try {
      e = readEnvelope(m);
    } catch {
      // Unreadable: it may have been a change.
      changed = true;
      return;
    }
    if (e.namespace !== namespace || !CHANGES.test(e.topic)) return;
    changed = true;
    follower?.each(Buffer.from(m));
  }, undefined, true);
  const ended = () => {
    // From here on changes are not seen.
    changed = true;
    if (!released) follower?.ended();
  };
  subscription.then(ended, ended);
  // The Subscribe request went on this connection first: containerd has it once a call made after it has answered.
  const open = events.unary(VERSION, Buffer.alloc(0), {}, AbortSignal.timeout(timeoutMs));
  let parts: Promise<EarlyNerdctlParts> | null = open.then(() => {
    const signal = AbortSignal.timeout(timeoutMs);
    const commands: CommandCache = new Map();
    const containers: ContainerdContainer[] = [];
    // ListContainersRequest, ListTasksRequest, ListImagesRequest: no filters.
    const listed = lists.call(LIST_STREAM, Buffer.alloc(0), md, (b) => {
      const c = containerOf(b, commands);
      if (c) containers.push(c);
    }, signal);
    return Promise.all([listed, lists.unary(TASKS_LIST, Buffer.alloc(0), md, signal), lists.unary(IMAGES_LIST, Buffer.alloc(0), md, signal)]).then(([, tasks, images]) => ({ containers, commands, tasks, images }));
  });
  open.catch(() => {
    changed = true;
  });
  // The list's connection is closed once its calls are done, used or not.
  parts.then(
    () => lists.close(),
    () => lists.close(),
  );
  const release = () => {
    if (released) return;
    released = true;
    parts = null;
    follower = null;
    clearTimeout(abandon);
    events.close();
    lists.close();
  };
  const abandon = setTimeout(release, ABANDON_MS);
  abandon.unref();
  return {
    kind: 'nerdctl',
    endpoint: target.endpoint,
    address,
    namespace,
    sentAt,
    take() {
      const p = parts;
      parts = null;
      if (p) clearTimeout(abandon);
      return p;
    },
    peek: () => parts,
    changed: () => changed,
    follow(each, end) {
      if (released) return;
      follower = { each, ended: end };
    },
    release,
  };
}
