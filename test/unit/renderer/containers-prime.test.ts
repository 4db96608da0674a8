import { beforeEach, describe, expect, it, vi } from 'vitest';

/** lib/rpc's `call`, as the test answers it: each containers.list waits for the test to reply. */
const rpc = vi.hoisted(() => {
  const s = { calls: [] as Array<{ method: string; input: unknown; reply(rows: unknown[]): void }> };
  return s;
});
vi.mock('../../../renderer/lib/rpc', () => ({
  call: (method: string, input: unknown) => new Promise((resolve) => rpc.calls.push({ method, input, reply: resolve })),
  subscribe: () => () => undefined,
  onReconnect: () => () => undefined,
}));

const row = (id: string, name: string) => ({ id, name, state: 'running' });

describe('containers store: primed before the first render', () => {
  beforeEach(() => {
    vi.resetModules();
    rpc.calls.length = 0;
  });

  it('the page mounting after the prime takes the primed list: one call, the right rows', async () => {
    const { primeContainers, loadContainersOnMount, useContainers } = await import('../../../renderer/stores/containers');
    primeContainers();
    const mounted = loadContainersOnMount();
    expect(rpc.calls.map((c) => [c.method, c.input])).toEqual([['containers.list', { all: true }]]);
    rpc.calls[0]!.reply([row('a', 'alpha'), row('b', 'beta')]);
    await mounted;
    expect(useContainers.getState().order).toEqual(['a', 'b']);
    expect(useContainers.getState().byId.b).toMatchObject({ name: 'beta' });
    expect(useContainers.getState().status).toBe('ready');
    expect(rpc.calls).toHaveLength(1);
  });

  it('a reply already there when the page mounts: still one call', async () => {
    const { primeContainers, loadContainersOnMount, useContainers } = await import('../../../renderer/stores/containers');
    primeContainers();
    rpc.calls[0]!.reply([row('a', 'alpha')]);
    await vi.waitFor(() => expect(useContainers.getState().status).toBe('ready'));
    await loadContainersOnMount();
    expect(rpc.calls).toHaveLength(1);
    expect(useContainers.getState().order).toEqual(['a']);
  });

  it('the prime is used once: a later mount (the page opened again) lists anew', async () => {
    const { primeContainers, loadContainersOnMount } = await import('../../../renderer/stores/containers');
    primeContainers();
    rpc.calls[0]!.reply([]);
    await loadContainersOnMount();
    const again = loadContainersOnMount();
    expect(rpc.calls).toHaveLength(2);
    rpc.calls[1]!.reply([]);
    await again;
  });

  it('without a prime (another page first), mounting lists', async () => {
    const { loadContainersOnMount } = await import('../../../renderer/stores/containers');
    const p = loadContainersOnMount();
    expect(rpc.calls).toHaveLength(1);
    rpc.calls[0]!.reply([]);
    await p;
  });
});
