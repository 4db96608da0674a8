/**
 * Filter-as-you-type over thousands of rows. The searchable text of each item (its fields, joined
 * and lower-cased) is built once per item object and kept while the object lives: the entity
 * stores keep the objects of unchanged rows across refetches, so a list change re-indexes only
 * what changed, and a keystroke only compares strings. Typing on (a query that only narrows the
 * previous one) searches the previous matches instead of the whole list, and erasing back to a
 * query asked before reuses its answer.
 *
 *   const index = new SearchIndex((c: ContainerSummary) => [c.name, c.image, c.id]);
 *   const shown = index.filter(all, query);   // all when the query is blank
 */
export type Fields = readonly (string | null | undefined)[];

/** The words of a query: lower-cased, split on white space. */
export const queryWords = (query: string): string[] => query.toLowerCase().split(/\s+/).filter(Boolean);

/** Whether every item matching `next` also matched `prev` (each earlier word is inside a new one). */
export const narrows = (prev: readonly string[], next: readonly string[]): boolean => prev.every((p) => next.some((n) => n.includes(p)));

/** How many earlier answers a list keeps (typing and erasing a query of this length hits them). */
const KEPT_ANSWERS = 48;

export class SearchIndex<T extends object> {
  private readonly texts = new WeakMap<T, string>();
  /** Per list (array), its answers by query (words joined by a space), oldest first. */
  private readonly answers = new WeakMap<readonly T[], Map<string, { words: string[]; out: T[] }>>();
  /** How many items had their text built (for tests and the bench). */
  built = 0;

  constructor(private readonly fieldsOf: (item: T) => Fields) {}

  /** The lower-cased searchable text of `item`, built on first use. */
  text(item: T): string {
    let t = this.texts.get(item);
    if (t === undefined) {
      t = this.fieldsOf(item).filter(Boolean).join('\n').toLowerCase();
      this.texts.set(item, t);
      this.built++;
    }
    return t;
  }

  /**
   * Builds the text of every item not indexed yet (a filter box getting focus calls it, so the
   * first keystroke only compares strings). Cheap when the list is indexed already.
   */
  prepare(items: readonly T[]): void {
    for (const item of items) this.text(item);
  }

  /** Every word of the query appears in the item's text. */
  matches(item: T, query: string | readonly string[]): boolean {
    const words = typeof query === 'string' ? queryWords(query) : query;
    if (words.length === 0) return true;
    const t = this.text(item);
    return words.every((w) => t.includes(w));
  }

  /**
   * The items that match, in their order (the same array when the query is blank). The answers
   * for a list are kept (the last few queries per array): asking again (erasing back to an earlier
   * query, or two views of one list) costs nothing, and a query that narrows a kept one searches
   * only that one's matches. A new array (a list change) starts afresh.
   */
  filter(items: readonly T[], query: string): readonly T[] {
    const words = queryWords(query);
    if (words.length === 0) return items;
    const key = words.join(' ');
    let kept = this.answers.get(items);
    if (!kept) {
      kept = new Map();
      this.answers.set(items, kept);
    }
    const hit = kept.get(key);
    if (hit) return hit.out;
    // The smallest kept answer whose query this one narrows.
    let from: readonly T[] = items;
    for (const a of kept.values()) if (a.out.length < from.length && narrows(a.words, words)) from = a.out;
    const out = from.filter((item) => this.matches(item, words));
    kept.set(key, { words, out });
    if (kept.size > KEPT_ANSWERS) kept.delete(kept.keys().next().value as string);
    return out;
  }
}
