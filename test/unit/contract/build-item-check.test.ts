import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildItem } from '../../../app/contract/images';
import { BuildkitStream } from '../../../app/core/buildkit-stream';
import { checkBuildItem, isPlainBuildItem } from '../../../app/contract/images-build-items';
import { checkedAgainst } from '../../../app/contract/checked';
import { expectAgreesWithZod } from './agrees-with-zod';

const log = (extra: Record<string, unknown> = {}) => ({ kind: 'log', text: 'CACHED [1/5] COPY busybox /bin/busybox', ...extra });
const step = (extra: Record<string, unknown> = {}) => ({ kind: 'step', index: 1, total: 5, instruction: 'COPY busybox /bin/busybox', ...extra });

/** Items the hand check takes: exactly what BuildItem.parse returns unchanged. */
const GOOD: unknown[] = [log(), log({ text: '' }), log({ text: 'x'.repeat(70_000) + '€\u0000"\\\n' }), step(), step({ index: 0, total: 0, instruction: '' }), step({ index: -3 })];

/** Items it refuses: invalid ones, and valid ones a parse would change (keys stripped, the prototype dropped). */
const BAD: unknown[] = [
  null,
  'log',
  [],
  {},
  [log()],
  log({ text: 1 }),
  log({ text: undefined }),
  log({ text: null }),
  step({ index: 1.5 }),
  step({ total: Number.NaN }),
  step({ index: Number.POSITIVE_INFINITY }),
  step({ index: '1' }),
  step({ instruction: 3 }),
  { kind: 'step', index: 1, total: 5 },
  { kind: 'LOG', text: 'x' },
  { kind: 'graph' },
  // Valid, but not as a parse returns them:
  log({ extra: 1 }),
  step({ text: 'x' }),
  // Not a plain object.
  Object.assign(Object.create({ inherited: 1 }), log()),
];

/** The other kinds of item: valid, left to the schema. */
const OTHER_KINDS: unknown[] = [
  { kind: 'done', id: 'sha256:1', tags: [] },
  { kind: 'builder', builder: 'buildkit' },
];

describe('isPlainBuildItem (the hand check of images.build log and step items)', () => {
  it('takes every log and step item BuildItem.parse returns unchanged; refuses what BuildItem rejects or would change, and the other kinds', () => {
    expectAgreesWithZod(isPlainBuildItem, BuildItem, { takes: GOOD, refuses: BAD, leftToSchema: OTHER_KINDS });
  });

  it('checkBuildItem marks only the hand-checked items as checked against BuildItem (the RPC server parses the rest)', () => {
    const plain = log();
    expect(checkBuildItem(plain)).toBe(plain);
    expect(checkedAgainst(BuildItem, plain)).toBe(true);
    const other = { kind: 'done', id: 'sha256:1', tags: [] };
    expect(checkBuildItem(other)).toBe(other);
    expect(checkedAgainst(BuildItem, other)).toBe(false);
    const wrong = log({ text: 5 });
    checkBuildItem(wrong);
    expect(checkedAgainst(BuildItem, wrong)).toBe(false);
  });
});

/** Graph items as a build streams them: BuildKit's recorded rawjson progress (buildctl, nerdctl), snapshots along the way and at the end. */
function recordedGraphItems(): Array<{ kind: 'graph'; graph: Record<string, unknown> }> {
  const out = [];
  for (const name of ['multistage-first.jsonl', 'multistage-cached.jsonl', 'failed.jsonl', 'nerdctl-multistage.jsonl']) {
    const lines = fs.readFileSync(path.join(__dirname, '../../fixtures/buildkit', name), 'utf8').split('\n');
    const s = new BuildkitStream();
    lines.forEach((l, n) => {
      s.push(`${l}\n`);
      const g = s.update(n * 200);
      if (g) out.push({ kind: 'graph' as const, graph: g as unknown as Record<string, unknown> });
    });
    s.end();
    const g = s.update(1e9, true);
    if (g) out.push({ kind: 'graph' as const, graph: g as unknown as Record<string, unknown> });
  }
  return out;
}

