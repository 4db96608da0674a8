import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ImageFilter, ImageSummary } from '../../../app/contract/images';
import { Button, EmptyState, IconImages, ListPage, VirtualTable, useSelection, type RowActionContext } from '../../components';
import { whenIdle } from '../../lib/lazy-part';
import { useDetailPanel, useListView } from '../../lib/use-list';
import { useCommands } from '../../stores/commands';
import { useImages } from '../../stores/images';
import { openRunDialog, preloadRunDialog, RunDialog } from '../run';
import './images.css';
import { BuildDialog } from './BuildDialog';
import { imageColumns } from './columns';
import { IconBuild, IconPull } from './icons';
import { ImagePanel, type ImageActions } from './ImagePanel';
import { countsByFilter, FILTERS, imageSearch, matchesFilter, primaryName, targetOf } from './model';
import { PruneImagesDialog } from './PruneImagesDialog';
import { PullDialog } from './PullDialog';
import { PushDialog } from './PushDialog';
import { ConvertDialog } from './ConvertDialog';
import { useLazyPull } from './use-lazy-pull';
import { RemoveImagesDialog } from './RemoveImagesDialog';
import { ImageRowActions } from './RowActions';
import { LoadDialog, SaveDialog } from './SaveLoadDialogs';
import { Summary } from './Summary';
import { TagDialog } from './TagDialog';
import { ImagesToolbar } from './Toolbar';

type DialogState =
  | null
  | { kind: 'pull' | 'build' | 'prune' | 'load' }
  | { kind: 'push' | 'tag' | 'convert'; id: string }
  | { kind: 'remove' | 'save'; ids: string[] };

const EMPTY_FILTER_TEXT: Record<ImageFilter, string> = {
  all: 'No images.',
  inUse: 'No image is used by a container.',
  unused: 'Every image is used by a container.',
  dangling: 'No dangling images: nothing left behind by rebuilds or newer pulls.',
};

const imageId = (i: ImageSummary) => i.id;
const dismissRowError = (id: string) => useImages.getState().dismissRowError(id);

