import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ContainerSummary } from '../../../app/contract/containers';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { IconPlay } from '../../components/Icons';
import { Page } from '../../components/Page';
import { Spinner } from '../../components/Spinner';
import { useSelection } from '../../components/VirtualTable';
import { useEntityRows } from '../../lib/entity-store';
import { whenIdle } from '../../lib/lazy-part';
import { useListedContainers } from './toolboxes';
import { navigate, useRoute } from '../../lib/router';
import { loadContainersOnMount, useContainers } from '../../stores/containers';
import { useActiveEngine } from '../../stores/engines';
import { useContainerStats } from '../../stores/containers-stats';
import { useCommands } from '../../stores/commands';
import { badgesAhead } from '../../stores/security';
import { openRunDialog, preloadRunDialog, RunDialog } from '../run';
import { ContainerList } from './ContainerList';
import { ContainerDetail, preloadContainerDetail } from './detail/lazy';
import { isDetailTab, type DetailTabId } from './detail/tabs';
import { containersInView, gridWindow, showWhenBadges } from './badges-ahead';
import { EngineAway, NoContainers, NoMatch } from './empty';
import { buildRows, containerSearch, counts, shownContainers } from './model';
import { RemoveConfirm } from './remove-confirm';
import { ContainersToolbar } from './Toolbar';
import { useContainersView } from './view-store';
import { followOutage, useOutage } from './outage';
import './containers.css';

const NO_STATS = {};
/** A typed filter's new rows wait this long at most for their badges (showWhenBadges). */
const HOLD_MS = 30;

