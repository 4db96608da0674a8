/**
 * How narrow a VirtualTable row can get. The gap and padding are those of `.vt-row` in
 * styles/table.css (column-gap var(--sp-3), padding 0 var(--sp-4)), in rem.
 */
const GAP_REM = 0.75;
const PADDING_REM = 2;

/** The narrowest a CSS track can be, in rem ('7.5rem' → 7.5, 'minmax(9rem, 1.3fr)' → 9; '1fr' → 4). */
export function trackMinRem(width: string): number {
  const m = /^minmax\(\s*([\d.]+)rem/.exec(width) ?? /^([\d.]+)rem$/.exec(width.trim());
  return m ? Number(m[1]) : 4;
}

/** The width (rem) under which a row of these tracks cannot shrink: their minimums, the gaps between them and the row's padding. */
export function gridMinRem(tracks: readonly string[]): number {
  return tracks.reduce((sum, t) => sum + trackMinRem(t), 0) + Math.max(0, tracks.length - 1) * GAP_REM + PADDING_REM;
}
