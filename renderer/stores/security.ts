import { create } from 'zustand';
import type { ErrorShape } from '../../app/contract/errors';
import type { ContainerPosture, HardeningPreview, HardeningResult, HealthGate, ImageMinimality, PostureBadge, RuntimeInfo } from '../../app/contract/security';
import { toErrorShape } from '../lib/errors';
import { call } from '../lib/rpc';
import { useContainers } from './containers';
import { createEngineList, engineCall } from './engine-list';

/** How many mounted rows show each container's badge (a row on screen, or in the table's overscan). */
const shown = new Map<string, number>();
/**
 * The containers whose badge a row showed lately, oldest first (shown ones included): asked for again on a refetch, so a
 * row scrolled back into view keeps its badge. At most BADGES_KEPT: the call takes 10,000 ids, and a refetch asks
 * for every one of them (the core inspects only the changed ones, but sends all).
 */
const recent = new Set<string>();
export const BADGES_KEPT = 500;
let askSoon = false;

/** The ids a refetch asks for: the rows shown, then the most recent others still listed, BADGES_KEPT in all. */
function wantedIds(): string[] {
  const listed = useContainers.getState().byId;
  for (const id of recent) if (!shown.has(id) && !(id in listed)) recent.delete(id);
  // Oldest first: the ones not on screen go until BADGES_KEPT are left (deleting while iterating a Set is safe).
  let over = recent.size - BADGES_KEPT;
  for (const id of recent) {
    if (over <= 0) break;
    if (shown.has(id)) continue;
    recent.delete(id);
    over--;
  }
  return [...recent];
}

/**
 * Posture badges of the containers the list shows, for the containers list. The core computes them once per
 * change (and caches them), the change feed refetches them (debounced), rows read one badge each. Only rows that
 * rendered are asked for: with 2,000 containers on Docker, badges for all of them cost ~1 s of the core's CPU (an
 * inspect each) right when the user starts to scroll and type, to show the 20 on screen.
 */
export const usePostureBadges = createEngineList<PostureBadge>({
  name: 'security badges',
  fetch: async () => {
    const ids = wantedIds();
    // No row wants a badge (the list is not on screen, or is empty): nothing to ask.
    if (!ids.length) return [];
    let got: PostureBadge[];
    try {
      got = await call('security.badges', { ids });
    } catch (err) {
      askAgainForMissing(ids, new Set());
      throw err;
    }
    askAgainForMissing(ids, new Set(got.map((b) => b.id)));
    return got;
  },
  idOf: (b) => b.id,
  changes: 'container',
});

/** How often, and how long after, a row on screen whose badge a call did not bring is asked for again. */
export const MISSING_BADGE_RETRIES = 3;
export const MISSING_BADGE_RETRY_MS = 1_000;
const missingTries = new Map<string, number>();
let retryTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * After a badges call: the rows still on screen whose badge it did not bring (the core leaves out a container whose view
 * failed, e.g. an inspect the engine did not answer in time; or the call failed) are asked for again a little later, a
 * few times, so a transient failure does not leave a row without its badge until the next change. A container that is
 * gone has no row on screen, and is not asked for again.
 */
function askAgainForMissing(asked: readonly string[], got: ReadonlySet<string>): void {
  let again = false;
  for (const id of asked) {
    if (got.has(id)) {
      missingTries.delete(id);
      continue;
    }
    const tries = missingTries.get(id) ?? 0;
    if (!shown.has(id) || tries >= MISSING_BADGE_RETRIES) continue;
    missingTries.set(id, tries + 1);
    again = true;
  }
  if (!again || retryTimer) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void usePostureBadges.getState().load();
  }, MISSING_BADGE_RETRY_MS);
}

/** The page's first badges call goes after its first rows' frame, or this long after they mounted if no frame came. */
export const FIRST_BADGES_LATEST_MS = 250;

/** Whether the page has asked for badges yet: its first rows are being painted until then. */
let askedOnce = false;

/**
 * When the badges of rows mounted now are asked for. The page's first call waits until the frame showing its first rows
 * has been painted (the task after the next animation frame; the next task in a page that does not paint): that call
 * costs the core and the engine CPU (on nerdctl containerd reads the rows' records), and asked for in the render that
 * mounted the first rows it competed with painting them on a busy machine (issue 11: the first row after a cold start).
 * Later ones (rows a filter or a scroll mounts) go in a microtask of the render, as soon as possible: their badges are
 * part of the list settling after a keystroke.
 */
function soon(fn: () => void): void {
  if (askedOnce) {
    queueMicrotask(fn);
    return;
  }
  askedOnce = true;
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && document.visibilityState === 'visible') {
    // At the latest FIRST_BADGES_LATEST_MS from now: a frame that never comes (a window the system stopped drawing
    // while the page still says visible) must not leave the rows without badges.
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      clearTimeout(latest);
      fn();
    };
    const latest = setTimeout(once, FIRST_BADGES_LATEST_MS);
    requestAnimationFrame(() => setTimeout(once, 0));
  } else {
    setTimeout(fn, 0);
  }
}

