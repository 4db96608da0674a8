import { beforeEach, describe, expect, it, vi } from 'vitest';

/** lib/rpc's `call`, as the test answers it: each call waits for the test to reply. */
const rpc = vi.hoisted(() => ({ calls: [] as Array<{ method: string; input: unknown; reply(v: unknown): void }> }));
vi.mock('../../../renderer/lib/rpc', () => ({
  call: (method: string, input: unknown) => new Promise((resolve) => rpc.calls.push({ method, input, reply: resolve })),
  subscribe: () => () => undefined,
  onReconnect: () => () => undefined,
}));

const badge = (id: string) => ({ id, level: 'baseline', open: 0, runtime: 'runc', sandboxed: false });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('posture badges: only the rows that rendered are asked for', () => {
  beforeEach(() => {
    vi.resetModules();
    rpc.calls.length = 0;
  });

  it('the rows of one pass make one call with their ids; a row shown later asks again with it added; a row twice, once', async () => {
    const { showBadge, usePostureBadges } = await import('../../../renderer/stores/security');
    for (const id of ['a', 'b', 'c', 'b']) showBadge(id);
    await tick();
    expect(rpc.calls.map((c) => [c.method, c.input])).toEqual([['security.badges', { ids: ['a', 'c', 'b'] }]]);
    rpc.calls[0]!.reply(['a', 'b', 'c'].map(badge));
    await vi.waitFor(() => expect(usePostureBadges.getState().status).toBe('ready'));
    // A row whose badge is known (another row of the same container, or the same one mounted again) asks nothing.
    showBadge('a')();
    await tick();
    expect(rpc.calls).toHaveLength(1);
    showBadge('d');
    await tick();
    expect(rpc.calls[1]!.input).toEqual({ ids: ['c', 'b', 'a', 'd'] });
    rpc.calls[1]!.reply(['a', 'b', 'c', 'd'].map(badge));
    await vi.waitFor(() => expect(Object.keys(usePostureBadges.getState().byId)).toEqual(['a', 'b', 'c', 'd']));
  });

  it('a row on screen whose badge a reply left out is asked for again a little later, a few times at most', async () => {
    const { showBadge, usePostureBadges, MISSING_BADGE_RETRIES, MISSING_BADGE_RETRY_MS } = await import('../../../renderer/stores/security');
    showBadge('a');
    showBadge('b');
    await tick();
    expect(rpc.calls).toHaveLength(1);
    vi.useFakeTimers();
    try {
      // The core left out b (its view failed): asked again after the retry delay, not before.
      rpc.calls[0]!.reply([badge('a')]);
      await vi.advanceTimersByTimeAsync(0);
      expect(usePostureBadges.getState().byId).toEqual({ a: badge('a') });
      await vi.advanceTimersByTimeAsync(MISSING_BADGE_RETRY_MS - 10);
      expect(rpc.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(20);
      expect(rpc.calls).toHaveLength(2);
      expect(rpc.calls[1]!.input).toEqual({ ids: ['a', 'b'] });
      // Still left out: asked again, MISSING_BADGE_RETRIES times in all, then no more.
      for (let i = 1; i <= MISSING_BADGE_RETRIES; i++) {
        rpc.calls[i]!.reply([badge('a')]);
        await vi.advanceTimersByTimeAsync(MISSING_BADGE_RETRY_MS + 10);
      }
      expect(rpc.calls).toHaveLength(1 + MISSING_BADGE_RETRIES);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a row whose badge a later reply brings shows it (the retry heals a transient failure)', async () => {
    const { showBadge, usePostureBadges, MISSING_BADGE_RETRY_MS } = await import('../../../renderer/stores/security');
    showBadge('a');
    await tick();
    vi.useFakeTimers();
    try {
      rpc.calls[0]!.reply([]);
      await vi.advanceTimersByTimeAsync(MISSING_BADGE_RETRY_MS + 10);
      expect(rpc.calls).toHaveLength(2);
      rpc.calls[1]!.reply([badge('a')]);
      await vi.advanceTimersByTimeAsync(0);
      expect(usePostureBadges.getState().byId).toEqual({ a: badge('a') });
      await vi.advanceTimersByTimeAsync(5 * MISSING_BADGE_RETRY_MS);
      expect(rpc.calls).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a row mounted, unmounted and mounted again while its badge is asked for (typing a filter) asks nothing more', async () => {
    const { showBadge, usePostureBadges } = await import('../../../renderer/stores/security');
    const hide = showBadge('a');
    await tick();
    expect(rpc.calls).toHaveLength(1);
    // The reply has not come: the row goes and comes back twice.
    hide();
    showBadge('a')();
    showBadge('a');
    await tick();
    expect(rpc.calls).toHaveLength(1);
    rpc.calls[0]!.reply([badge('a')]);
    await vi.waitFor(() => expect(usePostureBadges.getState().byId).toEqual({ a: badge('a') }));
    expect(rpc.calls).toHaveLength(1);
  });

  it('containers gone from the list are not asked for again, but a row on screen always is', async () => {
    const { showBadge, usePostureBadges } = await import('../../../renderer/stores/security');
    const { useContainers } = await import('../../../renderer/stores/containers');
    useContainers.setState({ byId: { a: { id: 'a' } as never, b: { id: 'b' } as never } });
    showBadge('a');
    const hideGone = showBadge('gone');
    showBadge('b');
    await tick();
    expect(rpc.calls[0]!.input).toEqual({ ids: ['a', 'gone', 'b'] });
    rpc.calls[0]!.reply(['a', 'b'].map(badge));
    await vi.waitFor(() => expect(usePostureBadges.getState().status).toBe('ready'));
    hideGone();
    void usePostureBadges.getState().load();
    await tick();
    expect(rpc.calls[1]!.input).toEqual({ ids: ['a', 'b'] });
  });

  it('a refetch asks for at most BADGES_KEPT: the rows on screen and the most recent others, never more than the call takes', async () => {
    const { showBadge, BADGES_KEPT } = await import('../../../renderer/stores/security');
    const { useContainers } = await import('../../../renderer/stores/containers');
    const ids = Array.from({ length: 3 * BADGES_KEPT }, (_, i) => `c${i}`);
    useContainers.setState({ byId: Object.fromEntries(ids.map((id) => [id, { id } as never])) });
    // The first row stays on screen while the user scrolls through all the others (each mounted, then unmounted).
    showBadge('c0');
    for (const id of ids.slice(1)) showBadge(id)();
    await tick();
    expect(rpc.calls).toHaveLength(1);
    const asked = (rpc.calls[0]!.input as { ids: string[] }).ids;
    expect(asked).toHaveLength(BADGES_KEPT);
    expect(asked[0]).toBe('c0');
    expect(asked.slice(1)).toEqual(ids.slice(-(BADGES_KEPT - 1)));
  });

  it('the list emptied and no row shows a badge: a refetch asks the core nothing', async () => {
    const { showBadge, usePostureBadges } = await import('../../../renderer/stores/security');
    const { useContainers } = await import('../../../renderer/stores/containers');
    useContainers.setState({ byId: { a: { id: 'a' } as never } });
    const hide = showBadge('a');
    await tick();
    rpc.calls[0]!.reply([badge('a')]);
    await vi.waitFor(() => expect(usePostureBadges.getState().byId).toEqual({ a: badge('a') }));
    hide();
    useContainers.setState({ byId: {} });
    // The list emptied (another engine, or everything removed): the refetch that follows has nothing to ask for.
    await usePostureBadges.getState().load();
    expect(rpc.calls).toHaveLength(1);
    expect(usePostureBadges.getState().byId).toEqual({});
  });
  it('the rows a filter is about to show are asked for at once (before they render); their cells then ask nothing more', async () => {
    const { showBadge, badgesAhead, usePostureBadges } = await import('../../../renderer/stores/security');
    const { useContainers } = await import('../../../renderer/stores/containers');
    useContainers.setState({ byId: Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((id) => [id, { id } as never])) });
    // Before the page's first badges call (its first rows being painted): nothing is asked ahead.
    expect(badgesAhead(['x'])).toBeNull();
    expect(rpc.calls).toHaveLength(0);
    const hideA = showBadge('a');
    await tick();
    rpc.calls[0]!.reply([badge('a')]);
    await vi.waitFor(() => expect(usePostureBadges.getState().status).toBe('ready'));
    // A filter changed: the rows it will show are asked for in the same task, no microtask or render in between.
    // It returns the load, which settles once their badges are in the store (the page shows the rows then).
    const ahead = badgesAhead(['a', 'b', 'c']);
    expect(ahead).toBeInstanceOf(Promise);
    let settled = false;
    void ahead?.then(() => (settled = true));
    expect(rpc.calls.map((c) => c.input)).toEqual([{ ids: ['a'] }, { ids: ['a', 'b', 'c'] }]);
    // The rows mount (before the reply): asked for already, nothing more goes; a row the guess missed asks as usual.
    hideA();
    showBadge('b');
    showBadge('c');
    await tick();
    expect(rpc.calls).toHaveLength(2);
    showBadge('d');
    await tick();
    expect(settled).toBe(false);
    rpc.calls[1]!.reply(['a', 'b', 'c'].map(badge));
    await vi.waitFor(() => expect(rpc.calls).toHaveLength(3));
    expect(rpc.calls[2]!.input).toEqual({ ids: ['a', 'b', 'c', 'd'] });
    // The load goes on for the row the guess missed (asked meanwhile): it settles when that badge is in too.
    expect(settled).toBe(false);
    rpc.calls[2]!.reply(['a', 'b', 'c', 'd'].map(badge));
    await vi.waitFor(() => expect(settled).toBe(true));
    expect(Object.keys(usePostureBadges.getState().byId)).toEqual(['a', 'b', 'c', 'd']);
    // Rows asked for already are not asked again ahead (nothing to wait for).
    expect(badgesAhead(['b', 'c', 'd'])).toBeNull();
    expect(rpc.calls).toHaveLength(3);
  });

  it('no badge cell mounted (the Security column hidden, the list not shown): nothing is asked ahead', async () => {
    const { showBadge, badgesAhead } = await import('../../../renderer/stores/security');
    const hide = showBadge('a');
    await tick();
    rpc.calls[0]!.reply([badge('a')]);
    hide();
    badgesAhead(['b', 'c']);
    await tick();
    expect(rpc.calls).toHaveLength(1);
  });
  it('in a page that paints, the first call goes once the frame of the first rows is painted; later ones in the render\'s microtask', async () => {
    const frames: Array<() => void> = [];
    vi.stubGlobal('document', { visibilityState: 'visible', hidden: false, addEventListener: () => undefined, removeEventListener: () => undefined });
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    try {
      const { showBadge, usePostureBadges } = await import('../../../renderer/stores/security');
      showBadge('a');
      showBadge('b');
      await tick();
      // The rows' frame has not been painted: nothing asked yet (the call would compete with painting them).
      expect(rpc.calls).toHaveLength(0);
      expect(frames).toHaveLength(1);
      frames.shift()!();
      expect(rpc.calls).toHaveLength(0);
      await tick();
      expect(rpc.calls.map((c) => [c.method, c.input])).toEqual([['security.badges', { ids: ['a', 'b'] }]]);
      rpc.calls[0]!.reply(['a', 'b'].map(badge));
      await vi.waitFor(() => expect(usePostureBadges.getState().status).toBe('ready'));
      // Later rows (a filter typed, a scroll) ask in microtasks of their render (no task, no frame): their badges are part
      // of the list settling after a keystroke.
      showBadge('c');
      for (let i = 0; i < 5; i++) await Promise.resolve();
      expect(frames).toHaveLength(0);
      expect(rpc.calls[1]?.input).toEqual({ ids: ['a', 'b', 'c'] });
    } finally {
      vi.unstubAllGlobals();
    }
  });
  it('a first call whose frame never comes (a window no longer drawn) still goes, FIRST_BADGES_LATEST_MS later', async () => {
    const frames: Array<() => void> = [];
    vi.stubGlobal('document', { visibilityState: 'visible', hidden: false, addEventListener: () => undefined, removeEventListener: () => undefined });
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    vi.useFakeTimers();
    try {
      const { showBadge, FIRST_BADGES_LATEST_MS } = await import('../../../renderer/stores/security');
      showBadge('a');
      await vi.advanceTimersByTimeAsync(FIRST_BADGES_LATEST_MS - 1);
      expect(rpc.calls).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(rpc.calls.map((c) => c.input)).toEqual([{ ids: ['a'] }]);
      // The frame comes late: nothing is asked twice.
      frames.shift()!();
      await vi.advanceTimersByTimeAsync(10);
      expect(rpc.calls).toHaveLength(1);
    } finally {
      vi.useRealTimers();
      vi.unstubAllGlobals();
    }
  });
});
