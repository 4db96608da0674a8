/**
 * A small fuzzy matcher for the command palette: the query's characters must appear in order.
 * Scores favour matches at word starts and runs of consecutive characters.
 */
export interface FuzzyMatch {
  score: number;
  /** Indices of matched characters in the text (for highlighting). */
  positions: number[];
}

const isWordStart = (text: string, i: number) => i === 0 || /[\s\-_./:]/.test(text[i - 1] ?? '') || (/[a-z]/.test(text[i - 1] ?? '') && /[A-Z]/.test(text[i] ?? ''));

export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (q === '') return { score: 0, positions: [] };
  const t = text.toLowerCase();
  // Fast path: a plain substring scores best, most when it starts a word.
  const at = t.indexOf(q);
  if (at !== -1) {
    const positions = Array.from({ length: q.length }, (_, k) => at + k);
    return { score: 1000 - at + (isWordStart(text, at) ? 500 : 0) - text.length, positions };
  }
  const positions: number[] = [];
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    if (ch === ' ') continue;
    let found = -1;
    // Prefer the next word start that matches; fall back to the next occurrence.
    for (let k = ti; k < t.length; k++) {
      if (t[k] === ch && isWordStart(text, k)) {
        found = k;
        break;
      }
    }
    const next = t.indexOf(ch, ti);
    if (next === -1) return null;
    if (found === -1 || (next === prev + 1 && next < found)) found = next;
    score += found === prev + 1 ? 15 : 0;
    score += isWordStart(text, found) ? 10 : 0;
    score -= Math.min(found - ti, 10);
    positions.push(found);
    prev = found;
    ti = found + 1;
  }
  return { score: score - text.length * 0.1, positions };
}

/** Filter and rank items by a query over the text `textOf` gives; stable for equal scores. */
export function fuzzyFilter<T>(items: readonly T[], query: string, textOf: (item: T) => string): Array<{ item: T; match: FuzzyMatch }> {
  const out: Array<{ item: T; match: FuzzyMatch; index: number }> = [];
  items.forEach((item, index) => {
    const match = fuzzyMatch(query, textOf(item));
    if (match) out.push({ item, match, index });
  });
  if (query.trim() !== '') out.sort((a, b) => b.match.score - a.match.score || a.index - b.index);
  return out.map(({ item, match }) => ({ item, match }));
}
