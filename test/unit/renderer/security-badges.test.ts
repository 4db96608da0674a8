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
    const { ensureBadge, usePostureBadges } = await import('../../../renderer/stores/security');
    for (const id of ['a', 'b', 'c', 'b']) ensureBadge(id);
    await tick();
    expect(rpc.calls.map((c) => [c.method, c.input])).toEqual([['security.badges', { ids: ['a', 'b', 'c'] }]]);
    rpc.calls[0]!.reply(['a', 'b', 'c'].map(badge));
    await vi.waitFor(() => expect(usePostureBadges.getState().status).toBe('ready'));
    ensureBadge('a');
    await tick();
    expect(rpc.calls).toHaveLength(1);
    ensureBadge('d');
    await tick();
    expect(rpc.calls[1]!.input).toEqual({ ids: ['a', 'b', 'c', 'd'] });
    rpc.calls[1]!.reply(['a', 'b', 'c', 'd'].map(badge));
    await vi.waitFor(() => expect(Object.keys(usePostureBadges.getState().byId)).toEqual(['a', 'b', 'c', 'd']));
  });

  it('containers gone from the list are not asked for again', async () => {
    const { ensureBadge } = await import('../../../renderer/stores/security');
    const { useContainers } = await import('../../../renderer/stores/containers');
    useContainers.setState({ byId: { a: { id: 'a' } as never, b: { id: 'b' } as never } });
    ensureBadge('a');
    ensureBadge('gone');
    ensureBadge('b');
    await tick();
    expect(rpc.calls[0]!.input).toEqual({ ids: ['a', 'b'] });
  });
});
