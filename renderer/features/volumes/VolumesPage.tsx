import { useMemo, useState } from 'react';
import type { VolumeSummary } from '../../../app/contract/volumes';
import { Button, EmptyState, ErrorBanner, IconButton, IconInfo, IconPlus, IconTrash, IconVolumes, ListPage, SearchInput, Spinner, VirtualTable, useSelection } from '../../components';
import { useDetailPanel, useListView } from '../../lib/use-list';
import { useCommands } from '../../stores/commands';
import { useVolumes, useVolumeSizeError } from '../../stores/volumes';
import { volumeColumns } from './columns';
import { CreateVolumeDialog } from './CreateVolumeDialog';
import { PruneVolumesDialog } from './PruneVolumesDialog';
import { RemoveVolumesDialog } from './RemoveVolumesDialog';
import { VolumePanel } from './VolumePanel';
import { formatBytes, labelStrings, matchesQuery, plural } from '../../lib/format';

type DialogState = null | { kind: 'create' } | { kind: 'prune' } | { kind: 'remove'; names: string[] };

const searchable = (v: VolumeSummary) => [v.name, v.driver, v.mountpoint, ...v.usedBy.map((u) => u.name), ...labelStrings(v.labels)];

function summary(rows: readonly VolumeSummary[], sizesOk: boolean): string {
  const known = rows.filter((v) => v.size !== null);
  const total = known.reduce((a, v) => a + (v.size ?? 0), 0);
  const count = plural(rows.length, 'volume');
  if (!sizesOk || rows.length === 0) return count;
  return known.length === rows.length ? `${count} · ${formatBytes(total)}` : `${count} · ${formatBytes(total)} (${known.length} sized)`;
}

/** Volumes: used-by and size, search, create, remove (one or many), prune with a preview. */
export function VolumesPage() {
  const view = useListView(useVolumes);
  const { rows, byId, pending, refreshing, neverLoaded } = view;
  const sizeError = useVolumeSizeError((s) => s.sizeError);
  const sizesOk = sizeError === null;

  const { activeId, setActiveId, panelOpen, openPanel, closePanel } = useDetailPanel();
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<DialogState>(null);

  const filtered = useMemo(() => (query ? rows.filter((v) => matchesQuery(query, searchable(v))) : rows), [rows, query]);
  const ids = useMemo(() => filtered.map((v) => v.name), [filtered]);
  const [selected, setSelected] = useSelection(ids);
  const names = useMemo(() => new Set(rows.map((v) => v.name)), [rows]);
  const active = activeId ? rows.find((v) => v.name === activeId) : undefined;
  const compact = panelOpen && active !== undefined;
  const columns = useMemo(() => volumeColumns(activeId, sizesOk, compact), [activeId, sizesOk, compact]);

  useCommands(
    [
      { id: 'volumes.create', title: 'Create a volume…', group: 'Volumes', keywords: ['new', 'add'], run: () => setDialog({ kind: 'create' }) },
      { id: 'volumes.prune', title: 'Prune unused volumes…', group: 'Volumes', keywords: ['clean', 'remove', 'space'], run: () => setDialog({ kind: 'prune' }) },
    ],
    [],
  );

  const askRemove = (list: string[]) => list.length > 0 && setDialog({ kind: 'remove', names: list });

  const list = (
    <div className="split">
      <VirtualTable
        rows={filtered}
        rowId={(v) => v.name}
        columns={columns}
        label="Volumes"
        rowLabel={(v) => v.name}
        selected={selected}
        onSelectedChange={setSelected}
        defaultSort={{ column: 'name', direction: 'asc' }}
        pending={pending}
        onDismissRowError={(id) => useVolumes.getState().dismissRowError(id)}
        activeId={activeId}
        onActiveChange={setActiveId}
        onActivate={(v) => openPanel(v.name)}
        onRowKeyDown={(e, v) => {
          if (e.key !== 'Delete') return;
          e.preventDefault();
          askRemove(selected.size > 0 ? [...selected] : [v.name]);
        }}
        actionsWidth="4rem"
        rowActions={(v, ctx) => (
          <>
            <IconButton
              label={`Show details of ${v.name}`}
              icon={<IconInfo />}
              size="sm"
              tabIndex={ctx.tabIndex}
              onClick={() => openPanel(v.name)}
            />
            <IconButton label={`Remove volume ${v.name}`} icon={<IconTrash />} size="sm" variant="danger" tabIndex={ctx.tabIndex} onClick={() => askRemove([v.name])} />
          </>
        )}
        empty={<p className="muted">No volume matches “{query}”.</p>}
      />
      {panelOpen && active && <VolumePanel volume={active} sizesOk={sizesOk} onClose={closePanel} onRemove={() => askRemove([active.name])} />}
    </div>
  );

  return (
    <ListPage
      store={useVolumes}
      view={view}
      noun="volumes"
      title="Volumes"
      subtitle={
        !neverLoaded && (
          <span data-testid="volumes-summary">
            {summary(rows, sizesOk)}
            {refreshing && <Spinner />}
          </span>
        )
      }
      actions={
        <>
          <Button onClick={() => setDialog({ kind: 'prune' })} disabled={neverLoaded}>
            Prune…
          </Button>
          <Button variant="primary" icon={<IconPlus />} onClick={() => setDialog({ kind: 'create' })}>
            Create volume
          </Button>
        </>
      }
      toolbar={
        rows.length > 0 && (
          <>
            <SearchInput className="page-search" label="Filter volumes" placeholder="Filter by name, driver, container, label…" value={query} onChange={setQuery} />
            {selected.size > 0 && (
              <div className="bulk-bar" role="group" aria-label="Selected volumes">
                <span className="bulk-count">{selected.size} selected</span>
                <Button size="sm" variant="danger" icon={<IconTrash />} onClick={() => askRemove([...selected])}>
                  Remove selected
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
                  Clear selection
                </Button>
              </div>
            )}
          </>
        )
      }
      banners={
        sizeError &&
        !neverLoaded && <ErrorBanner tone="warning" error={sizeError} title="Volume sizes are unavailable" onRetry={() => void useVolumes.getState().load()} retrying={refreshing} />
      }
      empty={
        <EmptyState
          icon={<IconVolumes />}
          title="No volumes yet"
          action={
            <Button variant="primary" icon={<IconPlus />} onClick={() => setDialog({ kind: 'create' })}>
              Create a volume
            </Button>
          }
        >
          A volume keeps data after its container is gone: databases, uploads, caches. Create one here and mount it when you run a
          container, or run a container with <code>-v name:/path</code> and the volume appears here.
        </EmptyState>
      }
      dialogs={
        <>
          <CreateVolumeDialog open={dialog?.kind === 'create'} onClose={() => setDialog(null)} existing={names} />
          <PruneVolumesDialog open={dialog?.kind === 'prune'} onClose={() => setDialog(null)} />
          <RemoveVolumesDialog
            names={dialog?.kind === 'remove' ? dialog.names : null}
            volumes={byId}
            onClose={() => setDialog(null)}
            onRemoved={(gone) => setSelected(new Set([...selected].filter((n) => !gone.includes(n))))}
          />
        </>
      }
    >
      {list}
    </ListPage>
  );
}
