import { useRef, type KeyboardEvent } from 'react';
import type { ImageFilter } from '../../../app/contract/images';
import { Button, IconTrash, SearchInput } from '../../components';
import { FILTERS } from './model';

/** All / in use / unused / dangling as a radio group with counts (arrow keys move between them). */
export function FilterGroup({ value, counts, onChange }: { value: ImageFilter; counts: Record<ImageFilter, number>; onChange(f: ImageFilter): void }) {
  const refs = useRef(new Map<ImageFilter, HTMLButtonElement>());
  const onKeyDown = (e: KeyboardEvent) => {
    const i = FILTERS.findIndex((f) => f.id === value);
    const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const next = (FILTERS[(i + d + FILTERS.length) % FILTERS.length] as (typeof FILTERS)[number]).id;
    onChange(next);
    refs.current.get(next)?.focus();
  };
  return (
    <div className="img-filter" role="radiogroup" aria-label="Show images" onKeyDown={onKeyDown}>
      {FILTERS.map((f) => (
        <button
          key={f.id}
          ref={(el) => {
            if (el) refs.current.set(f.id, el);
            else refs.current.delete(f.id);
          }}
          type="button"
          role="radio"
          aria-checked={value === f.id}
          tabIndex={value === f.id ? 0 : -1}
          className="img-filter-item"
          onClick={() => onChange(f.id)}
        >
          {f.label}
          <span className="img-filter-count">{counts[f.id]}</span>
        </button>
      ))}
    </div>
  );
}

export function ImagesToolbar({
  filter,
  counts,
  onFilter,
  query,
  onQuery,
  selected,
  onRemoveSelected,
  onSaveSelected,
  onClearSelection,
}: {
  filter: ImageFilter;
  counts: Record<ImageFilter, number>;
  onFilter(f: ImageFilter): void;
  query: string;
  onQuery(q: string): void;
  selected: number;
  onRemoveSelected(): void;
  onSaveSelected(): void;
  onClearSelection(): void;
}) {
  return (
    <>
      <FilterGroup value={filter} counts={counts} onChange={onFilter} />
      <SearchInput className="page-search" label="Filter images" placeholder="Filter by name, tag, ID, label…" value={query} onChange={onQuery} />
      {selected > 0 && (
        <div className="bulk-bar" role="group" aria-label="Selected images">
          <span className="bulk-count" aria-live="polite">
            {selected} selected
          </span>
          <Button size="sm" variant="danger" icon={<IconTrash />} onClick={onRemoveSelected}>
            Remove selected
          </Button>
          <Button size="sm" onClick={onSaveSelected}>
            Save selected…
          </Button>
          <Button size="sm" variant="ghost" onClick={onClearSelection}>
            Clear selection
          </Button>
        </div>
      )}
    </>
  );
}
