import type { ImageFilter } from '../../../app/contract/images';
import { Button, IconTrash, SearchInput } from '../../components';
import { FilterGroup } from '../../components/FilterGroup';
import { FILTERS } from './model';

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
  onSearchFocus,
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
  /** The filter box got focus (the page readies its search index then). */
  onSearchFocus?(): void;
}) {
  return (
    <>
      <FilterGroup label="Show images" options={FILTERS} value={filter} counts={counts} onChange={onFilter} />
      <SearchInput className="page-search" label="Filter images" placeholder="Filter by name, tag, ID, label…" value={query} onChange={onQuery} onFocus={onSearchFocus} />
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
