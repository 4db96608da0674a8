/** Case-insensitive plain-text search helpers shared by the Logs and Inspect tabs. */

export interface Range {
  start: number;
  end: number;
}

/** Every occurrence of `needle` (already lower-cased) in `text`, left to right, not overlapping. */
export function findRanges(text: string, needle: string, limit = 1000): Range[] {
  if (!needle) return [];
  const hay = text.toLowerCase();
  const out: Range[] = [];
  // toLowerCase can change the length of some characters (e.g. 'İ'); fall back to no match then.
  if (hay.length !== text.length) return out;
  for (let i = hay.indexOf(needle); i >= 0 && out.length < limit; i = hay.indexOf(needle, i + needle.length)) {
    out.push({ start: i, end: i + needle.length });
  }
  return out;
}

export interface Piece {
  text: string;
  /** Index of the match this piece belongs to (within its line), or -1. */
  match: number;
}

/** Splits `text` at the match ranges, so each piece is either inside one match or outside all. */
export function splitByRanges(text: string, ranges: readonly Range[], offset = 0): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  const end = text.length;
  ranges.forEach((r, m) => {
    const s = Math.max(0, r.start - offset);
    const e = Math.min(end, r.end - offset);
    if (e <= 0 || s >= end || e <= s) return;
    if (s > pos) pieces.push({ text: text.slice(pos, s), match: -1 });
    pieces.push({ text: text.slice(Math.max(s, pos), e), match: m });
    pos = e;
  });
  if (pos < end) pieces.push({ text: text.slice(pos), match: -1 });
  return pieces;
}

/** "3 of 17", "No matches", "17 matches" / "1 match" (none current yet). */
export function matchCountText(current: number, total: number, capped = false): string {
  if (total === 0) return 'No matches';
  const t = `${total.toLocaleString('en-US')}${capped ? '+' : ''}`;
  if (current >= 0) return `${(current + 1).toLocaleString('en-US')} of ${t}`;
  return total === 1 && !capped ? '1 match' : `${t} matches`;
}
