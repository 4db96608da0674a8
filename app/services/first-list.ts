import { checkAheadList, checkedAgainst } from '../contract/checked';
import { containersApi, type ContainerSummary } from '../contract/containers';
import { isPlainContainerSummary } from '../contract/containers-fast';
import type { ChangeEvent } from '../contract/events';
import type { EarlyContainerList } from '../ports/early-list';
import type { ContainerEngine } from '../ports/engine';
import type { ChangeFeed } from './change-feed';
import type { EngineRegistry } from './engine-registry';

/**
 * The one owner of "let go after 15 s": the early list (asked for at process start) not used within this long of the core's
 * start, and the first list not asked for within this long of the engine coming up, are let go. They only serve the
 * window's first paint (the early list's own modules keep nothing on a timer: FirstList releases them).
 */
export const KEEP_MS = 15_000;
/**
 * The longest a full list asked for before the engine's first `up` waits for it (waitForStart): the page's socket is
 * served once the core exists, and on nerdctl `up` (nerdctl version answering) can come later, so the window's first
 * call listed every container itself and the prefetch listed them again at `up`.
 */
export const WAIT_UP_MS = 3_000;
/**
 * Between two slices of the list's check: other work (the window's requests) runs first. An immediate,
 * not a 0 ms timer: the event loop polls I/O before it either way, but a timer also sleeps until the
 * next millisecond (and, on a busy machine, until the process is scheduled again) on each of the ~20
 * pauses, while the window may already be waiting for this list (issue 11: check 97-330 -> 51-97 ms).
 */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The rule of a first listing, in one place: it stays the engine's list while the change feed says nothing about that engine
 * (but `connecting`, and the `resync` that follows the `up` the listing started on) or its containers.
 */
class Coherence {
  changed = false;
  constructor(
    readonly engineId: string,
    /** Started on `up`, whose `resync` (events missed while away, none since the listing began) is still to come. */
    private resyncDue: boolean,
  ) {}

  /** Takes one feed item; true when it is the first that changes the listing. */
  see(e: ChangeEvent): boolean {
    if (this.changed || e.engineId !== this.engineId) return false;
    if (e.kind === 'engine') {
      if (e.action === 'connecting') return false;
      if (e.action === 'resync' && this.resyncDue) {
        this.resyncDue = false;
        return false;
      }
    } else if (e.kind !== 'container') return false;
    this.changed = true;
    return true;
  }
}

interface Prefetch {
  /** Whether the listing still is the engine's (FirstList's rule). */
  rule: Coherence;
  list: Promise<ContainerSummary[]>;
  /** Given to the window's first call; given to the core's own view of the containers (`seed`). */
  taken: boolean;
  seeded: boolean;
}

/**
 * The window's first `containers.list` (every container), fetched from the engine while the
 * window is still loading. Only for a core that opens a window on the Containers page at start
 * (`opensWindow`: the Electron app, `npm run web`), where that list is the first thing the window
 * asks for; any other core (tests, tools) does no such work. When the active engine's event stream
 * is up at start, the core lists its containers once and checks them against the reply's schema.
 * The first call that asks for that list gets it, as long as the change feed said nothing about
 * containers (nor the engine) since the listing began (Coherence); any such item, a failure, or 15 s without a
 * caller drop it. It is used once: every later call asks the engine. The core's own view of the containers may be
 * seeded from it once too (`seed`), under the same rule.
 */
export class FirstList {
  private pending: Prefetch | null = null;
  private done = false;
  /** The list the entry asked the engine for at process start, until the first start (used or not) or the end. */
  private early: EarlyContainerList | null;
  /** The one KEEP_MS timer: for the early list until the engine is up, then for the prefetched list. */
  private timer: ReturnType<typeof setTimeout> | null = null;
  private off: (() => void) | null = null;
  /** While subscribing: the items are the current state told at subscription, not news. */
  private subscribing = false;
  /** Full lists asked for before the first `up` (waitForStart): woken when the prefetch starts, or nothing is left to wait for. */
  private waiters: Array<() => void> = [];
  private waitTimer: ReturnType<typeof setTimeout> | null = null;
  /** Calls answered from the prefetched list, and views seeded from it (tests read them). */
  served = 0;
  seeded = 0;
  /** The early list: used as the first list, or listed again instead (a change since it was asked for, or its failure). */
  earlyUsed = 0;
  earlyRelisted = 0;

  constructor(
    private readonly engines: Pick<EngineRegistry, 'resolve' | 'activeEngineId'>,
    private readonly changes: Pick<ChangeFeed, 'subscribe'>,
    opts: { opensWindow: boolean; early?: EarlyContainerList | null },
  ) {
    this.early = opts.early ?? null;
    this.done = !opts.opensWindow;
    if (this.done) {
      this.releaseEarly();
      return;
    }
    if (this.early) this.keep(() => this.releaseEarly());
    this.subscribing = true;
    try {
      this.off = changes.subscribe(undefined, (e) => this.onChange(e));
    } finally {
      this.subscribing = false;
    }
    // Done while subscribing (the current state said so): nothing left to follow.
    if (this.done) this.unsubscribe();
  }