const clone = <T>(v: T): T => structuredClone(v);

describe('isPlainBuildItem: graph snapshots', () => {
  const good = recordedGraphItems();

  it('takes every recorded snapshot, which BuildItem.parse returns unchanged (steps, stages, a failure with its excerpt)', () => {
    expect(good.length).toBeGreaterThan(8);
    expect(good.some((g) => g.graph.failure !== null)).toBe(true);
    expect(good.some((g) => (g.graph.steps as unknown[]).length > 5)).toBe(true);
    for (const g of good) {
      expect(BuildItem.parse(g)).toEqual(g);
      expect(isPlainBuildItem(g)).toBe(true);
    }
  });

  it('refuses a snapshot with any field of the graph, a step, a stage or the failure missing, of another type, or an extra key', () => {
    const base = good.find((g) => g.graph.failure !== null && (g.graph.steps as unknown[]).length > 0 && (g.graph.stages as unknown[]).length > 0);
    expect(base).toBeDefined();
    if (!base) return;
    const wrong: unknown[] = [undefined, null, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 'x', true, [], {}, ['a', 1]];
    const variants: Array<[string, unknown]> = [];
    const mutate = (where: string, pick: (g: Record<string, unknown>) => Record<string, unknown>) => {
      const keys = Object.keys(pick(clone(base.graph)));
      for (const key of [...keys, 'extra']) {
        for (const value of wrong) {
          const g = clone(base.graph);
          const o = pick(g);
          if (value === undefined) delete o[key];
          else o[key] = value;
          variants.push([`${where}.${key} = ${String(value)}`, { kind: 'graph', graph: g }]);
        }
      }
    };
    mutate('graph', (g) => g);
    mutate('step', (g) => (g.steps as Array<Record<string, unknown>>)[0] ?? {});
    mutate('stage', (g) => (g.stages as Array<Record<string, unknown>>)[0] ?? {});
    mutate('failure', (g) => g.failure as Record<string, unknown>);
    const holed = clone(base.graph);
    (holed.otherLines as unknown[]).length += 2;
    variants.push(['a hole in otherLines', { kind: 'graph', graph: holed }]);
    const proto = clone(base.graph);
    (proto.steps as unknown[])[0] = Object.assign(Object.create({ inherited: 1 }), (base.graph.steps as unknown[])[0]);
    variants.push(['a step that is not a plain object', { kind: 'graph', graph: proto }]);
    variants.push(['an extra key on the item', { ...base, extra: 1 }]);
    variants.push(['a state outside the enum', { kind: 'graph', graph: { ...clone(base.graph), stages: [{ name: 'x', stepIds: [], state: 'paused' }] } }]);
    let schemaTakes = 0;
    for (const [what, v] of variants) {
      const r = BuildItem.safeParse(v);
      const unchanged = r.success && JSON.stringify(r.data) === JSON.stringify(v) && Object.keys(v as object).length === Object.keys(r.data).length;
      // Whatever the hand check takes, the schema parses to the very same value; here nothing passes both but a few
      // values the schema takes too (a number where another number is expected, say), which the check takes as well.
      if (isPlainBuildItem(v)) {
        expect(unchanged, what).toBe(true);
        expect(BuildItem.parse(v), what).toEqual(v);
        schemaTakes++;
      } else if (r.success) {
        // Taken by the schema only: then a parse changes it (a key stripped) or the check is stricter by design.
        expect(unchanged && what.startsWith('graph.extra'), what).toBe(false);
      }
    }
    // Most variants are refused outright.
    expect(schemaTakes).toBeLessThan(variants.length / 4);
  });

  it('checkBuildItem marks a recorded snapshot as checked against BuildItem', () => {
    const g = good[0];
    expect(checkBuildItem(g)).toBe(g);
    expect(checkedAgainst(BuildItem, g)).toBe(true);
  });
});
