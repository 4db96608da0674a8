import { useEffect, useRef, type RefObject } from 'react';

/**
 * Moves the focus to `target` whenever `key` changes after the first render: when a dialog goes
 * from its form to "running" to "done", the button that was focused disappears, and keyboard
 * users would otherwise land on the page body.
 */
export function useFocusOnChange(key: string, target: RefObject<HTMLElement | null>): void {
  const first = useRef(true);
  const latest = useRef(target);
  useEffect(() => {
    latest.current = target;
  });
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    latest.current.current?.focus();
  }, [key]);
}
