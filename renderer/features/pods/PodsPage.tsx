import { useEffect, useMemo, useState } from 'react';
import { toErrorShape } from '../../lib/errors';
import type { ErrorShape } from '../../../app/contract/errors';
import type { PodRow } from '../../../app/contract/pods';
import { Button, ConfirmDialog, EmptyState, ErrorBanner, IconButton, IconInfo, IconPlus, IconPods, IconTrash, Page, SearchInput, Spinner, VirtualTable, type SortState } from '../../components';
import { sortRows } from '../../components/VirtualTable';
import { plural } from '../../lib/format';
import { SearchIndex } from '../../lib/search-index';
import { IconTerminal } from '../terminals';
import { ApplyDialog } from './ApplyDialog';
import { Forwards } from './Forwards';
import { podColumns } from './columns';
import { PodPanel } from './PodPanel';
import { deletePod, followPods, openPodTerminal, usePods } from './store';
import './pods.css';

/** Each pod's searchable text, built once per row object (the store keeps unchanged rows' objects). */
const podSearch = new SearchIndex<PodRow>((p) => [p.name, p.namespace, p.status, p.node, p.ip]);
const podId = (p: PodRow) => p.id;

/** Pods of the kubeconfig's cluster, live (one list+watch in the core), with kubectl's columns. */
export function PodsPage() {
  const { rows, namespaces, namespace, watch, forwards, loaded, error, setNamespace } = usePods();
  useEffect(() => followPods(), []);
  const [query, setQuery] = useState('');
  const [activeId, setActiveId] = useState<string | null>(null);
  const [panelId, setPanelId] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<PodRow | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<ErrorShape | null>(null);
  const [applying, setApplying] = useState(false);

  const columns = useMemo(() => podColumns(!namespace), [namespace]);
  // Sorted once per list change or sort, then filtered: a keystroke only narrows, it never re-sorts.
  const [sort, setSort] = useState<SortState>({ column: 'name', direction: 'asc' });
  const sorted = useMemo(() => sortRows(rows, columns, sort), [rows, columns, sort]);
  const filtered = useMemo(() => podSearch.filter(sorted, query), [sorted, query]);
  const active = panelId ? rows.find((p) => p.id === panelId) : undefined;

  const confirmDelete = async () => {
    if (!toDelete) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await deletePod(toDelete.namespace, toDelete.name);
      if (panelId === toDelete.id) setPanelId(null);
      setToDelete(null);
    } catch (e) {
      setDeleteError(toErrorShape(e));
    } finally {
      setDeleting(false);
    }
  };

  // 'off' with an error is the no-cluster state below, not a watch that reconnects.
  const watchError = watch?.error && watch.state !== 'live' && watch.state !== 'off' ? watch.error : null;
  return (
    <Page
      title="Pods"
      subtitle={
        loaded && (
          <span data-testid="pods-summary">
            {plural(rows.length, 'pod')}
            {watch?.context ? ` · ${watch.context}` : ''}
            {watch && watch.state !== 'live' && watch.state !== 'off' && <> · {watch.state} <Spinner /></>}
          </span>
        )
      }
      actions={
        <Button variant="primary" icon={<IconPlus />} onClick={() => setApplying(true)} disabled={watch?.state === 'off'}>
          Apply YAML…
        </Button>
      }
      toolbar={
        <>
          <label className="pods-ns">
            Namespace{' '}
            <select aria-label="Namespace" className="input" value={namespace} onChange={(e) => setNamespace(e.target.value)}>
              <option value="">All namespaces</option>
              {[...new Set([...namespaces, ...(namespace ? [namespace] : [])])].map((ns) => (
                <option key={ns} value={ns}>{ns}</option>
              ))}
            </select>
          </label>
          <SearchInput className="page-search" label="Filter pods" placeholder="Filter by name, status, node, IP…" value={query} onChange={setQuery} />
        </>
      }
      banners={
        <>
          {error && <ErrorBanner error={error} title="Cannot list pods" onRetry={() => void usePods.getState().load()} />}
          {watchError && <ErrorBanner tone="warning" error={watchError} title="The pods watch is reconnecting; the list may be stale" />}
          <Forwards forwards={forwards} />
        </>
      }
    >
      {!loaded ? (
        <Spinner />
      ) : watch?.state === 'off' ? (
        <EmptyState
          icon={<IconPods />}
          title="No Kubernetes cluster"
          action={<Button onClick={() => void usePods.getState().load()}>Look again</Button>}
        >
          {(watch.error?.message ?? 'No kubeconfig is configured').replace(/[.!?]?$/, '.')} Choose a kubeconfig in Preferences, set <code>KUBECONFIG</code>, or turn Kubernetes on in
          the VM settings: Berth follows it without a restart.
        </EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState icon={<IconPods />} title="No pods">
          The cluster has no pods{namespace ? ` in ${namespace}` : ''} yet. Apply a Deployment to make some.
        </EmptyState>
      ) : (
        <div className="split">
          <VirtualTable
            rows={filtered}
            rowId={podId}
            columns={columns}
            label="Pods"
            rowLabel={(p) => p.name}
            manualSort
            sort={sort}
            onSortChange={setSort}
            activeId={activeId}
            onActiveChange={setActiveId}
            onActivate={(p) => setPanelId(p.id)}
            onRowKeyDown={(e, p) => {
              if (e.key !== 'Delete') return;
              e.preventDefault();
              setToDelete(p);
            }}
            actionsWidth="6rem"
            rowActions={(p, ctx) => (
              <>
                <IconButton
                  label={`Open a terminal in ${p.name}`}
                  icon={<IconTerminal />}
                  size="sm"
                  tabIndex={ctx.tabIndex}
                  disabled={p.phase !== 'Running' || p.deleting}
                  onClick={() => openPodTerminal(p.namespace, p.name)}
                />
                <IconButton label={`Show details of ${p.name}`} icon={<IconInfo />} size="sm" tabIndex={ctx.tabIndex} onClick={() => setPanelId(p.id)} />
                <IconButton label={`Delete pod ${p.name}`} icon={<IconTrash />} size="sm" variant="danger" tabIndex={ctx.tabIndex} onClick={() => setToDelete(p)} />
              </>
            )}
            empty={<p className="muted">No pod matches “{query}”.</p>}
          />
          {active && <PodPanel pod={active} onClose={() => setPanelId(null)} onDelete={() => setToDelete(active)} />}
        </div>
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title={`Delete pod ${toDelete?.name ?? ''}?`}
        items={toDelete ? [toDelete.id] : []}
        message="Its containers are stopped. A pod owned by a Deployment, ReplicaSet or Job is replaced by a new one."
        confirmLabel="Delete"
        busy={deleting}
        error={deleteError}
        onConfirm={() => void confirmDelete()}
        onCancel={() => (setToDelete(null), setDeleteError(null))}
      />
      <ApplyDialog open={applying} namespace={namespace} onClose={() => setApplying(false)} />
    </Page>
  );
}
