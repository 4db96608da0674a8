import type { ListRow } from './model';

/** Where the grid is scrolled and how much of it shows, in px; a row's height (the table's 2rem). */
export interface GridWindow {
  scrollTop: number;
  /** The scrollport's height, the sticky header included. */
  height: number;
  headerPx: number;
  rowPx: number;
}

/**
 * The containers among `rows` that the grid will show once it has them, scrolled as it is now (the browser keeps the
 * scroll offset, clamped to the new list's height), with `overscan` rows on each side as the table mounts them. A guess
 * made before the rows render, used to ask for their badges early (see stores/security.ts badgesAhead): a row it misses
 * asks for its own badge when it mounts; group rows have none.
 */
export function containersInView(rows: readonly ListRow[], w: GridWindow, overscan = 4): string[] {
  if (rows.length === 0 || !(w.rowPx > 0)) return [];
  const bodyPx = Math.max(0, w.height - w.headerPx);
  const maxTop = Math.max(0, w.headerPx + rows.length * w.rowPx - w.height);
  const top = Math.min(Math.max(0, w.scrollTop), maxTop);
  const first = Math.floor(Math.max(0, top - w.headerPx) / w.rowPx);
  const last = Math.ceil((top + bodyPx) / w.rowPx);
  const out: string[] = [];
  for (let i = Math.max(0, first - overscan); i < Math.min(rows.length, last + overscan); i++) {
    const r = rows[i] as ListRow;
    if (r.kind === 'container') out.push(r.id);
  }
  return out;
}

/** The grid's window as the containers page shows it now (null when the grid is not in the page). */
export function gridWindow(grid: HTMLElement | null): GridWindow | null {
  if (!grid) return null;
  const header = grid.querySelector<HTMLElement>('.vt-header');
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  return { scrollTop: grid.scrollTop, height: grid.clientHeight, headerPx: header?.offsetHeight ?? 0, rowPx: 2 * rem };
}

/** How long the last badges asked ahead took to come (ms). */
let lastWaitMs = 0;

/**
 * Shows a typed filter's rows (`show`): at once when no badge was asked for them (`asked` null: all known, or none
 * shown), else once the asked badges came or the call failed, `capMs` at most. The rows then mount with their badges in
 * one frame, not as placeholders whose badges come a frame later (issue 11: a keystroke that mounts rows settled when
 * their badges were painted, 36-62 ms after it; the core answers a screenful's badges within a few ms on nerdctl). When
 * the last badges took longer than the cap (an engine slow to read them), the rows are shown at once: waiting would only
 * put them off.
 */
export function showWhenBadges(asked: Promise<unknown> | null, show: () => void, capMs: number, now: () => number = () => performance.now()): void {
  if (!asked) return show();
  const t0 = now();
  const hold = lastWaitMs <= capMs;
  let done = !hold;
  if (!hold) show();
  const once = () => {
    lastWaitMs = now() - t0;
    if (done) return;
    done = true;
    clearTimeout(cap);
    show();
  };
  const cap = hold ? setTimeout(once, capMs) : undefined;
  asked.then(once, once);
}