/** `#/containers` lists; `#/containers/<id>/<tab>` also shows that container's details. */
export function ContainersPage() {
  const route = useRoute();
  const detailId = route.segments[1] ?? null;
  const detailTab: DetailTabId = isDetailTab(route.segments[2]) ? route.segments[2] : 'overview';

  const all = useListedContainers(useEntityRows(useContainers));
  const status = useContainers((s) => s.status);
  const error = useContainers((s) => s.error);
  const refreshing = useContainers((s) => s.refreshing);
  const view = useContainersView();
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void loadContainersOnMount();
  }, []);

  // Sorted by CPU or memory, the order follows the live figures (like top); otherwise stats do not touch the rows.
  const sortByStats = view.sort.column === 'cpu' || view.sort.column === 'memory';
  const stats = useContainerStats((s) => (sortByStats ? s.byId : NO_STATS));
  // The query the rows show: the typed one, held back (HOLD_MS at most) while the badges of the rows it mounts are asked.
  const [query, setQuery] = useState(view.query);
  const visible = useMemo(() => shownContainers(all, { filter: view.filter, query, sort: view.sort }, stats), [all, view.filter, query, view.sort, stats]);
  const visibleIds = useMemo(() => visible.map((c) => c.id), [visible]);
  const [selected, setSelected] = useSelection(visibleIds);
  const rows = useMemo(
    () => buildRows(all, { filter: view.filter, query, sort: view.sort, collapsed: view.collapsed, group: true }, stats),
    [all, view.filter, query, view.sort, view.collapsed, stats],
  );
  const byId = useMemo(() => new Map(all.map((c) => [c.id, c])), [all]);

  // A filter typed (or a state filter picked): the badges of the rows it will show are asked for at once, in the event
  // handler that changed it (see badgesAhead), and a typed query's rows are shown when they came (showWhenBadges).
  const listNow = useRef({ all, stats });
  useLayoutEffect(() => {
    listNow.current = { all, stats };
  });
  useEffect(
    () =>
      useContainersView.subscribe((v, prev) => {
        if (v.query === prev.query && v.filter === prev.filter) return;
        const w = gridWindow(document.querySelector<HTMLElement>('.ctr-table'));
        const { all: list, stats: figures } = listNow.current;
        const asked = w ? badgesAhead(containersInView(buildRows(list, { filter: v.filter, query: v.query, sort: v.sort, collapsed: v.collapsed, group: true }, figures), w)) : null;
        // A state filter shows its rows at once (it reads the view's filter); a typed query's rows wait for their badges,
        // then show the query typed by then (a later keystroke may have come meanwhile).
        if (v.query !== prev.query) showWhenBadges(asked, () => setQuery(useContainersView.getState().query), HOLD_MS);
      }),
    [],
  );
  const selectedRows = useMemo(() => [...selected].flatMap((id) => byId.get(id) ?? []), [selected, byId]);
  const [activeId, setActiveId] = useState<string | null>(detailId);
  useEffect(() => {
    if (detailId) setActiveId(detailId);
  }, [detailId]);

  const open = useCallback((c: ContainerSummary) => navigate('containers', c.id, detailTab), [detailTab]);
  const run = useCallback(() => openRunDialog({ onRun: (id) => setActiveId(id) }), []);

  useCommands(
    [
      { id: 'containers.run', title: 'Run a container…', group: 'Containers', keywords: ['new', 'start', 'create', 'docker run'], run },
      { id: 'containers.filter.running', title: 'Show running containers', group: 'Containers', run: () => view.setFilter('running') },
      { id: 'containers.filter.stopped', title: 'Show stopped containers', group: 'Containers', run: () => view.setFilter('stopped') },
      { id: 'containers.filter.all', title: 'Show all containers', group: 'Containers', run: () => view.setFilter('all') },
      { id: 'containers.search', title: 'Filter containers…', group: 'Containers', keywords: ['search', 'find'], run: () => searchRef.current?.focus() },
    ],
    [run],
  );

  // The Run dialog and the detail pane load once the list has painted (not before: the first rows come first).
  const shown = all.length > 0;
  useEffect(() => {
    if (!shown) return;
    return whenIdle(() => {
      void preloadContainerDetail();
      void preloadRunDialog();
    });
  }, [shown]);

  // The frame already says the engine is down (with why and a retry): do not say it twice.
  useEffect(() => followOutage(), []);
  const outage = useOutage((s) => s.outage);
  const activeDown = useActiveEngine()?.status === 'down';
  const engineDown = outage !== null || (activeDown && error?.code === 'ENGINE_UNREACHABLE');
  const c = useMemo(() => counts(all), [all]);
  // The first keystroke in the filter box only compares strings: the index is built when the box gets focus.
  const prepareSearch = useCallback(() => containerSearch.prepare(all), [all]);
  const firstLoad = status === 'loading' && all.length === 0;
  const body = firstLoad ? (
    <div className="ctr-loading" role="status">
      <Spinner size="md" /> Loading containers…
    </div>
  ) : status === 'error' && all.length === 0 ? (
    engineDown ? <EngineAway /> : null
  ) : all.length === 0 ? (
    <NoContainers onRun={run} />
  ) : (
    <div className={detailId ? 'ctr-split has-detail' : 'ctr-split'}>
      <div className="ctr-list">
        <ContainerList
          rows={rows}
          selected={selected}
          onSelectedChange={setSelected}
          activeId={activeId}
          onActiveChange={setActiveId}
          onOpen={open}
          compact={detailId !== null}
          empty={<NoMatch />}
          filterKey={`${view.filter}\n${query}`}
        />
      </div>
      {detailId && (
        <ContainerDetail
          key={detailId}
          id={detailId}
          tab={detailTab}
          summary={byId.get(detailId)}
          onTab={(t) => navigate('containers', detailId, t)}
          onClose={() => {
            navigate('containers');
            // Back to the list, on the row that was open.
            requestAnimationFrame(() => document.querySelector<HTMLElement>('.ctr-table')?.focus());
          }}
          onReplaced={(newId) => navigate('containers', newId, 'overview')}
        />
      )}
    </div>
  );

  return (
    <Page
      title="Containers"
      subtitle={
        status === 'ready' || all.length > 0 ? (
          <span aria-live="polite">
            {outage ? 'as last seen: ' : ''}
            {c.running} running · {c.all} total{refreshing ? ' · refreshing…' : ''}
          </span>
        ) : undefined
      }
      actions={
        <Button variant="primary" icon={<IconPlay />} onClick={run}>
          Run a container
        </Button>
      }
      toolbar={all.length > 0 ? <ContainersToolbar counts={c} selected={selectedRows} onClearSelection={() => setSelected(new Set())} searchRef={searchRef} onSearchFocus={prepareSearch} /> : undefined}
      banners={
        engineDown ? (
          all.length > 0 ? (
            <p className="ctr-stale" role="status" data-testid="ctr-outage">
              The engine is not reachable{outage ? ` since ${new Date(outage.since).toLocaleTimeString()}` : ''}: these are the containers as last seen, and
              their actions come back when it does.
            </p>
          ) : undefined
        ) : error ? (
          <ErrorBanner
            title={all.length > 0 ? 'Could not refresh the containers; showing the last known list' : 'Could not list the containers'}
            tone={all.length > 0 ? 'warning' : 'error'}
            error={error}
            onRetry={() => void useContainers.getState().load()}
            retrying={status === 'loading' || refreshing}
          />
        ) : undefined
      }
    >
      {body}
      <RemoveConfirm />
      <RunDialog />
    </Page>
  );
}
