import { checkAheadList, checkedAgainst } from '../contract/checked';
import { containersApi, type ContainerSummary } from '../contract/containers';
import type { ChangeEvent } from '../contract/events';
import type { EarlyContainerList } from '../ports/early-list';
import type { ContainerEngine } from '../ports/engine';
import type { ChangeFeed } from './change-feed';
import type { EngineRegistry } from './engine-registry';

/** A prefetched list not asked for within this long is dropped (it only serves the window's first paint). */
const KEEP_MS = 15_000;
/**
 * Between two slices of the list's check: other work (the window's requests) runs first. An immediate,
 * not a 0 ms timer: the event loop polls I/O before it either way, but a timer also sleeps until the
 * next millisecond (and, on a busy machine, until the process is scheduled again) on each of the ~20
 * pauses, while the window may already be waiting for this list (issue 11: check 97-330 -> 51-97 ms).
 */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Prefetch {
  engineId: string;
  /** Started on `up`, whose `resync` (events missed while away, none since the listing began) is still to come. */
  resyncDue: boolean;
  list: Promise<ContainerSummary[]>;
  /** The list as the engine gave it (before the check): what `seed` gives, so the engine can tell it is one it made. */
  raw: Promise<ContainerSummary[]>;
  timer: ReturnType<typeof setTimeout>;
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
 * containers (nor the engine) since the listing began; any such item, a failure, or 15 s without a
 * caller drop it. It is used once: every later call asks the engine. The core's own view of the containers may be
 * seeded from it once too (`seed`).
 */
export class FirstList {
  private pending: Prefetch | null = null;
  private done = false;
  /** The list the entry asked the engine for at process start, until the first start (used or not) or the end. */
  private early: EarlyContainerList | null;
  private readonly off: () => void;
  /** Calls answered from the prefetched list, and views seeded from it (tests read them). */
  served = 0;
  seeded = 0;
  /** The early list: used as the first list, or listed again instead (a change since it was asked for, or its failure). */
  earlyUsed = 0;
  earlyRelisted = 0;

  constructor(
    private readonly engines: Pick<EngineRegistry, 'resolve' | 'activeEngineId'>,
    changes: Pick<ChangeFeed, 'subscribe'>,
    opts: { opensWindow: boolean; early?: EarlyContainerList | null },
  ) {
    this.early = opts.early ?? null;
    this.done = !opts.opensWindow;
    if (this.done) this.releaseEarly();
    this.off = opts.opensWindow ? changes.subscribe(undefined, (e) => this.onChange(e)) : () => undefined;
  }

  private onChange(e: ChangeEvent): void {
    if (this.done) return;
    if (e.kind === 'engine') {
      // `up` (live, or the current state when subscribing): from then on the feed reports every change of the engine.
      const p = this.pending;
      if (!p && e.action === 'up' && e.engineId === this.engines.activeEngineId()) this.start(e.engineId);
      else if (p?.engineId === e.engineId && e.action === 'resync' && p.resyncDue) p.resyncDue = false;
      else if (p?.engineId === e.engineId && e.action !== 'connecting') this.drop();
      return;
    }
    if (e.kind === 'container' && this.pending?.engineId === e.engineId) this.drop();
  }

  private start(engineId: string): void {
    let engine: ContainerEngine;
    try {
      engine = this.engines.resolve(engineId);
    } catch {
      // Removed meanwhile: nothing to prefetch; the window's call lists as usual.
      this.finish();
      return;
    }
    // Checked against the reply's schema now, while the window loads (a slice of rows at a time, so the window's files
    // are served meanwhile), and not parsed again in the reply. A list that does not match is served as it came: the
    // RPC server's own check then reports it.
    const raw = this.listFrom(engine);
    const schema = containersApi['containers.list'].output;
    // The early list comes checked already (it was checked while the core started).
    const list = raw.then((l) => (checkedAgainst(schema, l) ? l : checkAheadList(schema, l, pause).catch(() => l)));
    // Unused or failed, it is dropped; a caller that took it sees the failure itself.
    list.catch(() => {
      if (this.pending?.list === list) this.drop();
    });
    const timer = setTimeout(() => this.drop(), KEEP_MS);
    timer.unref?.();
    this.pending = { engineId, resyncDue: true, raw, list, timer, taken: false, seeded: false };
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
    if ((engineId ?? this.engines.activeEngineId()) !== p.engineId) return null;
    p.taken = true;
    this.served++;
    if (p.seeded) this.drop();
    return p.list;
  }

  /**
   * The same list for the core's own view of the engine's containers (the security badges' ids, asked for right after
   * the window's first list): under the same rule (nothing changed since the listing began), so that view needs no
   * second listing of every container (on nerdctl, a second 38 MB stream of 2,000 specs). Given once; the list is let
   * go once the window has taken it too. It is the engine's own result (not the checked copy), so the engine can tell
   * it made it (SecurityOps.listedViews: the badges' views from what that list read).
   */
  seed(engineId: string): Promise<ContainerSummary[]> | null {
    const p = this.pending;
    if (!p || p.seeded || p.engineId !== engineId) return null;
    p.seeded = true;
    this.seeded++;
    if (p.taken) this.drop();
    return p.raw;
  }

  private drop(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.finish();
  }

  private finish(): void {
    this.releaseEarly();
    this.pending = null;
    this.done = true;
    this.off();
  }

  dispose(): void {
    this.drop();
  }
}
