import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContainerSummary } from '../../../app/contract/containers';
import type { ContainerdLists } from '../../../app/adapters/engine/nerdctl/containerd-list';
import type { NerdctlContext } from '../../../app/adapters/engine/nerdctl/context';
import { BRIDGE_MS, EarlyNerdctlContainers } from '../../../app/adapters/engine/nerdctl/early-containers';
import type { EarlyNerdctlList, EarlyNerdctlParts } from '../../../app/adapters/engine/nerdctl/early-list';

const PARTS: EarlyNerdctlParts = { containers: [], commands: new Map(), tasks: Buffer.alloc(0), images: Buffer.alloc(0) };
const ROWS = [{ id: 'c1' }] as unknown as ContainerSummary[];

/** An early list whose replies come when `answer` is called, and what the adapter did with it. */
function fakeEarly(o: { changed?: () => boolean } = {}) {
  let answer!: (p: EarlyNerdctlParts) => void;
  const parts = new Promise<EarlyNerdctlParts>((r) => (answer = r));
  const state = { released: 0, ended: null as null | (() => void) };
  const early: EarlyNerdctlList = {
    kind: 'nerdctl',
    endpoint: 'nerdctl://nerdctl',
    address: '/run/containerd/containerd.sock',
    namespace: 'ns',
    sentAt: 0,
    take: () => parts,
    peek: () => parts,
    changed: o.changed ?? (() => false),
    follow: (_each, ended) => void (state.ended = ended),
    release: () => void state.released++,
  };
  const lists = { listFromEarly: vi.fn(async () => ROWS) } as unknown as ContainerdLists;
  const ctx = { namespace: 'ns', announce: vi.fn() } as unknown as NerdctlContext;
  return { early, lists, ctx, state, answer: () => answer(PARTS) };
}

describe('the nerdctl early list in the core (EarlyNerdctlContainers)', () => {
  afterEach(() => void vi.useRealTimers());

  it('gives the rows when nothing changed, and lets the subscription go once nerdctl events was heard', async () => {
    const f = fakeEarly();
    const e = new EarlyNerdctlContainers(f.early, f.lists, f.ctx);
    const rows = e.take();
    f.answer();
    expect(await rows).toBe(ROWS);
    expect(f.state.released).toBe(0);
    e.heard();
    expect(f.state.released).toBe(1);
  });

  it('lets the subscription go after BRIDGE_MS without a word from nerdctl events, also when the rows came later', async () => {
    vi.useFakeTimers();
    const f = fakeEarly();
    const e = new EarlyNerdctlContainers(f.early, f.lists, f.ctx);
    const rows = e.take();
    vi.advanceTimersByTime(BRIDGE_MS);
    // Not before the rows are judged: the subscription is what says whether they still are the engine's.
    expect(f.state.released).toBe(0);
    f.answer();
    expect(await rows).toBe(ROWS);
    expect(f.state.released).toBe(1);
  });

  it('lets it go at once when the subscription ended (the rows judged)', async () => {
    const f = fakeEarly();
    const e = new EarlyNerdctlContainers(f.early, f.lists, f.ctx);
    const rows = e.take();
    f.answer();
    await rows;
    f.state.ended?.();
    expect(f.state.released).toBe(1);
  });

  it('gives null (the core lists again) for a change before or while the rows are made, or another namespace', async () => {
    let changed = true;
    const f = fakeEarly({ changed: () => changed });
    const rows = new EarlyNerdctlContainers(f.early, f.lists, f.ctx).take();
    f.answer();
    expect(await rows).toBeNull();
    expect(f.lists.listFromEarly).not.toHaveBeenCalled();

    changed = false;
    const g = fakeEarly({ changed: () => changed });
    vi.mocked(g.lists.listFromEarly).mockImplementation(async () => {
      changed = true;
      return ROWS;
    });
    const later = new EarlyNerdctlContainers(g.early, g.lists, g.ctx).take();
    g.answer();
    expect(await later).toBeNull();

    const h = fakeEarly();
    const other = new EarlyNerdctlContainers(h.early, h.lists, { ...h.ctx, namespace: 'other' } as NerdctlContext);
    expect(other.take()).toBeNull();
    expect(h.state.released).toBe(1);
  });
});
