import { describe, expect, it } from 'vitest';
import { dataEqual, mergeById } from '../../../renderer/lib/entity-store';

describe('dataEqual (is a refetched row the same as the one held)', () => {
  it('compares decoded JSON field by field, in any key order, absent = undefined', () => {
    const a = { id: 'x', ports: [{ hostPort: 80, hostIp: null }], labels: { a: '1', b: '2' }, health: undefined };
    expect(dataEqual(a, { labels: { b: '2', a: '1' }, ports: [{ hostIp: null, hostPort: 80 }], id: 'x' })).toBe(true);
    expect(dataEqual(a, { ...a, labels: { a: '1', b: '3' } })).toBe(false);
    expect(dataEqual(a, { ...a, labels: { a: '1' } })).toBe(false);
    expect(dataEqual(a, { ...a, extra: 0 })).toBe(false);
    expect(dataEqual(a, { ...a, ports: [] })).toBe(false);
    expect(dataEqual(a, { ...a, ports: { 0: { hostPort: 80, hostIp: null }, length: 1 } })).toBe(false);
    expect(dataEqual([1, 2], [1, 2])).toBe(true);
    expect(dataEqual([1, 2], [2, 1])).toBe(false);
    expect(dataEqual(null, {})).toBe(false);
    expect(dataEqual(0, '0')).toBe(false);
    expect(dataEqual('a', 'a')).toBe(true);
  });

  it('keeps the objects of unchanged rows through mergeById', () => {
    const held = [{ id: 'a', n: 1, tags: ['x'] }, { id: 'b', n: 2, tags: [] }];
    const prev = mergeById({ byId: {}, order: [] }, held, (r) => r.id);
    const next = mergeById(prev, [{ id: 'a', n: 1, tags: ['x'] }, { id: 'b', n: 3, tags: [] }], (r) => r.id);
    expect(next.byId.a).toBe(prev.byId.a);
    expect(next.byId.b).not.toBe(prev.byId.b);
    expect(next.order).toBe(prev.order);
  });
});
