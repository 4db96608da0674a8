import type { VolumeSummary } from '../../../app/contract/volumes';
import type { Column } from '../../components';
import { href } from '../../lib/router';
import { formatBytes, fullDate, relativeTime } from '../../lib/format';

/** The containers using a volume, as links to their page (focusable only in the active row). */
export function UsedBy({ users, tabIndex }: { users: VolumeSummary['usedBy']; tabIndex: 0 | -1 }) {
  if (users.length === 0) return <span className="muted">Not used</span>;
  return (
    <span className="used-by" title={users.map((u) => u.name).join(', ')}>
      {users.map((u, i) => (
        <span key={u.id}>
          {i > 0 && ', '}
          <a href={href('containers', u.id)} tabIndex={tabIndex}>
            {u.name}
          </a>
        </span>
      ))}
    </span>
  );
}

export function SizeCell({ size, sizeKnown }: { size: number | null; sizeKnown: boolean }) {
  if (size !== null) return <>{formatBytes(size)}</>;
  return (
    <span className="muted" title={sizeKnown ? 'The engine does not report a size for this volume' : 'Sizes could not be read: see the warning above'}>
      —
    </span>
  );
}

/** The columns; `compact` (the detail panel is open) leaves out what the panel shows anyway. */
export function volumeColumns(activeId: string | null, sizesOk: boolean, compact = false): Column<VolumeSummary>[] {
  const all: Column<VolumeSummary>[] = [
    {
      id: 'name',
      header: 'Name',
      width: 'minmax(12rem, 2fr)',
      sortValue: (v) => v.name,
      cell: (v) => (
        <span className="name-cell">
          <span className="mono truncate" title={v.name}>
            {v.name}
          </span>
          {v.anonymous && <span className="tag">anonymous</span>}
        </span>
      ),
    },
    { id: 'driver', header: 'Driver', width: '6rem', sortValue: (v) => v.driver, cell: (v) => v.driver },
    {
      id: 'usedBy',
      header: 'Used by',
      width: 'minmax(10rem, 2fr)',
      sortValue: (v) => v.usedBy.map((u) => u.name).join(', '),
      cell: (v) => <UsedBy users={v.usedBy} tabIndex={v.name === activeId ? 0 : -1} />,
    },
    {
      id: 'size',
      header: 'Size',
      width: '6rem',
      align: 'end',
      sortValue: (v) => v.size,
      cell: (v) => <SizeCell size={v.size} sizeKnown={sizesOk} />,
    },
    {
      id: 'created',
      header: 'Created',
      width: '8rem',
      sortValue: (v) => v.created,
      cell: (v) => <span title={fullDate(v.created)}>{relativeTime(v.created)}</span>,
    },
  ];
  return compact ? all.filter((c) => c.id !== 'driver' && c.id !== 'created') : all;
}