  private onChange(e: ChangeEvent): void {
    if (this.done) return;
    const p = this.pending;
    if (!p) {
      // `up` (live, or the current state when subscribing): from then on the feed reports every change of the engine.
      // A live `up` is followed by a `resync`; the current state told at subscription is not.
      if (e.kind === 'engine' && e.action === 'up' && e.engineId === this.engines.activeEngineId()) this.start(e.engineId, !this.subscribing);
      // The active engine is down: the calls waiting for its `up` ask it themselves (and get its error).
      else if (e.kind === 'engine' && e.action === 'down' && e.engineId === this.engines.activeEngineId()) this.wake();
      return;
    }
    if (p.rule.see(e)) this.drop();
  }

  private start(engineId: string, resyncDue: boolean): void {
    let engine: ContainerEngine;
    try {
      engine = this.engines.resolve(engineId);
    } catch {
      // Removed meanwhile: nothing to prefetch; the window's call lists as usual.
      this.drop();
      return;
    }
    // Checked against the reply's schema now, while the window loads (a slice of rows at a time, so the window's files
    // are served meanwhile), and not parsed again in the reply. A list that does not match is served as it came: the
    // RPC server's own check then reports it.
    const raw = this.listFrom(engine);
    const schema = containersApi['containers.list'].output;
    // The early list comes checked already (it was checked while the core started).
    const list = raw.then((l) => (checkedAgainst(schema, l) ? l : checkAheadList(schema, l, pause, undefined, isPlainContainerSummary).catch(() => l)));
    // Unused or failed, it is dropped; a caller that took it sees the failure itself.
    list.catch(() => {
      if (this.pending?.list === list) this.drop();
    });
    this.keep(() => this.drop());
    this.pending = { rule: new Coherence(engineId, resyncDue), list, taken: false, seeded: false };
    this.wake();
  }

  /**
   * For a call that would find nothing to take() yet: when it is a full list of the active engine asked for before the
   * engine's first `up`, resolves once the prefetch started (take() may then answer it) or there is nothing to wait for
   * (the engine is down, the list was let go, WAIT_UP_MS passed); null when there is nothing to wait for now.
   */
  waitForStart(engineId: string | undefined, input: { all: boolean; ids?: string[] }): Promise<void> | null {
    if (this.done || this.pending || !input.all || input.ids) return null;
    const active = this.engines.activeEngineId();
    if (!active || (engineId !== undefined && engineId !== active)) return null;
    if (!this.waitTimer) {
      this.waitTimer = setTimeout(() => this.wake(), WAIT_UP_MS);
      this.waitTimer.unref?.();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = null;
    for (const w of this.waiters.splice(0)) w();
  }

  /** (Re)arms the one KEEP_MS timer. */
  private keep(expire: () => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(expire, KEEP_MS);
    this.timer.unref?.();
  }

  /**
   * The early list (asked for at process start) when it is this engine's and nothing changed since it was asked for,
   * else a listing now. An early request that failed, or a change since: listed again, as if there had been none.
   */
  private listFrom(engine: ContainerEngine): Promise<ContainerSummary[]> {
    const early = this.early;
    this.early = null;
    const listed = () => engine.containers.list({ all: true });
    if (!early) return listed();
    if (early.endpoint !== engine.endpoint) {
      early.release();
      return listed();
    }
    const taken = early.take();
    if (!taken) return listed();
    const again = () => {
      this.earlyRelisted++;
      return listed();
    };
    return taken.then((l) => {
      if (!l) return again();
      this.earlyUsed++;
      return l;
    }, again);
  }

  private releaseEarly(): void {
    this.early?.release();
    this.early = null;
  }

  /** The prefetched list when it answers this call (every container of that engine, nothing changed since), else null. */
  take(engineId: string | undefined, input: { all: boolean; ids?: string[] }): Promise<ContainerSummary[]> | null {
    const p = this.pending;
    if (!p || p.taken || !input.all || input.ids) return null;
    if ((engineId ?? this.engines.activeEngineId()) !== p.rule.engineId) return null;
    p.taken = true;
    this.served++;
    if (p.seeded) this.drop();
    return p.list;
  }

  /**
   * The same list for the core's own view of the engine's containers (the Security page's container ids: ContainerIds),
   * under the same rule (nothing changed since the listing began), so that view needs no second listing of every
   * container (on nerdctl, a second 38 MB stream of 2,000 specs). Given once; the list is let go once the window has
   * taken it too. What the feed says from then on is its user's to follow (ContainerIds does).
   */
  seed(engineId: string): Promise<ContainerSummary[]> | null {
    const p = this.pending;
    if (!p || p.seeded || p.rule.engineId !== engineId) return null;
    p.seeded = true;
    this.seeded++;
    if (p.taken) this.drop();
    return p.list;
  }

  /** Nothing more is handed out: the lists and the early one are let go, the feed is no longer followed. */
  private drop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.releaseEarly();
    this.pending = null;
    this.done = true;
    this.unsubscribe();
    this.wake();
  }

  private unsubscribe(): void {
    const off = this.off;
    this.off = null;
    off?.();
  }

  dispose(): void {
    this.drop();
  }
}
