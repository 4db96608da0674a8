import { useRef, type KeyboardEvent, type Ref } from 'react';
import type { ContainerSummary } from '../../../app/contract/containers';
import { Button } from '../../components/Button';
import { SearchInput } from '../../components/SearchInput';
import { IconPlay, IconRefresh, IconStop, IconTrash } from '../../components/Icons';
import { containersBulk } from '../../stores/containers';
import { isUp, type StateFilter } from './model';
import { askRemove } from './remove-confirm';
import { useContainersView } from './view-store';

const FILTERS: { id: StateFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'running', label: 'Running' },
  { id: 'stopped', label: 'Stopped' },
];

/** All / running / stopped as a radio group (arrow keys move between them). */
function FilterGroup({ counts }: { counts: Record<StateFilter, number> }) {
  const filter = useContainersView((s) => s.filter);
  const setFilter = useContainersView((s) => s.setFilter);
  const refs = useRef(new Map<StateFilter, HTMLButtonElement>());
  const onKeyDown = (e: KeyboardEvent) => {
    const i = FILTERS.findIndex((f) => f.id === filter);
    const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const next = FILTERS[(i + d + FILTERS.length) % FILTERS.length]!.id;
    setFilter(next);
    refs.current.get(next)?.focus();
  };
  return (
    <div className="ctr-filter" role="radiogroup" aria-label="Show containers" onKeyDown={onKeyDown}>
      {FILTERS.map((f) => (
        <button
          key={f.id}
          ref={(el) => {
            if (el) refs.current.set(f.id, el);
          }}
          type="button"
          role="radio"
          aria-checked={filter === f.id}
          tabIndex={filter === f.id ? 0 : -1}
          className="ctr-filter-item"
          onClick={() => setFilter(f.id)}
        >
          {f.label}
          <span className="ctr-filter-count">{counts[f.id]}</span>
        </button>
      ))}
    </div>
  );
}

function BulkActions({ selected, onClear }: { selected: ContainerSummary[]; onClear(): void }) {
  const ids = (pred: (c: ContainerSummary) => boolean) => selected.filter(pred).map((c) => c.id);
  const stopped = ids((c) => !isUp(c));
  const running = ids((c) => c.state === 'running' || c.state === 'restarting');
  return (
    <div className="ctr-bulk" role="group" aria-label="Selected containers">
      <span className="ctr-bulk-count" aria-live="polite">
        {selected.length} selected
      </span>
      <Button size="sm" icon={<IconPlay />} disabled={stopped.length === 0} onClick={() => void containersBulk(stopped, 'start')}>
        Start
      </Button>
      <Button size="sm" icon={<IconStop />} disabled={running.length === 0} onClick={() => void containersBulk(running, 'stop')}>
        Stop
      </Button>
      <Button size="sm" icon={<IconRefresh />} onClick={() => void containersBulk(selected.map((c) => c.id), 'restart')}>
        Restart
      </Button>
      <Button size="sm" icon={<IconTrash />} className="ctr-bulk-remove" onClick={() => askRemove(selected)}>
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
}

export function ContainersToolbar({ counts, selected, onClearSelection, searchRef }: ToolbarProps) {
  const query = useContainersView((s) => s.query);
  const setQuery = useContainersView((s) => s.setQuery);
  return (
    <>
      <FilterGroup counts={counts} />
      <SearchInput ref={searchRef} className="ctr-search" value={query} onChange={setQuery} label="Filter containers" placeholder="Filter by name, image, id or label…" />
      {selected.length > 0 && <BulkActions selected={selected} onClear={onClearSelection} />}
    </>
  );
}
