import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import type { ContainerSummary } from '../../../contract/containers';
import type { ContainerdTask, CniPortMapping } from '../../../core/containerd-ps';
import type { KeptForViews } from './containerd-list';

/**
 * The nerdctl engine's container list asked for at process start, before the core's modules load (issue 11: cold start),
 * as the Docker early list does (../docker-api/early-list.ts). containerd's list of 2,000 containers is a 38 MB stream of
 * records to decode, and gRPC must load first: that is done in a helper process (early-list-worker.ts, a child of the
 * core's), so the core's own start is not slowed and the memory the read takes goes back to the system when the helper
 * ends. Only this module and node's own are loaded here.
 *
 * Coherence: containerd keeps no event history, so the helper subscribes to containerd's events before it lists, and keeps
 * the subscription until the list is taken: `changed()` says whether any container or task event of the namespace came
 * (or the subscription ended) since. Asked once the core's own event stream is up, as for Docker's early list.
 *
 * Only for the nerdctl that the environment alone configures as the active engine (BERTH_NERDCTL, BERTH_NERDCTL_ARGS,
 * BERTH_NERDCTL_NAMESPACE, BERTH_NERDCTL_ACTIVE=1: tests, the bench, development), so that the core's engine is this
 * same containerd and namespace whatever its settings say; otherwise null and the core lists as usual.
 */
export interface EarlyNerdctlList {
  readonly kind: 'nerdctl';
  /** The engine it asked, as the nerdctl adapter names its endpoint (`nerdctl://<program>`). */
  readonly endpoint: string;
  /** The helper's list once, or null when already taken or let go. Rejects when it could not list. */
  take(): Promise<EarlyNerdctlReply> | null;
  /** Whether a container or task event of the namespace came since the helper subscribed (before it listed), until now. */
  changed(): Promise<boolean>;
  /** Stops the helper (its subscription and connection) and lets the list go. */
  release(): void;
}

export interface EarlyNerdctlReply {
  rows: ContainerSummary[];
  /** What the list read for the security views (ContainerdLists.listed), as KeptJson text (parsed when asked); null when it kept nothing. */
  kept: string | null;
  /** The containerd socket, nerdctl's data root and the namespace it listed. */
  address: string;
  dataRoot: string;
  namespace: string;
}

/** What the helper is given (its first IPC message). */
export interface EarlyWorkerData {
  globalArgs: string[];
  /** The environment nerdctl runs with (the core's, then BERTH_NERDCTL_ENV's). */
  env: Record<string, string | undefined>;
  uid: number;
  namespace: string;
}

/** KeptForViews as JSON: its maps as entries. */
export interface KeptJson {
  records: KeptForViews['records'];
  tasks: Array<[string, ContainerdTask]>;
  ports: Array<[string, readonly CniPortMapping[] | null]>;
}

/** KeptForViews from the helper's KeptJson text. */
export function keptFromJson(text: string): KeptForViews {
  const k = JSON.parse(text) as KeptJson;
  return { records: k.records, tasks: new Map(k.tasks), ports: new Map(k.ports) };
}

export type ToEarlyWorker = { t: 'changed?' } | { t: 'stop' };
/** The list's rows as JSON text (ContainerSummary[]). */
export type FromEarlyWorker = ({ t: 'list'; rows: string } & Omit<EarlyNerdctlReply, 'rows'>) | { t: 'error'; message: string } | { t: 'changed'; changed: boolean };

/** The helper fails (then the core lists as usual) after this: the window's first list waits for it. */
const WORKER_TIMEOUT_MS = 10_000;

/** The helper's file: beside this module when run from source (tsx), the bundle's own entry when bundled (build scripts). */
export function earlyWorkerFile(): string | null {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.ts') ? path.join(path.dirname(here), 'early-list-worker.ts') : path.join(path.dirname(here), 'nerdctl-early-worker.js');
  return fs.existsSync(file) ? file : null;
}

/** The helper process that lists. */
interface Helper {
  post(m: ToEarlyWorker): void;
  onMessage(l: (m: FromEarlyWorker) => void): void;
  /** It failed or ended. */
  onGone(l: (err?: Error) => void): void;
  /** Ends it now. */
  stop(): void;
}

