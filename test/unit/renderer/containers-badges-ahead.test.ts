import { describe, expect, it, vi } from 'vitest';
import { containersInView, showWhenBadges, type GridWindow } from '../../../renderer/features/containers/badges-ahead';
import type { ListRow } from '../../../renderer/features/containers/model';
import type { ContainerSummary } from '../../../app/contract/containers';

const row = (id: string): ListRow => ({ kind: 'container', id, c: { id } as ContainerSummary, group: null });
const group = (p: string): ListRow => ({ kind: 'group', id: `group:${p}`, project: p, members: [], running: 0 });
const rows = (n: number) => Array.from({ length: n }, (_, i) => row(`c${i}`));
// A 32 px header and 32 px rows: 10 rows fit under the header of a 352 px scrollport.
const at = (scrollTop: number): GridWindow => ({ scrollTop, height: 352, headerPx: 32, rowPx: 32 });

describe('containersInView: the rows the grid will show, guessed before they render', () => {
  it('at the top: the rows that fit under the header, and the overscan below', () => {
    expect(containersInView(rows(100), at(0), 0)).toEqual(rows(10).map((r) => r.id));
    expect(containersInView(rows(100), at(0))).toEqual(rows(14).map((r) => r.id));
  });

  it('scrolled: the rows at the offset, with overscan on both sides', () => {
    // Row i spans 32 + 32 i to 64 + 32 i: scrolled to 352 the scrollport shows c10 (under the sticky header) to c20.
    expect(containersInView(rows(100), at(352), 0)).toEqual(Array.from({ length: 11 }, (_, i) => `c${10 + i}`));
    expect(containersInView(rows(100), at(352), 2)).toEqual(Array.from({ length: 15 }, (_, i) => `c${8 + i}`));
  });

  it('a list shorter than the offset: the browser clamps the scroll, so the last rows show', () => {
    // 15 rows end at 512: the scroll stops at 160, where c4 is under the header and c14 the last row.
    expect(containersInView(rows(15), at(5000), 0)).toEqual(Array.from({ length: 11 }, (_, i) => `c${4 + i}`));
    expect(containersInView(rows(3), at(5000), 4)).toEqual(['c0', 'c1', 'c2']);
  });

  it('group rows have no badge; an empty list or an unknown row height guesses nothing', () => {
    expect(containersInView([group('p'), row('a'), row('b')], at(0))).toEqual(['a', 'b']);
    expect(containersInView([], at(0))).toEqual([]);
    expect(containersInView(rows(5), { ...at(0), rowPx: 0 })).toEqual([]);
  });
});

describe('showWhenBadges: a typed filter\'s rows shown with their badges', () => {
  it('at once when nothing was asked; else when the badges come or fail, the cap at most; not waiting after a slow reply', async () => {
    vi.useFakeTimers();
    let clock = 0;
    const now = () => clock;
    const pending = () => {
      let settle!: (ok: boolean) => void;
      const p = new Promise<void>((res, rej) => (settle = (ok) => (ok ? res() : rej(new Error('the call failed')))));
      return { p, settle };
    };
    const after = async (ms: number) => {
      clock += ms;
      await vi.advanceTimersByTimeAsync(ms);
    };
    try {
      let shown = 0;
      showWhenBadges(null, () => shown++, 30, now);
      expect(shown).toBe(1);

      // The badges come (or their call fails) within the cap: the rows are shown then, once.
      for (const ok of [true, false]) {
        shown = 0;
        const a = pending();
        showWhenBadges(a.p, () => shown++, 30, now);
        await after(10);
        expect(shown).toBe(0);
        a.settle(ok);
        await after(0);
        expect(shown).toBe(1);
        await after(100);
        expect(shown).toBe(1);
      }

      // Slow: shown at the cap, not again when they come 50 ms after the keystroke.
      shown = 0;
      const slow = pending();
      showWhenBadges(slow.p, () => shown++, 30, now);
      await after(29);
      expect(shown).toBe(0);
      await after(1);
      expect(shown).toBe(1);
      await after(20);
      slow.settle(true);
      await after(0);
      expect(shown).toBe(1);

      // After a slow reply the next rows are shown at once; a fast reply then makes the page wait again.
      shown = 0;
      const next = pending();
      showWhenBadges(next.p, () => shown++, 30, now);
      expect(shown).toBe(1);
      await after(5);
      next.settle(true);
      await after(0);
      expect(shown).toBe(1);
      shown = 0;
      const again = pending();
      showWhenBadges(again.p, () => shown++, 30, now);
      expect(shown).toBe(0);
      again.settle(true);
      await after(0);
      expect(shown).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
