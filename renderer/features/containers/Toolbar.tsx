import { useState, type Ref } from 'react';
import type { ContainerSummary } from '../../../app/contract/containers';
import { Button } from '../../components/Button';
import { FilterGroup } from '../../components/FilterGroup';
import { SearchInput } from '../../components/SearchInput';
import { IconPlay, IconRefresh, IconStop, IconTrash } from '../../components/Icons';
import { containersBulk } from '../../stores/containers';
import { isUp, type StateFilter } from './model';
import { askRemove } from './remove-confirm';
import { useContainersView } from './view-store';
import { outageReason, useOutage } from './outage';
import { ColumnsDialog } from './ColumnsDialog';

const FILTERS: { id: StateFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'running', label: 'Running' },
  { id: 'stopped', label: 'Stopped' },
];

/** All / running / stopped (arrow keys move between them). */
function StateFilterGroup({ counts }: { counts: Record<StateFilter, number> }) {
  const filter = useContainersView((s) => s.filter);
  const setFilter = useContainersView((s) => s.setFilter);
  return <FilterGroup label="Show containers" options={FILTERS} value={filter} counts={counts} onChange={setFilter} />;
}

function BulkActions({ selected, onClear }: { selected: ContainerSummary[]; onClear(): void }) {
  const ids = (pred: (c: ContainerSummary) => boolean) => selected.filter(pred).map((c) => c.id);
  const stopped = ids((c) => !isUp(c));
  const running = ids((c) => c.state === 'running' || c.state === 'restarting');
  const why = outageReason(useOutage((s) => s.outage));
  return (
    <div className="ctr-bulk" role="group" aria-label="Selected containers">
      {why && (
        <span className="visually-hidden" id="ctr-bulk-why">
          {why}
        </span>
      )}
      <span className="ctr-bulk-count" aria-live="polite">
        {selected.length} selected
      </span>
      <Button size="sm" icon={<IconPlay />} disabled={stopped.length === 0 || why !== undefined} title={why} onClick={() => void containersBulk(stopped, 'start')}>
        Start
      </Button>
      <Button size="sm" icon={<IconStop />} disabled={running.length === 0 || why !== undefined} title={why} onClick={() => void containersBulk(running, 'stop')}>
        Stop
      </Button>
      <Button size="sm" icon={<IconRefresh />} disabled={why !== undefined} title={why} onClick={() => void containersBulk(selected.map((c) => c.id), 'restart')}>
        Restart
      </Button>
      <Button size="sm" icon={<IconTrash />} className="ctr-bulk-remove" disabled={why !== undefined} title={why} onClick={() => askRemove(selected)}>
        Remove
      </Button>
      <Button size="sm" variant="ghost" onClick={onClear}>
        Clear selection
      </Button>
    </div>
  );
}

export interface ToolbarProps {
  counts: Record<StateFilter, number>;
  selected: ContainerSummary[];
  onClearSelection(): void;
  searchRef?: Ref<HTMLInputElement>;
  /** The filter box got focus (the page readies its search index then). */
  onSearchFocus?(): void;
}

export function ContainersToolbar({ counts, selected, onClearSelection, searchRef, onSearchFocus }: ToolbarProps) {
  const query = useContainersView((s) => s.query);
  const setQuery = useContainersView((s) => s.setQuery);
  return (
    <>
      <StateFilterGroup counts={counts} />
      <SearchInput ref={searchRef} className="ctr-search" value={query} onChange={setQuery} label="Filter containers" placeholder="Filter by name, image, id or label…" onFocus={onSearchFocus} />
      {selected.length > 0 && <BulkActions selected={selected} onClear={onClearSelection} />}
      <ColumnsButton />
    </>
  );
}

/** Opens the columns dialog (choose and order the table's columns). */
function ColumnsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="ghost" className="ctr-columns-btn" onClick={() => setOpen(true)}>
        Columns…
      </Button>
      {open && <ColumnsDialog onClose={() => setOpen(false)} />}
    </>
  );
}
