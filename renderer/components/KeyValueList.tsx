import type { ReactNode } from 'react';
import { CopyButton } from './CopyButton';
import { cx } from './cx';

export interface KeyValueItem {
  key: string;
  value: ReactNode;
  /** Monospace (ids, paths, endpoints). */
  mono?: boolean;
  /** Adds a copy button for this text. */
  copy?: string;
}

/** Label/value pairs as a description list. Empty values show an em dash. */
export function KeyValueList({ items, className, dense = false }: { items: readonly KeyValueItem[]; className?: string; dense?: boolean }) {
  return (
    <dl className={cx('kv', dense && 'kv-dense', className)}>
      {items.map((it) => (
        <div className="kv-row" key={it.key}>
          <dt>{it.key}</dt>
          <dd className={cx(it.mono && 'mono')}>
            <span className="kv-value">{it.value === undefined || it.value === null || it.value === '' ? '—' : it.value}</span>
            {it.copy !== undefined && <CopyButton text={it.copy} label={`Copy ${it.key.toLowerCase()}`} />}
          </dd>
        </div>
      ))}
    </dl>
  );
}
