import { useEffect } from 'react';
import type { Column } from '../../components/VirtualTable/types';
import type { ListRow } from '../containers/model';
import { showBadge, usePostureBadges } from '../../stores/security';
import { PostureBadge } from './PostureBadge';

/** One row's badge: a selector on the badge store, so a refetch re-renders only rows whose badge changed. */
function PostureCell({ id }: { id: string }) {
  const b = usePostureBadges((s) => s.byId[id]);
  useEffect(() => showBadge(id), [id]);
  if (!b) return <span className="muted" aria-label="posture not known yet">·</span>;
  return <PostureBadge level={b.level} open={b.open} sandboxed={b.sandboxed} runtime={b.runtime} />;
}

/** The containers list's Security column (posture level per container, computed in the core). */
export const postureColumn: Column<ListRow> = {
  id: 'posture',
  header: 'Security',
  width: '6.5rem',
  // The badge is a pill taller than a line of text: the cell's padding keeps the row at the table's 2rem.
  className: 'vt-cell-pill',
  cell: (r) => (r.kind === 'group' ? null : <PostureCell id={r.c.id} />),
};
