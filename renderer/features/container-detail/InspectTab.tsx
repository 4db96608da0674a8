import { useCallback, useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { Button, CopyButton, EmptyState, ErrorBanner, IconRefresh, Spinner } from '../../components';
import { DetailSearch } from './DetailSearch';
import { createInspectStore } from './inspect-store';
import { ancestorsOf, flattenJson, pathText, searchJson, valueCopyText } from './json-tree';
import { JsonTree } from './JsonTree';
import { findRanges, matchCountText } from './text-search';
import type { DetailTabProps } from './types';
import './detail.css';

/**
 * The Inspect tab: the engine's raw document as a collapsible tree with search (Enter / Shift+Enter),
 * copy of the whole JSON, and copy of the selected node's path or value. Read again when the
 * container starts or stops, and on "Reload".
 */
export function InspectTab({ containerId, containerName, running }: DetailTabProps) {
  const [store] = useState(createInspectStore);
  const { status, raw, error } = useStore(store);
  const load = useCallback(() => void store.getState().load(containerId), [store, containerId]);
  useEffect(() => {
    load();
  }, [load, running]);

  const nodes = useMemo(() => (raw ? flattenJson(raw) : []), [raw]);
  const json = useMemo(() => (raw ? JSON.stringify(raw, null, 2) : ''), [raw]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(-1);
  const [selected, setSelected] = useState<number | null>(null);
  const needle = query.toLowerCase();
  const matches = useMemo(() => searchJson(nodes, needle, findRanges), [nodes, needle]);
  const currentMatch = current >= 0 ? (matches[current] ?? null) : null;

  const toggle = useCallback((idx: number) => {
    setCollapsed((c) => {
      const next = new Set(c);
      if (!next.delete(idx)) next.add(idx);
      return next;
    });
  }, []);
  const step = (dir: 1 | -1) => {
    if (!matches.length) return;
    const i = current < 0 ? (dir === 1 ? 0 : matches.length - 1) : (current + dir + matches.length) % matches.length;
    const m = matches[i];
    if (!m) return;
    const up = ancestorsOf(nodes, m.node);
    if (up.some((a) => collapsed.has(a))) setCollapsed((c) => new Set([...c].filter((x) => !up.includes(x))));
    setCurrent(i);
  };
  const collapseAll = () => setCollapsed(new Set(nodes.filter((n) => n.depth >= 1 && (n.kind === 'object' || n.kind === 'array') && n.size > 0).map((n) => n.idx)));

  const sel = selected !== null ? nodes[selected] : undefined;
  return (
    <div className="dtab-tab inspect-tab" data-testid="inspect-tab">
      <div className="dtab-toolbar">
        <DetailSearch
          label="Search the inspect document"
          value={query}
          onChange={(q) => {
            setQuery(q);
            setCurrent(-1);
          }}
          onStep={step}
          hasMatches={matches.length > 0}
          countText={matchCountText(currentMatch ? current : -1, matches.length)}
        />
        <div className="dtab-controls">
          <Button size="sm" onClick={() => setCollapsed(new Set())} disabled={!raw}>
            Expand all
          </Button>
          <Button size="sm" onClick={collapseAll} disabled={!raw}>
            Collapse all
          </Button>
          <Button size="sm" icon={<IconRefresh />} onClick={load} busy={status === 'loading'}>
            Reload
          </Button>
          {raw && <CopyButton text={json} label="Copy the whole JSON" size="md" />}
        </div>
      </div>
      {status === 'error' && error && <ErrorBanner title={`Could not inspect ${containerName}`} error={error} onRetry={load} />}
      {!raw ? (
        status === 'loading' || status === 'idle' ? (
          <div className="dtab-loading">
            <Spinner /> Reading the inspect document…
          </div>
        ) : (
          status !== 'error' && <EmptyState title="Nothing to show" />
        )
      ) : (
        <>
          <div className="json-scroll">
            <JsonTree
              nodes={nodes}
              collapsed={collapsed}
              onToggle={toggle}
              needle={needle}
              current={currentMatch}
              selected={selected}
              onSelect={setSelected}
              label={`Inspect document of ${containerName}`}
            />
          </div>
          <div className="dtab-footer json-selection" aria-live="polite">
            {sel ? (
              <>
                <code className="json-path" title="Path of the selected value">
                  {pathText(sel.path)}
                </code>
                <CopyButton text={pathText(sel.path)} label={`Copy the path ${pathText(sel.path)}`} />
                <span className="json-preview">{sel.kind === 'object' || sel.kind === 'array' ? `${sel.kind}, ${sel.size} entries` : sel.valueText}</span>
                <CopyButton text={valueCopyText(sel)} label={`Copy the value of ${pathText(sel.path)}`} />
              </>
            ) : (
              <span className="dtab-footer-item">Select a line (click, or Enter) to copy its path or value.</span>
            )}
          </div>
        </>
      )}
    </div>
  );
}