/** Images: filters, search, totals, pull / build / push / tag / remove / prune / save / load, details. */
export function ImagesPage() {
  const view = useListView(useImages);
  const { rows, byId, pending, refreshing, neverLoaded } = view;
  const { activeId, setActiveId, panelOpen, openPanel, closePanel } = useDetailPanel();
  const [filter, setFilter] = useState<ImageFilter>('all');
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<DialogState>(null);
  const lazyPull = useLazyPull();

  const counts = useMemo(() => countsByFilter(rows), [rows]);
  // Searched through the index (typing on narrows the last matches; erasing reuses earlier answers).
  const filtered = useMemo(() => imageSearch.filter(rows, query).filter((i) => matchesFilter(i, filter)), [rows, filter, query]);
  const ids = useMemo(() => filtered.map((i) => i.id), [filtered]);
  const [selected, setSelected] = useSelection(ids);
  const active = activeId ? byId[activeId] : undefined;
  const compact = panelOpen && active !== undefined;
  const columns = useMemo(() => imageColumns(compact), [compact]);

  const actions: ImageActions = useMemo(
    () => ({
      run: (img) => openRunDialog({ image: targetOf(img) }),
      push: (img) => setDialog({ kind: 'push', id: img.id }),
      tag: (img) => setDialog({ kind: 'tag', id: img.id }),
      save: (img) => setDialog({ kind: 'save', ids: [img.id] }),
      remove: (img) => setDialog({ kind: 'remove', ids: [img.id] }),
      ...(lazyPull ? { convert: (img: ImageSummary) => setDialog({ kind: 'convert', id: img.id }) } : {}),
    }),
    [lazyPull],
  );
  const open = (kind: 'pull' | 'build' | 'prune' | 'load') => setDialog({ kind });

  // Each row's Run opens the Run dialog: its chunk loads once the list has painted, so the first opening shows at once.
  const shown = rows.length > 0;
  useEffect(() => (shown ? whenIdle(() => void preloadRunDialog()) : undefined), [shown]);
  const showDetails = useCallback((img: ImageSummary) => openPanel(img.id), [openPanel]);
  // The same function while nothing it uses changes: a keystroke in the filter does not render every row again (rows are memoized).
  const rowActions = useCallback(
    (img: ImageSummary, ctx: RowActionContext) => <ImageRowActions img={img} tabIndex={ctx.tabIndex} actions={actions} onDetails={() => showDetails(img)} compact={compact} />,
    [actions, showDetails, compact],
  );
  // The first keystroke in the filter box only compares strings: the index is built when the box gets focus.
  const prepareSearch = useCallback(() => imageSearch.prepare(rows), [rows]);

  useCommands(
    [
      { id: 'images.pull', title: 'Pull an image…', group: 'Images', keywords: ['download', 'registry'], run: () => open('pull') },
      { id: 'images.build', title: 'Build an image…', group: 'Images', keywords: ['dockerfile', 'folder'], run: () => open('build') },
      { id: 'images.prune', title: 'Prune images…', group: 'Images', keywords: ['clean', 'dangling', 'unused', 'space'], run: () => open('prune') },
      { id: 'images.load', title: 'Load images from a file…', group: 'Images', keywords: ['import', 'tar'], run: () => open('load') },
    ],
    [],
  );

  const images = (list: readonly string[]) => list.map((id) => byId[id]).filter((i): i is ImageSummary => i !== undefined);
  const dialogImage = dialog && 'id' in dialog ? byId[dialog.id] : undefined;

  const list = (
    <div className="split">
      <VirtualTable
        rows={filtered}
        rowId={imageId}
        columns={columns}
        label="Images"
        rowLabel={primaryName}
        selected={selected}
        onSelectedChange={setSelected}
        defaultSort={{ column: 'created', direction: 'desc' }}
        pending={pending}
        onDismissRowError={dismissRowError}
        activeId={activeId}
        onActiveChange={setActiveId}
        onActivate={showDetails}
        onRowKeyDown={(e, img) => {
          if (e.key !== 'Delete') return;
          e.preventDefault();
          setDialog({ kind: 'remove', ids: selected.size > 0 ? [...selected] : [img.id] });
        }}
        actionsWidth={compact ? '3.5rem' : '8.5rem'}
        minWidth={compact ? undefined : '52rem'}
        rowActions={rowActions}
        filterKey={`${filter}\n${query}`}
        empty={<p className="muted img-no-match">{query ? `No image matches “${query}”${filter !== 'all' ? ` among ${FILTERS.find((f) => f.id === filter)?.label.toLowerCase()} images` : ''}.` : EMPTY_FILTER_TEXT[filter]}</p>}
      />
      {panelOpen && active && <ImagePanel image={active} actions={actions} onClose={closePanel} />}
    </div>
  );

  return (
    <ListPage
      store={useImages}
      view={view}
      noun="images"
      title="Images"
      subtitle={!neverLoaded && <Summary all={rows} shown={filtered} filtered={filter !== 'all' || query !== ''} refreshing={refreshing} />}
      actions={
        <>
          <Button onClick={() => open('load')}>Load…</Button>
          <Button onClick={() => open('prune')} disabled={neverLoaded}>
            Prune…
          </Button>
          <Button icon={<IconBuild />} onClick={() => open('build')}>
            Build…
          </Button>
          <Button variant="primary" icon={<IconPull />} onClick={() => open('pull')}>
            Pull…
          </Button>
        </>
      }
      toolbar={
        rows.length > 0 && (
          <ImagesToolbar
            filter={filter}
            counts={counts}
            onFilter={setFilter}
            query={query}
            onQuery={setQuery}
            onSearchFocus={prepareSearch}
            selected={selected.size}
            onRemoveSelected={() => setDialog({ kind: 'remove', ids: [...selected] })}
            onSaveSelected={() => setDialog({ kind: 'save', ids: [...selected] })}
            onClearSelection={() => setSelected(new Set())}
          />
        )
      }
      empty={
        <EmptyState
          icon={<IconImages />}
          title="No images yet"
          action={
            <div className="img-empty-actions">
              <Button variant="primary" icon={<IconPull />} onClick={() => open('pull')}>
                Pull an image
              </Button>
              <Button icon={<IconBuild />} onClick={() => open('build')}>
                Build from a folder
              </Button>
            </div>
          }
        >
          An image is the template a container starts from. Pull one from a registry (for example <code>nginx:alpine</code>), build one from a folder
          with a Dockerfile, or load one from a file saved earlier.
        </EmptyState>
      }
      dialogs={
        <>
          {dialog?.kind === 'pull' && <PullDialog onClose={() => setDialog(null)} />}
          {dialog?.kind === 'build' && <BuildDialog onClose={() => setDialog(null)} />}
          {dialog?.kind === 'prune' && <PruneImagesDialog onClose={() => setDialog(null)} />}
          {dialog?.kind === 'load' && <LoadDialog onClose={() => setDialog(null)} />}
          {dialog?.kind === 'push' && dialogImage && <PushDialog image={dialogImage} onClose={() => setDialog(null)} onTag={() => setDialog({ kind: 'tag', id: dialogImage.id })} />}
          {dialog?.kind === 'tag' && dialogImage && <TagDialog image={dialogImage} onClose={() => setDialog(null)} />}
          {dialog?.kind === 'convert' && dialogImage && <ConvertDialog image={dialogImage} onClose={() => setDialog(null)} />}
          {dialog?.kind === 'remove' && (
            <RemoveImagesDialog
              images={images(dialog.ids)}
              onClose={() => setDialog(null)}
              onRemoved={(gone) => setSelected(new Set([...selected].filter((id) => !gone.includes(id))))}
            />
          )}
          {dialog?.kind === 'save' && <SaveDialog images={images(dialog.ids)} onClose={() => setDialog(null)} />}
          <RunDialog />
        </>
      }
    >
      {list}
    </ListPage>
  );
}
