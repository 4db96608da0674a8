import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainKeys, layerSizesFromHistory, stepMakesLayer } from '../../../app/core/image-layers';
import { predictImagePrune, type PruneModelImage } from '../../../app/core/image-prune';

interface Recorded {
  layers: string[];
  size: number;
  history: Array<{ CreatedBy: string; Size: number }>;
}
/** inspect + history of two images, recorded from dockerd 20.10 (classic builder). */
const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/docker-images/history-steps.json'), 'utf8')) as Record<string, Recorded>;

describe('layer sizes from history', () => {
  it.each([
    ['berth-test/busybox:latest', [1982256, 3216]],
    ['x/steps:1', [1982256, 3216, 3, 0, 5000]],
  ])('aligns the history of %s with its layers', (name, sizes) => {
    const r = recorded[name] as Recorded;
    const got = layerSizesFromHistory(
      r.history.map((h) => ({ createdBy: h.CreatedBy, size: h.Size })),
      r.layers.length,
    );
    expect(got).toEqual(sizes);
    expect(got?.reduce((a, b) => a + b, 0)).toBe(r.size);
  });

  it('knows which steps make layers', () => {
    expect(stepMakesLayer('/bin/sh -c #(nop)  ENV A=1')).toBe(false);
    expect(stepMakesLayer('/bin/sh -c #(nop) COPY file:abc in /x ')).toBe(true);
    expect(stepMakesLayer('/bin/sh -c #(nop) ADD dir:abc in / ')).toBe(true);
    expect(stepMakesLayer('/bin/sh -c echo hi')).toBe(true);
    expect(stepMakesLayer('|1 X=yes /bin/sh -c echo $X')).toBe(true);
    expect(stepMakesLayer('ENV PATH=/x # buildkit')).toBe(false);
    expect(stepMakesLayer('RUN /bin/sh -c make # buildkit')).toBe(true);
  });

  it('gives up when the history has more sized steps than layers', () => {
    expect(layerSizesFromHistory([{ createdBy: 'a', size: 1 }, { createdBy: 'b', size: 2 }], 1)).toBeNull();
  });

  it('fills missing layers with zero-size steps, oldest first', () => {
    expect(layerSizesFromHistory([{ createdBy: '#(nop) ENV x', size: 0 }, { createdBy: 'x', size: 5 }], 2)).toEqual([5, 0]);
  });

  it('gives equal chains equal keys', () => {
    const intern = new Map<string, number>();
    const a = chainKeys(['l1', 'l2'], intern);
    const b = chainKeys(['l1', 'l3'], intern);
    const c = chainKeys(['l2'], intern);
    expect(a[0]).toBe(b[0]);
    expect(a[1]).not.toBe(b[1]);
    expect(c[0]).not.toBe(a[1]);
  });
});

/** A small image store; layers are named, sizes given per layer. */
function store(defs: Array<{ id: string; parent?: string; tags?: string[]; digests?: string[]; layers: Array<[string, number]> }>): PruneModelImage[] {
  const intern = new Map<string, number>();
  return defs.map((d) => ({
    id: d.id,
    parentId: d.parent ?? null,
    tags: d.tags ?? [],
    digests: d.digests ?? [],
    chain: chainKeys(
      d.layers.map(([l]) => l),
      intern,
    ),
    layerSizes: d.layers.map(([, s]) => s),
  }));
}

const DIG = `reg:5000/x@sha256:${'d'.repeat(64)}`;
const images = () =>
  store([
    { id: 'sha256:b-base', tags: ['base:1'], layers: [['l1', 100]] },
    { id: 'sha256:i-intermediate', parent: 'sha256:b-base', layers: [['l1', 100], ['l2', 10]] },
    { id: 'sha256:d-dangling', parent: 'sha256:i-intermediate', layers: [['l1', 100], ['l2', 10], ['l3', 20]] },
    { id: 'sha256:a-app', parent: 'sha256:b-base', tags: ['app:1'], layers: [['l1', 100], ['l4', 50]] },
    { id: 'sha256:u-used', layers: [['l1', 100], ['l5', 1]] },
    { id: 'sha256:g-digest-only', digests: [DIG], layers: [['l6', 7]] },
  ]);
const used = new Set(['sha256:u-used']);

describe('image prune prediction (dockerd semantics)', () => {
  it('dangling: removes untagged heads and their untagged parents, never what a container uses', () => {
    const p = predictImagePrune(images(), used, { all: false });
    expect(p.removed.map((r) => r.id)).toEqual(['sha256:d-dangling', 'sha256:g-digest-only', 'sha256:i-intermediate']);
    expect(p.untagged).toEqual([DIG]);
    // l3 + l2 (no kept image has them) + l6; l1 stays (base, app, used).
    expect(p.spaceReclaimed).toBe(20 + 10 + 7);
    expect(p.exact).toBe(true);
  });

  it('all: removes every image no container uses, with its tags', () => {
    const p = predictImagePrune(images(), used, { all: true });
    expect(p.removed.map((r) => r.id).sort()).toEqual(['sha256:a-app', 'sha256:b-base', 'sha256:d-dangling', 'sha256:g-digest-only', 'sha256:i-intermediate']);
    expect(p.removed.find((r) => r.id === 'sha256:a-app')?.tags).toEqual(['app:1']);
    expect(new Set(p.untagged)).toEqual(new Set(['base:1', 'app:1', DIG]));
    expect(p.spaceReclaimed).toBe(10 + 20 + 50 + 7);
  });

  it('all: an image with two tags used by a container loses one tag, as dockerd does', () => {
    const s = store([{ id: 'sha256:t', tags: ['t:2', 't:1'], layers: [['x', 5]] }]);
    const p = predictImagePrune(s, new Set(['sha256:t']), { all: true });
    expect(p.removed).toEqual([]);
    expect(p.untagged).toEqual(['t:1']);
    expect(p.spaceReclaimed).toBe(0);
  });

  it('all: a tag and its digest of the same repository go together', () => {
    const s = store([{ id: 'sha256:r', tags: ['reg:5000/x:1'], digests: [DIG], layers: [['x', 5]] }]);
    const p = predictImagePrune(s, new Set(), { all: true });
    expect(p.removed.map((r) => r.id)).toEqual(['sha256:r']);
    expect(p.untagged).toEqual([DIG, 'reg:5000/x:1'].sort());
    expect(p.spaceReclaimed).toBe(5);
  });

  it('says when a layer size is unknown', () => {
    const s = store([{ id: 'sha256:z', layers: [['z', 9]] }]);
    (s[0] as PruneModelImage).layerSizes = null;
    const p = predictImagePrune(s, new Set(), { all: false });
    expect(p.removed).toHaveLength(1);
    expect(p.exact).toBe(false);
    expect(p.spaceReclaimed).toBe(0);
  });

  it('removes nothing when nothing is dangling', () => {
    const s = store([{ id: 'sha256:k', tags: ['k:1'], layers: [['k', 1]] }]);
    expect(predictImagePrune(s, new Set(), { all: false })).toEqual({ removed: [], untagged: [], spaceReclaimed: 0, exact: true });
  });
});
