import { describe, expect, it } from 'vitest';
import type { ContainerStats, StatsSample } from '../../../app/contract/stats';
import { BerthError } from '../../../app/contract/errors';
import { manualVisibility } from '../../../renderer/lib/visibility';
import { StatsSampler, type SamplerState } from '../../../renderer/stores/stats-sampler';

const fig = (id: string, cpu: number): ContainerStats => ({
  id,
  name: id,
  ts: new Date(0).toISOString(),
  cpuPercent: cpu,
  memoryUsed: 1,
  memoryLimit: 2,
  memoryPercent: 50,
  netRx: 0,
  netTx: 0,
  blockRead: 0,
  blockWrite: 0,
  pids: 1,
});

/** A sampler on a manual clock: timers run only when the test says so. */
function setup(opts: { running?: Set<string>; hidden?: boolean; fail?: () => Error | null; pending?: Set<string> } = {}) {
  const running = opts.running ?? new Set(['a', 'b', 'c']);
  const visibility = manualVisibility(opts.hidden ?? false);
  const timers = new Map<number, { cb: () => void; ms: number }>();
  let nextTimer = 1;
  const calls: string[][] = [];
  let state: SamplerState = { byId: {}, error: null };
  let cpu = 0;
  const sampler = new StatsSampler({
    async sample(ids) {
      calls.push([...ids]);
      const err = opts.fail?.();
      if (err) throw err;
      cpu++;
      const r: StatsSample = { ts: '', containers: ids.filter((i) => running.has(i)).map((i) => (opts.pending?.delete(i) ? { ...fig(i, 0), cpuPending: true } : fig(i, cpu))), missing: ids.filter((i) => !running.has(i)) };
      return r;
    },
    intervalMs: () => 5000,
    visibility,
    onState: (s) => (state = s),
    getState: () => state,
    toError: (e) => (e instanceof BerthError ? e.toShape() : { code: 'INTERNAL', message: String(e) }),
    setTimer(cb, ms) {
      const id = nextTimer++;
      timers.set(id, { cb, ms });
      return id;
    },
    clearTimer: (t) => void timers.delete(t as number),
  });
  /** Runs every pending timer once and lets the sample reply arrive. */
  const tick = async () => {
    const due = [...timers.entries()];
    timers.clear();
    due.forEach(([, t]) => t.cb());
    await new Promise((r) => setTimeout(r, 0));
  };
  return { sampler, visibility, timers, calls, tick, state: () => state };
}

describe('StatsSampler', () => {
  it('reads only the watched rows, once per period, with one call for all of them', async () => {
    const t = setup();
    expect(t.timers.size).toBe(0);
    const offA = t.sampler.watch('a');
    const offB1 = t.sampler.watch('b');
    t.sampler.watch('b'); // the memory cell of the same row
    expect(t.timers.size).toBe(1);
    await t.tick();
    expect(t.calls).toEqual([['a', 'b']]);
    expect(Object.keys(t.state().byId).sort()).toEqual(['a', 'b']);
    // The next read waits for the period.
    expect([...t.timers.values()].map((x) => x.ms)).toEqual([5000]);
    offA();
    offB1();
    await t.tick();
    expect(t.calls[1]).toEqual(['b']);
  });

  it('reads a row that scrolls into view soon, without waiting for the period', async () => {
    const t = setup();
    t.sampler.watch('a');
    await t.tick();
    t.sampler.watch('c');
    expect([...t.timers.values()].map((x) => x.ms)).toEqual([120]);
    await t.tick();
    expect(t.calls.at(-1)).toEqual(['a', 'c']);
  });

  it('reads again a second later when a row had no CPU figure yet (its first reading), then at the period', async () => {
    const t = setup({ pending: new Set(['c']) });
    t.sampler.watch('a');
    t.sampler.watch('c');
    await t.tick();
    expect(t.state().byId.c?.cpuPending).toBe(true);
    expect([...t.timers.values()].map((x) => x.ms)).toEqual([1000]);
    await t.tick();
    expect(t.state().byId.c?.cpuPending).toBeUndefined();
    expect([...t.timers.values()].map((x) => x.ms)).toEqual([5000]);
    expect(t.calls).toEqual([
      ['a', 'c'],
      ['a', 'c'],
    ]);
  });

  it('has no timer and makes no request while hidden; reads once when shown', async () => {
    const t = setup();
    t.sampler.watch('a');
    await t.tick();
    expect(t.timers.size).toBe(1);
    t.visibility.set(true);
    expect(t.timers.size).toBe(0);
    t.sampler.watch('b');
    t.sampler.refresh();
    expect(t.timers.size).toBe(0);
    await t.tick();
    expect(t.calls).toHaveLength(1);
    t.visibility.set(false);
    await t.tick();
    expect(t.calls).toHaveLength(2);
    expect(t.calls[1]).toEqual(['a', 'b']);
  });

  it('starts hidden: nothing until the window shows', async () => {
    const t = setup({ hidden: true });
    t.sampler.watch('a');
    expect(t.timers.size).toBe(0);
    t.visibility.set(false);
    await t.tick();
    expect(t.calls).toEqual([['a']]);
  });

  it('stops when no row is watched', async () => {
    const t = setup();
    const off = t.sampler.watch('a');
    await t.tick();
    off();
    expect(t.timers.size).toBe(0);
  });

  it('drops the figures of a container that stopped', async () => {
    const running = new Set(['a', 'b']);
    const t = setup({ running });
    t.sampler.watch('a');
    t.sampler.watch('b');
    await t.tick();
    running.delete('b');
    await t.tick();
    expect(Object.keys(t.state().byId)).toEqual(['a']);
  });

  it('keeps the last figures and says why when a read fails; an unreachable engine waits for refresh()', async () => {
    let err: Error | null = null;
    const t = setup({ fail: () => err });
    t.sampler.watch('a');
    await t.tick();
    err = new BerthError('ENGINE_UNREACHABLE', 'gone');
    await t.tick();
    expect(t.state().error?.code).toBe('ENGINE_UNREACHABLE');
    expect(t.state().byId.a?.cpuPercent).toBe(1);
    expect(t.timers.size).toBe(0);
    err = null;
    t.sampler.refresh();
    await t.tick();
    expect(t.state().error).toBeNull();
    expect(t.state().byId.a?.cpuPercent).toBe(2);
  });
});
