import { useEffect, useRef, useState, type RefObject } from 'react';

export interface TabStripEdges {
  /** Tabs are hidden beyond the strip's left edge. */
  left: boolean;
  /** Tabs are hidden beyond the strip's right edge. */
  right: boolean;
}

/**
 * A tab strip wider than its pane scrolls sideways: the chosen tab (by click, key or route) is
 * scrolled into view, and the returned edges say where tabs are hidden (the strip fades there).
 */
export function useTabStrip(value: string, tabOf: (value: string) => HTMLElement | undefined): { ref: RefObject<HTMLDivElement | null>; edges: TabStripEdges } {
  const ref = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState<TabStripEdges>({ left: false, right: false });

  useEffect(() => {
    const strip = ref.current;
    if (!strip) return;
    const update = () => {
      const left = strip.scrollLeft > 1;
      const right = strip.scrollLeft + strip.clientWidth < strip.scrollWidth - 1;
      setEdges((e) => (e.left === left && e.right === right ? e : { left, right }));
    };
    update();
    strip.addEventListener('scroll', update, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    observer?.observe(strip);
    return () => {
      strip.removeEventListener('scroll', update);
      observer?.disconnect();
    };
  }, []);

  useEffect(() => {
    const strip = ref.current;
    const chosen = tabOf(value);
    if (!chosen || !strip || strip.scrollWidth <= strip.clientWidth) return;
    // With the strip's padding: the first and last tabs scroll it to its very ends (no fade left over).
    const style = getComputedStyle(strip);
    const t = chosen.getBoundingClientRect();
    const s = strip.getBoundingClientRect();
    const left = t.left - parseFloat(style.paddingLeft);
    const right = t.right + parseFloat(style.paddingRight);
    if (left < s.left) strip.scrollLeft -= s.left - left;
    else if (right > s.right) strip.scrollLeft += right - s.right;
    // The tab elements do not change with a render; only a new value scrolls.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);

  return { ref, edges };
}
