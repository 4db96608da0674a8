import { useCallback, useRef, useState } from 'react';

/** One line of a build log as the dialog shows it. */
export interface LogLine {
  kind: 'step' | 'out' | 'error' | 'note';
  text: string;
}

/** Lines the classic builder and common tools print when something went wrong. */
const ERROR_RE = /(^|\s)(error|ERROR|Error)[:\s]|returned a non-zero code|command not found|No such file or directory|^fatal:|\bfailed\b/;

export const isErrorLine = (text: string): boolean => ERROR_RE.test(text);

export const MAX_LINES = 5000;

/**
 * A bounded log that re-renders at most once per animation frame however fast lines come.
 * Old lines beyond MAX_LINES are dropped (the count is kept to say so).
 */
export function useLogLines() {
  const lines = useRef<LogLine[]>([]);
  const dropped = useRef(0);
  const [version, setVersion] = useState(0);
  const frame = useRef<number | null>(null);

  const bump = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setVersion((v) => v + 1);
    });
  }, []);

  const push = useCallback(
    (kind: LogLine['kind'], text: string) => {
      const parts = kind === 'out' ? text.replace(/\n$/, '').split('\n') : [text];
      for (const t of parts) lines.current.push({ kind: kind === 'out' && isErrorLine(t) ? 'error' : kind, text: t });
      const over = lines.current.length - MAX_LINES;
      if (over > 0) {
        lines.current.splice(0, over);
        dropped.current += over;
      }
      bump();
    },
    [bump],
  );

  const clear = useCallback(() => {
    lines.current = [];
    dropped.current = 0;
    bump();
  }, [bump]);

  return { lines: lines.current, dropped: dropped.current, version, push, clear };
}
