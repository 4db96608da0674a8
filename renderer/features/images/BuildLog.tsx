import { useLayoutEffect, useRef } from 'react';
import type { LogLine } from './build-log';

/** The live build output: monospace, follows the end unless scrolled up, errors highlighted. */
export function BuildLog({ lines, dropped, version }: { lines: readonly LogLine[]; dropped: number; version: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const follow = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [version]);

  return (
    <div
      ref={ref}
      className="build-log mono"
      role="log"
      aria-label="Build output"
      aria-live="off"
      tabIndex={0}
      data-testid="build-log"
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 16;
      }}
    >
      {dropped > 0 && <div className="build-line build-note">… {dropped} earlier lines not shown</div>}
      {lines.map((l, i) => (
        <div key={i + dropped} className={`build-line build-${l.kind}`}>
          {l.text || '\u00a0'}
        </div>
      ))}
      {lines.length === 0 && <div className="build-line build-note">Waiting for the engine…</div>}
    </div>
  );
}
