import { describe, expect, it } from 'vitest';
import type { ContainerStats } from '../../../app/contract/stats';
import { StatsSeries } from '../../../renderer/stores/stats';
import { ancestorsOf, flattenJson, pathText, searchJson, valueCopyText, visibleRows } from '../../../renderer/features/container-detail/json-tree';
import { findRanges } from '../../../renderer/features/container-detail/text-search';
import { areaPath, linePath, niceBytesCeil, niceCeil, summarize } from '../../../renderer/features/container-detail/chart-scale';

const doc = { Id: 'abc', State: { Running: true, Pid: 42 }, Config: { Env: ['A=1', 'B=2'], Labels: { 'com.example.x': 'y' } }, Empty: {} };

describe('JSON tree', () => {
  const nodes = flattenJson(doc);

  it('flattens depth-first with paths, sizes and subtree ends', () => {
    expect(nodes.map((n) => pathText(n.path))).toEqual([
      '.',
      '.Id',
      '.State',
      '.State.Running',
      '.State.Pid',
      '.Config',
      '.Config.Env',
      '.Config.Env[0]',
      '.Config.Env[1]',
      '.Config.Labels',
      '.Config.Labels["com.example.x"]',
      '.Empty',
    ]);
    const env = nodes[6]!;
    expect([env.kind, env.size, env.end, env.depth]).toEqual(['array', 2, 9, 2]);
    expect(nodes[4]!.valueText).toBe('42');
    expect(nodes[1]!.valueText).toBe('"abc"');
    expect(ancestorsOf(nodes, 7)).toEqual([6, 5, 0]);
  });

  it('shows closing brackets and hides collapsed subtrees', () => {
    const all = visibleRows(nodes, new Set());
    expect(all.filter((r) => r.closing).map((r) => r.node.idx)).toEqual([2, 6, 9, 5, 11, 0]);
    const folded = visibleRows(nodes, new Set([5]));
    expect(folded.some((r) => pathText(r.node.path).startsWith('.Config.'))).toBe(false);
    expect(folded.filter((r) => r.node.idx === 5)).toHaveLength(1);
  });

  it('searches keys and shown values', () => {
    const m = searchJson(nodes, 'e', findRanges);
    expect(m.filter((x) => x.node === 9)).toEqual([{ node: 9, part: 'key', start: 3, end: 4 }]);
    expect(searchJson(nodes, '42', findRanges)).toEqual([{ node: 4, part: 'value', start: 0, end: 2 }]);
    expect(searchJson(nodes, '', findRanges)).toEqual([]);
  });

  it('copies strings raw and the rest as JSON', () => {
    expect(valueCopyText(nodes[1]!)).toBe('abc');
    expect(valueCopyText(nodes[6]!)).toBe('[\n  "A=1",\n  "B=2"\n]');
  });
});

const sample = (sec: number, over: Partial<ContainerStats> = {}): ContainerStats => ({
  id: 'c',
  name: 'c',
  ts: new Date(Date.UTC(2024, 0, 1, 0, 0, sec)).toISOString(),
  cpuPercent: 1,
  memoryUsed: 1000,
  memoryLimit: 10_000,
  memoryPercent: 10,
  netRx: 0,
  netTx: 0,
  blockRead: 0,
  blockWrite: 0,
  pids: 1,
  ...over,
});

describe('StatsSeries', () => {
  it('derives rates from counters and treats a reset as zero', () => {
    const s = new StatsSeries(10, 60_000);
    expect(s.push(sample(0, { netRx: 1000 })).rxRate).toBe(0);
    expect(s.push(sample(2, { netRx: 5000, netTx: 200, blockWrite: 4096 }))).toMatchObject({ rxRate: 2000, txRate: 100, writeRate: 2048 });
    expect(s.push(sample(3, { netRx: 10 })).rxRate).toBe(0);
  });

  it('keeps a bounded ring and a time window', () => {
    const s = new StatsSeries(5, 60_000);
    for (let i = 0; i < 8; i++) s.push(sample(i, { pids: i }));
    expect(s.length).toBe(5);
    expect(s.toArray().map((p) => p.pids)).toEqual([3, 4, 5, 6, 7]);
    expect(s.latest()?.pids).toBe(7);
    const w = new StatsSeries(100, 10_000);
    for (const t of [0, 5, 10, 15, 20]) w.push(sample(t, { pids: t }));
    expect(w.toArray().map((p) => p.pids)).toEqual([10, 15, 20]);
    w.clear();
    expect(w.length).toBe(0);
  });
});

describe('chart scale', () => {
  it('rounds up to nice numbers', () => {
    expect([0.3, 1, 1.2, 2.2, 3, 7, 40, 101].map(niceCeil)).toEqual([0.5, 1, 2, 2.5, 5, 10, 50, 200]);
    expect(niceBytesCeil(3 * 1024 * 1024)).toBe(5 * 1024 * 1024);
    expect(niceBytesCeil(700)).toBe(1000);
    expect(niceCeil(0)).toBe(1);
  });

  it('draws lines and areas within the frame', () => {
    const f = { end: 10_000, windowMs: 10_000, yMax: 100, width: 100, height: 50 };
    expect(linePath([0, 5000, 10_000], [0, 50, 200], f)).toBe('M0.00 50.00L50.00 25.00L100.00 0.00');
    expect(areaPath([5000, 10_000], [0, 0], f)).toBe('M50.00 50.00L100.00 50.00L100.00 50L50.00 50Z');
    expect(summarize([1, 3, 2])).toEqual({ now: 2, peak: 3, mean: 2 });
  });
});