/**
 * A child process, not a worker thread: when it ends, all of its memory goes back to the system. A worker thread's malloc
 * arena does not: the 38 MB of records it read stayed in the core's RSS (cold starts, 2,000 containers, RSS 3 s after the
 * first row: 116 MB without an early list, 174 MB with it in a thread, 120 MB in a process). From source (`npm run web`
 * under tsx), tsx's loader is the child's too. Its output is not read (it reports through the IPC channel only).
 */
function processHelper(file: string, data: EarlyWorkerData): Helper {
  const child = fork(file, [], { serialization: 'advanced', execArgv: file.endsWith('.ts') ? ['--import', 'tsx'] : [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  child.send(data);
  // Nothing here keeps the core's process alive: its own work does.
  child.unref();
  child.channel?.unref();
  return {
    post: (m) => void child.send(m),
    onMessage: (l) => void child.on('message', l),
    onGone: (l) => void child.on('error', l).on('exit', () => l()),
    stop: () => void child.kill('SIGKILL'),
  };
}


function config(env: Record<string, string | undefined>): EarlyWorkerData | null {
  if (env.BERTH_NERDCTL_ACTIVE !== '1' || !env.BERTH_NERDCTL || !env.BERTH_NERDCTL_ARGS || !env.BERTH_NERDCTL_NAMESPACE) return null;
  if (env.BERTH_NERDCTL_CONTAINERD_API === '0') return null;
  const uid = process.getuid?.() ?? -1;
  try {
    const globalArgs: unknown = JSON.parse(env.BERTH_NERDCTL_ARGS);
    const extra: unknown = env.BERTH_NERDCTL_ENV ? JSON.parse(env.BERTH_NERDCTL_ENV) : {};
    if (!Array.isArray(globalArgs) || !globalArgs.every((a) => typeof a === 'string')) return null;
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra) || !Object.values(extra).every((v) => typeof v === 'string')) return null;
    return { globalArgs: globalArgs as string[], env: { ...env, ...(extra as Record<string, string>) }, uid, namespace: env.BERTH_NERDCTL_NAMESPACE };
  } catch {
    // The core reports a malformed environment itself (local-config.ts).
    return null;
  }
}

/** Starts the helper now; null when the environment does not configure a local nerdctl as above, or its file is not there. */
export function startEarlyNerdctlList(env: Record<string, string | undefined>, workerFile: string | null = earlyWorkerFile()): EarlyNerdctlList | null {
  const data = config(env);
  if (!data || !workerFile) return null;
  const helper = processHelper(workerFile, data);
  let stopped = false;
  const asks: Array<(changed: boolean) => void> = [];
  let settle: { resolve(r: EarlyNerdctlReply): void; reject(err: Error): void };
  let reply: Promise<EarlyNerdctlReply> | null = new Promise<EarlyNerdctlReply>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may take it (another engine, no window): its failure is then nobody's.
  reply.catch(() => undefined);
  const timer = setTimeout(() => fail(new Error(`The early container list did not come within ${WORKER_TIMEOUT_MS / 1000} s`)), WORKER_TIMEOUT_MS);
  timer.unref();
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    // Its memory (the decoded records' garbage) goes with it now, whatever the connection's close still waits for.
    helper.stop();
    // Unanswered questions: the subscription is gone, so nothing can be vouched for.
    for (const ask of asks.splice(0)) ask(true);
  };
  const fail = (err: Error) => {
    settle.reject(err);
    stop();
  };
  helper.onMessage((m) => {
    if (m.t === 'list') {
      clearTimeout(timer);
      settle.resolve({ rows: JSON.parse(m.rows) as ContainerSummary[], kept: m.kept, address: m.address, dataRoot: m.dataRoot, namespace: m.namespace });
    } else if (m.t === 'error') fail(new Error(`The early container list failed: ${m.message}`));
    else asks.shift()?.(m.changed);
  });
  helper.onGone((err) => {
    if (!stopped) fail(err ?? new Error('The early container list helper stopped'));
  });
  return {
    kind: 'nerdctl',
    endpoint: `nerdctl://${env.BERTH_NERDCTL}`,
    take() {
      const r = reply;
      reply = null;
      return r;
    },
    changed() {
      if (stopped) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        asks.push(resolve);
        helper.post({ t: 'changed?' });
      });
    },
    release() {
      reply = null;
      stop();
    },
  };
}
