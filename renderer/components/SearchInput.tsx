import type { InputHTMLAttributes, Ref } from 'react';
import { IconButton } from './IconButton';
import { IconClose, IconSearch } from './Icons';
import { cx } from './cx';

export interface SearchInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> {
  value: string;
  onChange(value: string): void;
  /** The accessible name, e.g. "Filter containers". */
  label: string;
  ref?: Ref<HTMLInputElement>;
}

/** A filter box: Escape clears it (then blurs when already empty). */
export function SearchInput({ value, onChange, label, placeholder, className, onKeyDown, ref, ...rest }: SearchInputProps) {
  return (
    <div className={cx('search', className)}>
      <IconSearch className="search-icon" />
      <input
        ref={ref}
        type="search"
        className="input search-input"
        aria-label={label}
        placeholder={placeholder ?? `${label}…`}
        value={value}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          onKeyDown?.(e);
          if (e.defaultPrevented || e.key !== 'Escape') return;
          if (value) {
            e.preventDefault();
            e.stopPropagation();
            onChange('');
          } else {
            e.currentTarget.blur();
          }
        }}
        {...rest}
      />
      {value && <IconButton className="search-clear" label="Clear filter" icon={<IconClose />} size="sm" onClick={() => onChange('')} />}
    </div>
  );
}