/**
 * A row shows the badge of container `id` (a badge cell mounted): the first time, it is fetched with the others that
 * rendered in the same pass (one call); later changes come from the change feed. The returned function says the row
 * is gone (the cell unmounted); its badge is kept among the recent ones.
 */
export function showBadge(id: string): () => void {
  shown.set(id, (shown.get(id) ?? 0) + 1);
  // Asked for once when it is new among the recent ones (as a fetch in flight or done asks for it already): rows mounted,
  // unmounted and mounted again while the user types a filter ask nothing more.
  const fresh = !recent.has(id);
  // Most recent last (a Set keeps insertion order).
  recent.delete(id);
  recent.add(id);
  if (fresh && !askSoon) {
    askSoon = true;
    soon(() => {
      askSoon = false;
      void usePostureBadges.getState().load();
    });
  }
  return () => {
    const left = (shown.get(id) ?? 1) - 1;
    if (left > 0) shown.set(id, left);
    else shown.delete(id);
  };
}

/**
 * The rows a filter is about to show, before the page renders them (the filter changed, its rows are not mounted yet):
 * their badges are asked for now, not from the cells' effects once the rows are rendered and committed, 10–30 ms later
 * (issue 11: a keystroke that mounts new rows settles when their badges are painted). Returns the load, which settles
 * once they (and any badge asked meanwhile) are in the store, so the page can show the rows with them (showWhenBadges);
 * null when nothing was asked. The cells that mount then find them asked for and ask nothing more; a row the guess
 * missed asks as usual. Nothing is asked while no badge cell is mounted (the Security column hidden, the list not on
 * screen) or before the page's first badges call.
 */
export function badgesAhead(ids: readonly string[]): Promise<void> | null {
  if (!askedOnce || shown.size === 0) return null;
  let fresh = false;
  for (const id of ids) {
    if (recent.has(id)) continue;
    recent.add(id);
    fresh = true;
  }
  return fresh ? usePostureBadges.getState().load() : null;
}

interface PostureState {
  /** Postures by container id, as last fetched (the Security tab and the summary page). */
  byId: Record<string, ContainerPosture>;
  loading: Record<string, boolean>;
  errors: Record<string, ErrorShape | undefined>;
  load(id: string): Promise<void>;
  acknowledge(id: string, checkId: string, reason: string): Promise<{ ok: true } | { ok: false; error: ErrorShape }>;
  unacknowledge(id: string, checkId: string): Promise<{ ok: true } | { ok: false; error: ErrorShape }>;
}

export const usePosture = create<PostureState>()((set) => {
  const put = (p: ContainerPosture) => set((s) => ({ byId: { ...s.byId, [p.id]: p }, errors: { ...s.errors, [p.id]: undefined } }));
  const act = async (id: string, fn: () => Promise<ContainerPosture>) => {
    try {
      put(await engineCall(fn));
      void usePostureBadges.getState().load();
      return { ok: true as const };
    } catch (e) {
      return { ok: false as const, error: toErrorShape(e) };
    }
  };
  return {
    byId: {},
    loading: {},
    errors: {},
    async load(id) {
      set((s) => ({ loading: { ...s.loading, [id]: true } }));
      try {
        put(await engineCall(() => call('security.posture', { id })));
      } catch (e) {
        set((s) => ({ errors: { ...s.errors, [id]: toErrorShape(e) } }));
      } finally {
        set((s) => ({ loading: { ...s.loading, [id]: false } }));
      }
    },
    acknowledge: (id, checkId, reason) => act(id, () => call('security.acknowledge', { id, checkId, reason })),
    unacknowledge: (id, checkId) => act(id, () => call('security.unacknowledge', { id, checkId })),
  };
});

interface SummaryState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: { context: { rootless: boolean; userns: boolean; vmForwarded: boolean }; containers: ContainerPosture[]; errors: Array<{ id: string; message: string }> } | null;
  error: ErrorShape | null;
  load(): Promise<void>;
}

let summarySeq = 0;
export const useSecuritySummary = create<SummaryState>()((set) => ({
  status: 'idle',
  data: null,
  error: null,
  async load() {
    const mine = ++summarySeq;
    set((s) => ({ status: s.data ? 'ready' : 'loading' }));
    try {
      const data = await engineCall(() => call('security.summary', {}));
      if (mine === summarySeq) set({ data, status: 'ready', error: null });
    } catch (e) {
      if (mine === summarySeq) set({ status: 'error', error: toErrorShape(e) });
    }
  },
}));

export const hardeningPreview = (id: string, selected?: string[]): Promise<HardeningPreview> =>
  engineCall(() => call('security.hardeningPreview', selected ? { id, selected } : { id }));

export async function harden(id: string, selected: string[], gate: Partial<HealthGate>): Promise<HardeningResult> {
  const r = await engineCall(() => call('security.harden', { id, selected, gate }));
  void usePostureBadges.getState().load();
  return r;
}

export const listRuntimes = (): Promise<RuntimeInfo[]> => engineCall(() => call('security.runtimes', {}));
export const imageMinimality = (id: string): Promise<ImageMinimality> => engineCall(() => call('security.imageMinimality', { id }));
