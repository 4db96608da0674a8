import { memo, useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react';
import { IconChevronDown, IconChevronRight } from '../../components';
import { visibleRows, type JsonMatch, type JsonNode } from './json-tree';
import { findRanges, splitByRanges } from './text-search';

interface Props {
  nodes: readonly JsonNode[];
  collapsed: ReadonlySet<number>;
  onToggle(idx: number): void;
  /** Lower-cased search text. */
  needle: string;
  current: JsonMatch | null;
  selected: number | null;
  onSelect(idx: number): void;
  label: string;
}

const isContainer = (n: JsonNode) => n.kind === 'object' || n.kind === 'array';

function Highlighted({ text, needle, current }: { text: string; needle: string; current: number }) {
  if (!needle) return <>{text}</>;
  const ranges = findRanges(text, needle);
  if (!ranges.length) return <>{text}</>;
  return (
    <>
      {splitByRanges(text, ranges).map((p, i) =>
        p.match < 0 ? (
          <span key={i}>{p.text}</span>
        ) : (
          <mark key={i} className={ranges[p.match]?.start === current ? 'log-hit log-hit-current' : 'log-hit'} data-current={ranges[p.match]?.start === current || undefined}>
            {p.text}
          </mark>
        ),
      )}
    </>
  );
}

const summaryOf = (n: JsonNode) => (n.kind === 'array' ? `[…] ${n.size} ${n.size === 1 ? 'item' : 'items'}` : `{…} ${n.size} ${n.size === 1 ? 'key' : 'keys'}`);

interface RowProps {
  node: JsonNode;
  closing: boolean;
  last: boolean;
  setSize: number;
  expanded: boolean;
  focused: boolean;
  selected: boolean;
  needle: string;
  currentKey: number;
  currentValue: number;
  onToggle(idx: number): void;
  onSelect(idx: number): void;
}

const Row = memo(function Row({ node: n, closing, last, setSize, expanded, focused, selected, needle, currentKey, currentValue, onToggle, onSelect }: RowProps) {
  const indent = { paddingLeft: `${n.depth * 1.25 + 1.25}rem` };
  const comma = last ? '' : ',';
  if (closing) {
    return (
      <div className="json-row json-close" style={indent} aria-hidden="true">
        {n.kind === 'array' ? ']' : '}'}
        {comma}
      </div>
    );
  }
  const container = isContainer(n);
  let body: ReactNode;
  if (container) body = expanded ? (n.kind === 'array' ? '[' : '{') : <span className="json-summary">{summaryOf(n)}</span>;
  else
    body = (
      <span className={`json-${n.kind}`}>
        <Highlighted text={n.valueText} needle={needle} current={currentValue} />
      </span>
    );
  return (
    <div
      role="treeitem"
      aria-level={n.depth + 1}
      aria-posinset={n.pos}
      aria-setsize={setSize}
      aria-expanded={container ? expanded : undefined}
      aria-selected={selected}
      tabIndex={focused ? 0 : -1}
      data-node={n.idx}
      className={selected ? 'json-row is-selected' : 'json-row'}
      style={indent}
      onClick={() => onSelect(n.idx)}
    >
      {container && (
        <span
          className="json-twisty"
          aria-hidden="true"
          onClick={(e) => {
            e.stopPropagation();
            onToggle(n.idx);
          }}
        >
          {expanded ? <IconChevronDown /> : <IconChevronRight />}
        </span>
      )}
      {n.key !== null && (
        <>
          <span className={typeof n.key === 'number' ? 'json-index' : 'json-key'}>
            {typeof n.key === 'number' ? n.key : <>&quot;<Highlighted text={n.key} needle={needle} current={currentKey} />&quot;</>}
          </span>
          <span className="json-punct">: </span>
        </>
      )}
      {body}
      {(!container || !expanded) && comma}
    </div>
  );
});

/**
 * The document as an ARIA tree: ↑/↓ move, → expands (or enters), ← collapses (or goes to the
 * parent), Home/End, Enter or Space selects (the tab then offers to copy its path and value).
 */
export function JsonTree({ nodes, collapsed, onToggle, needle, current, selected, onSelect, label }: Props) {
  const rows = visibleRows(nodes, collapsed);
  const items = rows.filter((r) => !r.closing).map((r) => r.node.idx);
  const [focused, setFocused] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  const focusIdx = items.includes(focused) ? focused : (items[0] ?? 0);
  const moveFocus = useRef(false);

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    ref.current?.querySelector<HTMLElement>(`[data-node="${focusIdx}"]`)?.focus();
  }, [focusIdx]);
  useEffect(() => {
    if (current) ref.current?.querySelector('mark[data-current]')?.scrollIntoView({ block: 'center', inline: 'nearest' });
  }, [current]);

  const go = (idx: number | undefined) => {
    if (idx === undefined) return;
    moveFocus.current = true;
    setFocused(idx);
    if (idx === focusIdx) ref.current?.querySelector<HTMLElement>(`[data-node="${idx}"]`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const pos = items.indexOf(focusIdx);
    const n = nodes[focusIdx];
    if (!n) return;
    const open = isContainer(n) && !collapsed.has(n.idx);
    let handled = true;
    if (e.key === 'ArrowDown') go(items[pos + 1]);
    else if (e.key === 'ArrowUp') go(items[pos - 1]);
    else if (e.key === 'Home') go(items[0]);
    else if (e.key === 'End') go(items[items.length - 1]);
    else if (e.key === 'ArrowRight') {
      if (isContainer(n) && !open) onToggle(n.idx);
      else if (open && n.size > 0) go(n.idx + 1);
    } else if (e.key === 'ArrowLeft') {
      if (open && n.parent >= 0) onToggle(n.idx);
      else if (n.parent >= 0) go(n.parent);
    } else if (e.key === 'Enter' || e.key === ' ') onSelect(n.idx);
    else handled = false;
    if (handled) e.preventDefault();
  };

  // A click (or Tab) onto a row makes it the one arrows move from.
  const onFocus = (e: FocusEvent) => {
    const idx = Number((e.target as HTMLElement).dataset.node);
    if (Number.isInteger(idx) && idx !== focused) setFocused(idx);
  };

  return (
    <div ref={ref} className="json-tree" role="tree" aria-label={label} onKeyDown={onKeyDown} onFocus={onFocus}>
      {rows.map((r) => {
        const n = r.node;
        const setSize = n.parent < 0 ? 1 : (nodes[n.parent] as JsonNode).size;
        const last = n.pos === setSize;
        const cur = current && current.node === n.idx ? current : null;
        return (
          <Row
            key={r.closing ? `c${n.idx}` : n.idx}
            node={n}
            closing={r.closing}
            last={last}
            setSize={setSize}
            expanded={!collapsed.has(n.idx)}
            focused={!r.closing && n.idx === focusIdx}
            selected={selected === n.idx}
            needle={needle}
            currentKey={cur?.part === 'key' ? cur.start : -1}
            currentValue={cur?.part === 'value' ? cur.start : -1}
            onToggle={onToggle}
            onSelect={onSelect}
          />
        );
      })}
    </div>
  );
}
