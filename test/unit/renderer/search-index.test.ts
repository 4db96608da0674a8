import { describe, expect, it } from 'vitest';
import { narrows, queryWords, SearchIndex } from '../../../renderer/lib/search-index';

interface Item {
  name: string;
  image: string;
  labels?: string[];
}

const make = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ name: `web-${i}`, image: i % 2 ? 'nginx:1' : 'Redis:7', labels: [`tier=${i % 3}`] }));

describe('SearchIndex', () => {
  it('matches every word, case-insensitively, in any field; a blank query is the same list', () => {
    const items = make(20);
    const ix = new SearchIndex((x: Item) => [x.name, x.image, ...(x.labels ?? [])]);
    expect(ix.filter(items, '  ')).toBe(items);
    expect(ix.filter(items, 'REDIS web-1').map((x) => x.name)).toEqual(['web-1', 'web-10', 'web-12', 'web-14', 'web-16', 'web-18'].filter((n) => Number(n.slice(4)) % 2 === 0));
    expect(ix.filter(items, 'tier=2 nginx').map((x) => x.name)).toEqual(['web-5', 'web-11', 'web-17']);
    expect(ix.filter(items, 'nothing-like-this')).toEqual([]);
  });

  it('builds the text of each item once, across keystrokes and across refetches that keep unchanged objects', () => {
    const items = make(1000);
    const ix = new SearchIndex((x: Item) => [x.name, x.image]);
    for (const q of ['w', 'we', 'web', 'web-', 'web-9', 'web-99', 'web-9', 'web-', '']) ix.filter(items, q);
    expect(ix.built).toBe(1000);
    // A refetch: one row changed, the others are the same objects.
    const next = [...items];
    next[5] = { ...items[5]!, image: 'busybox' };
    expect(ix.filter(next, 'busybox').map((x) => x.name)).toEqual(['web-5']);
    expect(ix.built).toBe(1001);
  });

  it('typing on searches only the previous matches, and gives the same answer as a full search', () => {
    const items = make(500);
    let reads = 0;
    const ix = new SearchIndex((x: Item) => [x.name, x.image]);
    const spy = new SearchIndex((x: Item) => [x.name, x.image]);
    const orig = spy.matches.bind(spy);
    spy.matches = (item, q) => (reads++, orig(item, q));
    spy.filter(items, 'web-4');
    reads = 0;
    const narrowed = spy.filter(items, 'web-42');
    expect(reads).toBe(items.filter((x) => x.name.includes('web-4')).length);
    expect(narrowed).toEqual(ix.filter(items, 'web-42'));
    // Erasing (a wider query) searches everything again.
    reads = 0;
    spy.filter(items, 'web');
    expect(reads).toBe(500);
    // A new list is searched whole even with a narrowing query.
    reads = 0;
    spy.filter([...items], 'web-1');
    expect(reads).toBe(500);
  });

  it('erasing back to a query asked before reuses its answer; two lists keep their answers apart', () => {
    const items = make(400);
    let reads = 0;
    const ix = new SearchIndex((x: Item) => [x.name, x.image]);
    const orig = ix.matches.bind(ix);
    ix.matches = (item, q) => (reads++, orig(item, q));
    const typed = ['w', 'we', 'web', 'web-', 'web-3', 'web-39'].map((q) => ix.filter(items, q));
    reads = 0;
    // Backspace, back to every earlier query: the same answers, no item read again.
    const erased = ['web-3', 'web-', 'web', 'we', 'w'].map((q) => ix.filter(items, q));
    expect(reads).toBe(0);
    expect(erased).toEqual(typed.slice(0, 5).reverse());
    expect(erased[0]).toBe(typed[4]);
    // Another array (the same rows sorted otherwise) asked in between does not evict the first's answers.
    const other = [...items].reverse();
    expect(ix.filter(other, 'web-39').map((x) => x.name)).toEqual(['web-399', 'web-398', 'web-397', 'web-396', 'web-395', 'web-394', 'web-393', 'web-392', 'web-391', 'web-390', 'web-39']);
    reads = 0;
    expect(ix.filter(items, 'web-39')).toBe(typed[5]);
    expect(reads).toBe(0);
    // A new query that narrows a kept one reads only that one's matches (the smallest such).
    ix.filter(items, 'web-391');
    expect(reads).toBe(typed[5]!.length);
  });

  it('says when a query narrows another', () => {
    expect(narrows(queryWords('web'), queryWords('web-1'))).toBe(true);
    expect(narrows(queryWords('web nginx'), queryWords('nginx:1 web-2'))).toBe(true);
    expect(narrows(queryWords('web-1'), queryWords('web'))).toBe(false);
    expect(narrows(queryWords('a b'), queryWords('a'))).toBe(false);
  });
});
