import type { Column } from '../../components/VirtualTable/types';
import { CpuCell, GroupName, GroupState, MemoryCell, NameCell, PortsCell, StateCell, UptimeCell } from './cells';
import type { ListRow } from './model';
import { postureColumn } from '../security/posture-column';

/** Sorting is done by the page (groups stay together); a sortValue only makes the header a sort button. */
const sortable = () => null;

const state: Column<ListRow> = {
  id: 'state',
  header: 'State',
  width: '7.5rem',
  sortValue: sortable,
  cell: (r) => (r.kind === 'group' ? <GroupState row={r} /> : <StateCell c={r.c} />),
};
const stateCompact: Column<ListRow> = {
  ...state,
  width: '1.25rem',
  hideHeader: true,
  cell: (r) => (r.kind === 'group' ? null : <StateCell c={r.c} compact />),
};
const name: Column<ListRow> = {
  id: 'name',
  header: 'Name',
  width: 'minmax(9rem, 1.3fr)',
  sortValue: sortable,
  cell: (r) => (r.kind === 'group' ? <GroupName row={r} /> : <NameCell c={r.c} inGroup={r.group !== null} />),
};
const image: Column<ListRow> = {
  id: 'image',
  header: 'Image',
  width: 'minmax(8rem, 1.8fr)',
  sortValue: sortable,
  cell: (r) =>
    r.kind === 'group' ? (
      <span className="muted">compose · {r.members.length === 1 ? '1 container' : `${r.members.length} containers`}</span>
    ) : (
      <span className="mono ctr-image" title={r.c.image}>
        {r.c.image}
      </span>
    ),
};
const ports: Column<ListRow> = {
  id: 'ports',
  header: 'Ports',
  width: 'minmax(7rem, 1.1fr)',
  sortValue: sortable,
  cell: (r) => (r.kind === 'group' ? null : <PortsCell c={r.c} />),
};
const cpu: Column<ListRow> = {
  id: 'cpu',
  header: 'CPU',
  width: '4.25rem',
  align: 'end',
  sortValue: sortable,
  cell: (r) => (r.kind === 'group' ? null : <CpuCell c={r.c} />),
};
const memory: Column<ListRow> = {
  id: 'memory',
  header: 'Memory',
  width: '5.5rem',
  align: 'end',
  sortValue: sortable,
  cell: (r) => (r.kind === 'group' ? null : <MemoryCell c={r.c} />),
};
const uptime: Column<ListRow> = {
  id: 'uptime',
  header: 'Uptime',
  width: '6.5rem',
  sortValue: sortable,
  cell: (r) => (r.kind === 'group' ? null : <UptimeCell c={r.c} />),
};

export const FULL_COLUMNS: readonly Column<ListRow>[] = [state, name, image, ports, postureColumn, cpu, memory, uptime];
/** With the detail pane open the list narrows to what identifies a container. */
export const COMPACT_COLUMNS: readonly Column<ListRow>[] = [stateCompact, { ...name, width: 'minmax(8rem, 1fr)' }];
