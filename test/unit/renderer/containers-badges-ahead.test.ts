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
  it('shows at once when nothing was asked for', () => {
    let shown = 0;
    showWhenBadges(null, () => shown++, 30);
    expect(shown).toBe(1);
  });

  it('shows once the badges came (or their call failed), and only once', async () => {
    vi.useFakeTimers();
    try {
      for (const settle of ['resolve', 'reject'] as const) {
        let shown = 0;
        let done!: (ok: boolean) => void;
        const asked = new Promise<void>((res, rej) => (done = (ok) => (ok ? res() : rej(new Error('the call failed')))));
        showWhenBadges(asked, () => shown++, 30);
        await vi.advanceTimersByTimeAsync(10);
        expect(shown).toBe(0);
        done(settle === 'resolve');
        await vi.advanceTimersByTimeAsync(0);
        expect(shown).toBe(1);
        await vi.advanceTimersByTimeAsync(100);
        expect(shown).toBe(1);
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows after the cap when the badges are slow, and not again when they come', async () => {
    vi.useFakeTimers();
    try {
      let shown = 0;
      let done!: () => void;
      showWhenBadges(new Promise<void>((res) => (done = res)), () => shown++, 30);
      await vi.advanceTimersByTimeAsync(29);
      expect(shown).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(shown).toBe(1);
      done();
      await vi.advanceTimersByTimeAsync(0);
      expect(shown).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
