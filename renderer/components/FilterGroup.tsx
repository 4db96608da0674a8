import { useRef, type KeyboardEvent } from 'react';

export interface FilterOption<T extends string> {
  id: T;
  label: string;
}

/**
 * A segmented radio group of list filters with counts ("All 12 · Running 3 · Stopped 9").
 * Arrow keys move and select, as in any radio group; only the checked option is in the tab order.
 */
export function FilterGroup<T extends string>({
  label,
  options,
  value,
  counts,
  onChange,
}: {
  /** What the group filters, for screen readers: "Show containers". */
  label: string;
  options: readonly FilterOption<T>[];
  value: T;
  counts: Record<T, number>;
  onChange(next: T): void;
}) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const onKeyDown = (e: KeyboardEvent) => {
    const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!d || options.length === 0) return;
    e.preventDefault();
    const i = options.findIndex((o) => o.id === value);
    const next = (options[(i + d + options.length) % options.length] as FilterOption<T>).id;
    onChange(next);
    refs.current.get(next)?.focus();
  };
  return (
    <div className="filter-group" role="radiogroup" aria-label={label} onKeyDown={onKeyDown}>
      {options.map((o) => (
        <button
          key={o.id}
          ref={(el) => {
            if (el) refs.current.set(o.id, el);
            else refs.current.delete(o.id);
          }}
          type="button"
          role="radio"
          aria-checked={value === o.id}
          tabIndex={value === o.id ? 0 : -1}
          className="filter-group-item"
          onClick={() => onChange(o.id)}
        >
          {o.label}
          <span className="filter-group-count">{counts[o.id]}</span>
        </button>
      ))}
    </div>
  );
}
