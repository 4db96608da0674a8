import { useEffect, useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LogBuffer } from '../../stores/logs';
import { Button, IconArrowDown } from '../../components';
import { LogLineView } from './LogLineView';

export interface LogViewHandle {
  /** Scrolls the line at `index` into the middle of the view, then the current hit into view. */
  reveal(index: number): void;
}

interface Props {
  buffer: LogBuffer;
  version: number;
  label: string;
  wrap: boolean;
  showTs: boolean;
  needle: string;
  /** The current match: its line's seq and start offset. */
  current: { seq: number; start: number } | null;
  follow: boolean;
  onFollowChange(follow: boolean): void;
  ref?: Ref<LogViewHandle>;
}

const remPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
const LINE_REM = 1.25;
/** A scroll within this many pixels of the end counts as "at the end". */
const END_SLACK = 4;
const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' ']);

/**
 * The virtualized log lines. While `follow` is on the newest line is kept in view; a scroll
 * made by the user (wheel, keys, scrollbar, touch) away from the end turns it off, and a scroll
 * back to the end turns it on again. Scrolls made by the view itself never change it.
 */
export function LogView({ buffer, version, label, wrap, showTs, needle, current, follow, onFollowChange, ref }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const intentAt = useRef(0);
  const count = buffer.length;
  const first = buffer.firstSeq;

  // Anchored to the end, as a log is: appending while at the end follows (when `follow`), and
  // lines dropped from the front do not move what the user is reading. All scrolling goes through
  // the virtualizer, so its idea of the offset and the element's never disagree.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_REM * remPx(),
    getItemKey: (i) => first + i,
    overscan: 20,
    anchorTo: 'end',
    followOnAppend: follow,
    scrollEndThreshold: END_SLACK,
  });

  // Sizes depend on wrapping and on the time column: measure again when they change.
  useLayoutEffect(() => {
    virtualizer.measure();
  }, [wrap, showTs, virtualizer]);

  // Turning follow on (and the first lines) go to the end; after that the virtualizer follows appends.
  useLayoutEffect(() => {
    if (follow && count > 0 && !virtualizer.isAtEnd()) virtualizer.scrollToEnd();
  }, [follow, version, count, wrap, virtualizer]);

  useImperativeHandle(
    ref,
    () => ({
      reveal(index) {
        virtualizer.scrollToIndex(index, { align: 'center' });
        requestAnimationFrame(() => {
          const hit = scrollRef.current?.querySelector('mark[data-current]');
          hit?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        });
      },
    }),
    [virtualizer],
  );

  // A user scroll decides about following; remember when the user last acted on the view.
  const markIntent = () => {
    intentAt.current = performance.now();
  };
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el || performance.now() - intentAt.current > 1000) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight <= END_SLACK;
    if (atEnd !== follow) onFollowChange(atEnd);
  };
  useEffect(() => {
    // Wheel up leaves the end at once (before the scroll event), so no new line pulls it back.
    const el = scrollRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      markIntent();
      if (e.deltaY < 0 && follow) onFollowChange(false);
    };
    el.addEventListener('wheel', onWheel, { passive: true });
    return () => el.removeEventListener('wheel', onWheel);
  }, [follow, onFollowChange]);

  const items = virtualizer.getVirtualItems();
  return (
    <div className="log-view-wrap">
      <div
        ref={scrollRef}
        className={wrap ? 'log-view is-wrapped' : 'log-view'}
        role="log"
        aria-live="off"
        aria-label={label}
        tabIndex={0}
        onScroll={onScroll}
        onPointerDown={markIntent}
        onTouchStart={markIntent}
        onKeyDown={(e) => {
          if (!SCROLL_KEYS.has(e.key)) return;
          markIntent();
          if (follow && (e.key === 'ArrowUp' || e.key === 'PageUp' || e.key === 'Home')) onFollowChange(false);
        }}
      >
        <div className="log-lines" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const line = buffer.at(item.index);
            if (!line) return null;
            return (
              <div
                key={item.key}
                ref={wrap ? virtualizer.measureElement : undefined}
                data-index={item.index}
                data-stream={line.stream}
                className={line.stream === 'stderr' ? 'log-line is-stderr' : 'log-line'}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <LogLineView line={line} showTs={showTs} needle={needle} currentStart={current && current.seq === line.seq ? current.start : -1} />
              </div>
            );
          })}
        </div>
      </div>
      {!follow && count > 0 && (
        <Button className="log-jump" size="sm" variant="primary" icon={<IconArrowDown />} onClick={() => onFollowChange(true)}>
          Jump to end
        </Button>
      )}
    </div>
  );
}
