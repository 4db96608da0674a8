import { useCallback, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { createLogsStore, type LogTailChoice } from '../../stores/logs';
import { EmptyState, ErrorBanner, Spinner } from '../../components';
import { DetailSearch } from './DetailSearch';
import { LogMatcher } from './log-matcher';
import { LogsToolbar } from './LogsToolbar';
import { LogView, type LogViewHandle } from './LogView';
import { LogsFooter } from './LogsFooter';
import { matchCountText } from './text-search';
import type { DetailTabProps } from './types';
import './detail.css';

/**
 * The Logs tab: the last `tail` lines, then (while the container runs) live lines as they come.
 * The stream lives while the tab is mounted; the buffer keeps the last 50,000 lines.
 */
export function LogsTab({ containerId, containerName, tty, running }: DetailTabProps) {
  const [store] = useState(() => createLogsStore());
  const status = useStore(store, (s) => s.status);
  const error = useStore(store, (s) => s.error);
  const version = useStore(store, (s) => s.version);
  const [tail, setTail] = useState<LogTailChoice>(1000);
  const [follow, setFollow] = useState(true);
  const [wrap, setWrap] = useState(false);
  const [showTs, setShowTs] = useState(false);
  const [query, setQuery] = useState('');
  const [, setStepTick] = useState(0);
  const viewRef = useRef<LogViewHandle>(null);
  const matcherRef = useRef<LogMatcher>(null);
  matcherRef.current ??= new LogMatcher();
  const matcher = matcherRef.current;

  const open = useCallback(() => store.getState().open({ id: containerId, tail, follow: running }), [store, containerId, tail, running]);
  useEffect(() => {
    open();
    return () => store.getState().close();
  }, [open, store]);

  // Incremental: only lines that arrived since the last render are scanned.
  matcher.update(store.buffer, query);
  const currentMatch = matcher.current >= 0 ? (matcher.matches[matcher.current] ?? null) : null;

  const step = (dir: 1 | -1) => {
    const m = matcher.step(dir);
    setStepTick((t) => t + 1);
    if (!m) return;
    const index = store.buffer.indexOfSeq(m.seq);
    if (index < 0) return;
    setFollow(false);
    viewRef.current?.reveal(index);
  };

  const buffer = store.buffer;
  const empty = buffer.length === 0;
  return (
    <div className="dtab-tab logs-tab" data-testid="logs-tab">
      <div className="dtab-toolbar">
        <DetailSearch
          label="Search the logs"
          value={query}
          onChange={setQuery}
          onStep={step}
          hasMatches={matcher.matches.length > 0}
          countText={matchCountText(matcher.current, matcher.matches.length, matcher.capped)}
        />
        <LogsToolbar
          containerId={containerId}
          containerName={containerName}
          follow={follow}
          onFollow={setFollow}
          showTs={showTs}
          onShowTs={setShowTs}
          wrap={wrap}
          onWrap={setWrap}
          tail={tail}
          onTail={setTail}
        />
      </div>
      {status === 'error' && error && <ErrorBanner title="Could not read the logs" error={error} onRetry={open} />}
      {empty && status !== 'error' ? (
        <div className="dtab-fill">
          {status === 'loading' ? (
            <div className="dtab-loading">
              <Spinner /> Reading the logs…
            </div>
          ) : status === 'streaming' ? (
            <EmptyState title="No output yet">
              {containerName} has not written anything to stdout or stderr{tail === 'all' ? '' : ' recently'}. New lines appear here as they are written.
            </EmptyState>
          ) : status === 'ended' ? (
            <EmptyState title="No output">
              {containerName} has not written anything to stdout or stderr{running ? '' : '. Start it to see what it prints'}.
            </EmptyState>
          ) : null}
        </div>
      ) : (
        !empty && (
          <LogView
            ref={viewRef}
            buffer={buffer}
            version={version}
            label={`Logs of ${containerName}`}
            wrap={wrap}
            showTs={showTs}
            needle={query.toLowerCase()}
            current={currentMatch}
            follow={follow}
            onFollowChange={setFollow}
          />
        )
      )}
      <LogsFooter buffer={buffer} status={status} running={running} tty={tty} />
    </div>
  );
}
