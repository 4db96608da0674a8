import type { Ref } from 'react';
import { IconArrowDown, IconArrowUp, IconButton, SearchInput } from '../../components';

interface Props {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Move to the next (1) or previous (-1) match. */
  onStep(dir: 1 | -1): void;
  /** "3 of 17", "No matches"; announced politely. */
  countText: string;
  hasMatches: boolean;
  ref?: Ref<HTMLInputElement>;
}

/** A search box with previous/next buttons and a match count; Enter = next, Shift+Enter = previous. */
export function DetailSearch({ label, value, onChange, onStep, countText, hasMatches, ref }: Props) {
  return (
    <div className="dtab-search" role="search" aria-label={label}>
      <SearchInput
        ref={ref}
        label={label}
        value={value}
        onChange={onChange}
        className="dtab-search-input"
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          onStep(e.shiftKey ? -1 : 1);
        }}
      />
      <IconButton size="sm" label="Previous match (Shift+Enter)" icon={<IconArrowUp />} disabled={!hasMatches} onClick={() => onStep(-1)} />
      <IconButton size="sm" label="Next match (Enter)" icon={<IconArrowDown />} disabled={!hasMatches} onClick={() => onStep(1)} />
      <span className="dtab-search-count" role="status" aria-live="polite" data-testid="search-count">
        {value ? countText : ''}
      </span>
    </div>
  );
}
