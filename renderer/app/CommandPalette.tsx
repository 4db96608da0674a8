import { Fragment, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Dialog } from '../components/Dialog';
import { IconSearch } from '../components/Icons';
import { cx } from '../components/cx';
import { fuzzyFilter, fuzzyMatch } from '../lib/fuzzy';
import { formatShortcut } from '../lib/keys';
import { useCommandStore, type Command } from '../stores/commands';
import { notify } from '../stores/toasts';
import { toErrorShape } from '../lib/errors';

const GROUP_ORDER = ['Go to', 'Containers', 'Images', 'Volumes', 'Networks', 'Engine', 'View', 'Help'];
const groupRank = (g: string) => {
  const i = GROUP_ORDER.indexOf(g);
  return i === -1 ? GROUP_ORDER.length : i;
};

function Highlight({ text, positions }: { text: string; positions: number[] }) {
  if (positions.length === 0) return <>{text}</>;
  const set = new Set(positions);
  return (
    <>
      {[...text].map((ch, i) => (set.has(i) ? <mark key={i}>{ch}</mark> : <Fragment key={i}>{ch}</Fragment>))}
    </>
  );
}

/** Runs a command, reporting a failure as a notification. */
export async function runCommand(c: Command): Promise<void> {
  try {
    await c.run();
  } catch (e) {
    notify.error(`“${c.title}” failed`, toErrorShape(e));
  }
}

/** Ctrl/Cmd-K: a fuzzy list of every registered command; fully keyboard operable. */
export function CommandPalette() {
  const open = useCommandStore((s) => s.paletteOpen);
  const setOpen = useCommandStore((s) => s.setPaletteOpen);
  return open ? <PaletteBody onClose={() => setOpen(false)} /> : null;
}

function PaletteBody({ onClose }: { onClose(): void }) {
  const byId = useCommandStore((s) => s.byId);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const base = useId();

  const results = useMemo(() => {
    const enabled = Object.values(byId).filter((c) => !c.disabled);
    const owned = new Set(enabled.filter((c) => !c.fallback).map((c) => c.title));
    const all = enabled.filter((c) => !c.fallback || !owned.has(c.title));
    all.sort((a, b) => groupRank(a.group) - groupRank(b.group));
    const ranked = fuzzyFilter(all, query, (c) => `${c.title} ${c.keywords?.join(' ') ?? ''}`);
    // Highlight only within the title.
    return ranked.map(({ item }) => ({ item, positions: fuzzyMatch(query, item.title)?.positions ?? [] }));
  }, [byId, query]);

  // Group headings only when not filtering (a ranked list reads best flat).
  const grouped = query.trim() === '';
  const sections = useMemo(() => {
    const out: Array<{ group: string; entries: Array<{ item: Command; positions: number[]; index: number }> }> = [];
    results.forEach((r, index) => {
      const group = grouped ? r.item.group : 'Results';
      let sec = out[out.length - 1];
      if (!sec || sec.group !== group) {
        sec = { group, entries: [] };
        out.push(sec);
      }
      sec.entries.push({ ...r, index });
    });
    return out;
  }, [results, grouped]);

  const optionId = (i: number) => `${base}-opt-${i}`;
  useEffect(() => {
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  const run = (c: Command | undefined) => {
    if (!c) return;
    onClose();
    void runCommand(c);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const n = results.length;
    if (e.key === 'ArrowDown') setActive((a) => (n ? (a + 1) % n : 0));
    else if (e.key === 'ArrowUp') setActive((a) => (n ? (a - 1 + n) % n : 0));
    else if (e.key === 'PageDown') setActive((a) => Math.min(n - 1, a + 8));
    else if (e.key === 'PageUp') setActive((a) => Math.max(0, a - 8));
    else if (e.key === 'Enter') run(results[active]?.item);
    else return;
    e.preventDefault();
  };

  return (
    <Dialog open onClose={onClose} title="Command palette" bare size="md" className="palette" initialFocus={inputRef}>
      <div className="palette-input-row">
        <IconSearch className="palette-search-icon" />
        <input
          ref={inputRef}
          className="palette-input"
          role="combobox"
          aria-expanded={results.length > 0}
          aria-controls={results.length > 0 ? `${base}-list` : undefined}
          aria-autocomplete="list"
          aria-activedescendant={results.length ? optionId(active) : undefined}
          aria-label="Type a command or page"
          placeholder="Type a command or page…"
          value={query}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      {results.length > 0 && (
      <div id={`${base}-list`} role="listbox" aria-label="Commands" className="palette-list">
        {sections.map((sec, si) => (
          <div key={sec.group} role="group" aria-labelledby={`${base}-g-${si}`} className="palette-group">
            <div id={`${base}-g-${si}`} className={cx('palette-group-label', !grouped && 'visually-hidden')} role="presentation">
              {sec.group}
            </div>
            {sec.entries.map(({ item, positions, index }) => (
              <div
                key={item.id}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                className="palette-option"
                data-command={item.id}
                onMouseMove={() => setActive(index)}
                onClick={() => run(item)}
              >
                <span className="palette-title">
                  <Highlight text={item.title} positions={positions} />
                </span>
                {item.shortcut && <kbd>{formatShortcut(item.shortcut)}</kbd>}
              </div>
            ))}
          </div>
        ))}
      </div>
      )}
      {results.length === 0 && (
        <div className="palette-empty" role="status">
          No command matches “{query}”.
        </div>
      )}
    </Dialog>
  );
}
