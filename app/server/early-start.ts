/**
 * Browser mode's cold start when the page's first list can be answered before the core exists (issue 11): the web
 * server listens at once, answers the Containers page's first `containers.list` from the engine's list asked for at
 * process start (early-answer.ts), and holds the page's other messages until the core is attached. The core's modules
 * load once the page has drawn those rows: loading them (and createCore) competes for the CPU with making and sending
 * the rows, and with the page parsing and drawing them.
 * Loads no zod and no schema: only the web server's own modules.
 */
import type { RpcServer } from '../api/rpc-server';
import type { Logger } from '../ports/logger';
import type { Services } from '../services';
import { earlyAnswer } from './early-answer';
import { createEarlyLog, type EarlyLog } from './early-log';
import type { EarlyList } from './early-list';
import { listenWeb, type ListeningWebServer } from './ws-server';

/** The part of early-answer.ts's EarlyAnswer this uses. */
export interface FirstListAnswer {
  /** The engine whose list it is. */
  readonly engineId: string;
  /** The output of `containers.list {all:true}` as the core would send it, or null (the core answers). Never rejects. */
  rows(): Promise<unknown>;
}

/** How long the core's modules wait for the page's first list call at most (the browser may be opened later, by hand). */
export const EARLY_ANSWER_WAIT_MS = 1_500;
/**
 * After the answer, how long the core's modules wait at most for the page to show its first rows: the page's first
 * `security.badges` call goes once the frame with its first rows is drawn (renderer/stores/security.ts). Loading the
 * core meanwhile would compete for the CPU with the page parsing and drawing the list.
 */
export const EARLY_PAINT_WAIT_MS = 300;

export interface EarlyStart {
  readonly web: ListeningWebServer;
  /** The core is ready: it serves the connections held (ListeningWebServer.attach), and tells the pages answered early what they missed. */
  attach(core: { rpc: RpcServer; log: Logger; services: Pick<Services, 'changes' | 'engines'> }): void;
  /**
   * Resolves when the core's modules should load: once the page answered early has drawn its first rows (its first
   * `security.badges` call) or EARLY_PAINT_WAIT_MS after the answer; at once when the page's call was declined, no answer
   * is possible, or a page asked for no list; at the latest after EARLY_ANSWER_WAIT_MS.
   */
  readonly loadCore: Promise<void>;
}

export interface EarlyStartOptions {
  answer: FirstListAnswer;
  staticDir?: string;
  port?: number;
  earlyLog?: EarlyLog;
  waitMs?: number;
  /** EARLY_PAINT_WAIT_MS by default; 0: the core loads as soon as the answer is sent. */
  paintWaitMs?: number;
}

/**
 * The web entry's start when the early list is containerd's: null when the page's first list cannot be answered before
 * the core (early-answer.ts: the settings may pick another engine or namespace, ...); then the entry starts as before.
 */
export async function startBeforeCore(opts: {
  earlyList: EarlyList;
  env: Record<string, string | undefined>;
  dataDir: string;
  staticDir?: string;
  port?: number;
  waitMs?: number;
}): Promise<EarlyStart | null> {
  const earlyLog = createEarlyLog();
  const answer = earlyAnswer(opts.earlyList, { env: opts.env, dataDir: opts.dataDir, log: earlyLog.log });
  if (!answer) return null;
  return listenBeforeCore({
    answer,
    earlyLog,
    ...(opts.staticDir ? { staticDir: opts.staticDir } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.waitMs !== undefined ? { waitMs: opts.waitMs } : {}),
  });
}

export async function listenBeforeCore(opts: EarlyStartOptions): Promise<EarlyStart> {
  let go: () => void = () => undefined;
  const loadCore = new Promise<void>((resolve) => (go = resolve));
  // Once the answer is out (its frame written): the send runs in the same turn as the answer's promise settling.
  const goSoon = () => void setImmediate(go);
  const timer = setTimeout(go, opts.waitMs ?? EARLY_ANSWER_WAIT_MS);
  const paintWaitMs = opts.paintWaitMs ?? EARLY_PAINT_WAIT_MS;
  void loadCore.then(() => clearTimeout(timer));
  const engineId = opts.answer.engineId;
  // The rows are made now, while the page loads; let go once the core serves the page (the server keeps its responder).
  let rows: Promise<unknown> | null = opts.answer.rows();
  void rows.then((r) => {
    if (r === null) goSoon();
  });
  const web = await listenWeb({
    ...(opts.staticDir ? { staticDir: opts.staticDir } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.earlyLog ? { earlyLog: opts.earlyLog } : {}),
    early: {
      answer: (method, input) => {
        // holdPeer asks only for the page's containers.list {all:true}; anything else is the core's.
        if (method !== 'containers.list' || JSON.stringify(input) !== '{"all":true}') return Promise.resolve(null);
        if (!rows) return Promise.resolve(null);
        const out = rows.then((r) => r);
        void out.then((r) => {
          if (r === null || paintWaitMs <= 0) return goSoon();
          // Answered: the core loads once the page has drawn the rows (its first badges call), or after paintWaitMs.
          setTimeout(go, paintWaitMs);
        });
        return out;
      },
      heldAfterAnswer: (msg) => {
        const m = msg as { t?: unknown; method?: unknown } | null;
        if (typeof m === 'object' && m !== null && m.t === 'call' && m.method === 'security.badges') go();
      },
      passed: goSoon,
    },
  });
  return {
    web,
    loadCore,
    attach(core) {
      rows = null;
      web.attach(core.rpc, core.log, () => afterEarlyAnswer(core.services, engineId));
    },
  };
}

/**
 * A page was answered `containers.list` of `engineId` before the core existed, and its change feed subscription is
 * registered now (ListeningWebServer.attach's earlyAnswered). The feed told it each engine's state when it subscribed;
 * what the feed said before (an engine's `up` and the `resync` after it, container changes) it did not hear. When the
 * active engine is still connecting, its `up` and `resync` are still to come on that feed (the page lists again then);
 * otherwise (up already, down, or another engine is the active one after all) a resync of the active engine now makes
 * the page list again.
 */
export function afterEarlyAnswer(services: Pick<Services, 'changes' | 'engines'>, engineId: string): void {
  const active = services.engines.activeEngineId();
  if (active === null) return;
  const state = services.changes.monitor.states().find((s) => s.engineId === active)?.state;
  if (active === engineId && state?.status === 'connecting') return;
  services.changes.resync(active);
}
