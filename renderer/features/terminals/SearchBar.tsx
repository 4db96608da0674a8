import { useEffect, useRef, useState, type RefObject } from 'react';
import { IconArrowDown, IconArrowUp, IconButton, IconClose } from '../../components';
import type { XtermHandle } from './XtermView';

const DECORATIONS = {
  matchOverviewRuler: '#888888',
  activeMatchColorOverviewRuler: '#ffaa00',
  matchBackground: '#5c6370',
  activeMatchBackground: '#b58900',
};

/** Find in the terminal's scrollback (Enter: next, Shift+Enter: previous, Escape: close). */
export function SearchBar({ view, onClose }: { view: RefObject<XtermHandle | null>; onClose(): void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ index: number; count: number } | null>(null);
  const [failed, setFailed] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const s = view.current?.search();
    if (!s) return;
    const sub = s.onDidChangeResults((r) => setFound(r.resultCount ? { index: r.resultIndex + 1, count: r.resultCount } : { index: 0, count: 0 }));
    return () => {
      sub.dispose();
      s.clearDecorations();
    };
  }, [view]);
  const go = (dir: 1 | -1, text = q) => {
    const s = view.current?.search();
    if (!s || !text) return;
    const opts = { decorations: DECORATIONS, incremental: false };
    try {
      if (dir === 1) s.findNext(text, opts);
      else s.findPrevious(text, opts);
      setFailed(false);
    } catch (err) {
      // xterm's search gives up on a single wrapped line of millions of characters.
      console.warn('Terminal search failed', err);
      setFailed(true);
    }
  };
  return (
    <div className="term-search" role="search">
      <input
        ref={input}
        className="input"
        aria-label="Find in terminal"
        placeholder="Find"
        value={q}
        spellCheck={false}
        onChange={(e) => {
          setQ(e.target.value);
          go(1, e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') go(e.shiftKey ? -1 : 1);
          if (e.key === 'Escape') onClose();
        }}
      />
      <span className="term-search-count" aria-live="polite">
        {failed ? 'Cannot search this output' : q && found ? (found.count ? `${found.index} of ${found.count}` : 'No matches') : ''}
      </span>
      <IconButton size="sm" label="Previous match" icon={<IconArrowUp />} onClick={() => go(-1)} />
      <IconButton size="sm" label="Next match" icon={<IconArrowDown />} onClick={() => go(1)} />
      <IconButton size="sm" label="Close find" icon={<IconClose />} onClick={onClose} />
    </div>
  );
}
