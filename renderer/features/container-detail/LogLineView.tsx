import { memo, type ReactNode } from 'react';
import type { LogEntry } from '../../stores/logs';
import { needsParse, parseAnsi, type AnsiSegment } from '../../lib/ansi';
import { styleCss } from './ansi-css';
import { formatLogTime } from './format';
import { findRanges, splitByRanges, type Range } from './text-search';

interface Props {
  line: LogEntry;
  showTs: boolean;
  /** The lower-cased search text ('' for none). */
  needle: string;
  /** The start offset of the current match when it is in this line, else -1. */
  currentStart: number;
}

// Parsing is cached per line object: a line is parsed once however often it scrolls into view.
const parsed = new WeakMap<LogEntry, AnsiSegment[]>();
function segmentsOf(line: LogEntry): AnsiSegment[] {
  let s = parsed.get(line);
  if (!s) {
    s = needsParse(line.text) ? parseAnsi(line.text).segments : [{ text: line.text, style: null }];
    parsed.set(line, s);
  }
  return s;
}

/** The text of a line: ANSI styles as inline styles on spans, search hits as <mark>. */
function renderText(line: LogEntry, ranges: readonly Range[], currentStart: number): ReactNode[] {
  const out: ReactNode[] = [];
  let offset = 0;
  segmentsOf(line).forEach((seg, si) => {
    const pieces = ranges.length ? splitByRanges(seg.text, ranges, offset) : [{ text: seg.text, match: -1 }];
    offset += seg.text.length;
    const css = seg.style ? styleCss(seg.style) : undefined;
    pieces.forEach((p, pi) => {
      const key = `${si}.${pi}`;
      const span = css ? (
        <span key={key} style={css} className="ansi">
          {p.text}
        </span>
      ) : (
        p.text
      );
      if (p.match < 0) {
        out.push(typeof span === 'string' ? <span key={key}>{span}</span> : span);
      } else {
        const current = ranges[p.match]?.start === currentStart;
        out.push(
          <mark key={key} className={current ? 'log-hit log-hit-current' : 'log-hit'} data-current={current || undefined}>
            {span}
          </mark>,
        );
      }
    });
  });
  return out;
}

/** One log line: stream marker (stderr is labelled, not only tinted), optional time, text. */
export const LogLineView = memo(function LogLineView({ line, showTs, needle, currentStart }: Props) {
  const ranges = needle ? findRanges(line.plain, needle) : [];
  const err = line.stream === 'stderr';
  return (
    <>
      <span className="log-stream" title={err ? 'Written to stderr' : 'Written to stdout'}>
        {err ? 'err' : ''}
        <span className="visually-hidden">{err ? ' (stderr)' : ''}</span>
      </span>
      {showTs && line.ts && <span className="log-ts">{formatLogTime(line.ts)}</span>}
      <span className="log-text">{renderText(line, ranges, currentStart)}</span>
    </>
  );
});
