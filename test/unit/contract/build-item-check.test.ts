import { describe, expect, it } from 'vitest';
import { BuildItem } from '../../../app/contract/images';
import { checkBuildItem, isPlainBuildItem } from '../../../app/contract/images-build-items';
import { checkedAgainst } from '../../../app/contract/checked';

const log = (extra: Record<string, unknown> = {}) => ({ kind: 'log', text: 'CACHED [1/5] COPY busybox /bin/busybox', ...extra });
const step = (extra: Record<string, unknown> = {}) => ({ kind: 'step', index: 1, total: 5, instruction: 'COPY busybox /bin/busybox', ...extra });

/** Items the hand check takes: exactly what BuildItem.parse returns unchanged. */
const GOOD: unknown[] = [log(), log({ text: '' }), log({ text: 'x'.repeat(70_000) + '€\u0000"\\\n' }), step(), step({ index: 0, total: 0, instruction: '' }), step({ index: -3 })];

/** Items it refuses: invalid ones, valid ones a parse would change (keys stripped), and the kinds left to the schema. */
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
  { kind: 'done', id: 'sha256:1', tags: [] },
  { kind: 'builder', builder: 'buildkit' },
  // Valid, but not as a parse returns them:
  log({ extra: 1 }),
  step({ text: 'x' }),
  // Not a plain object.
  Object.assign(Object.create({ inherited: 1 }), log()),
];

describe('isPlainBuildItem (the hand check of images.build log and step items)', () => {
  it('takes every log and step item BuildItem.parse returns unchanged', () => {
    for (const i of GOOD) {
      expect(BuildItem.parse(i)).toEqual(i);
      expect(isPlainBuildItem(i), JSON.stringify(i)).toBe(true);
    }
  });

  it('refuses what BuildItem rejects or would strip, and the other kinds (left to the schema)', () => {
    for (const i of BAD) {
      expect(isPlainBuildItem(i), JSON.stringify(i)).toBe(false);
      const r = BuildItem.safeParse(i);
      if (r.success) expect(r.data).not.toBe(i);
    }
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
