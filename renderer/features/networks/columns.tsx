import type { NetworkSummary } from '../../../app/contract/networks';
import type { Column } from '../../components';
import { href } from '../../lib/router';

export const BUILT_IN_TIP = 'Built-in networks (bridge, host, none) are part of the engine and cannot be removed';
export const NO_CONNECT_TIP = 'Containers join the host or none network only when they are created, not afterwards';

/** host and none networks take no extra containers. */
export const canConnect = (n: NetworkSummary) => n.driver !== 'host' && n.driver !== 'null';

/** The engine (nerdctl) lacks the networkConnect capability: containers join networks only when created. */
export const ENGINE_NO_CONNECT_TIP = 'This engine cannot connect or disconnect a created container: edit the container and pick its networks (Berth recreates it)';

/** Why Connect is unavailable for this network on this engine, or null when it is available. */
export const connectBlockedTip = (n: NetworkSummary, engineConnects: boolean): string | null => (!engineConnects ? ENGINE_NO_CONNECT_TIP : canConnect(n) ? null : NO_CONNECT_TIP);

export const subnetText = (n: NetworkSummary) => n.ipam.map((i) => i.subnet).join(', ');
export const gatewayText = (n: NetworkSummary) =>
  n.ipam
    .map((i) => i.gateway)
    .filter(Boolean)
    .join(', ');

/** Attached containers as links to their page (focusable only in the active row). */
export function Attached({ network, tabIndex }: { network: NetworkSummary; tabIndex: 0 | -1 }) {
  if (network.containers.length === 0) return <span className="muted">None</span>;
  return (
    <span className="used-by" title={network.containers.map((c) => c.name).join(', ')}>
      {network.containers.map((c, i) => (
        <span key={c.id}>
          {i > 0 && ', '}
          <a href={href('containers', c.id)} tabIndex={tabIndex}>
            {c.name}
          </a>
        </span>
      ))}
    </span>
  );
}

/** The columns; `compact` (the detail panel is open) leaves out what the panel shows anyway. */
export function networkColumns(activeId: string | null, compact = false): Column<NetworkSummary>[] {
  const all: Column<NetworkSummary>[] = [
    {
      id: 'name',
      header: 'Name',
      width: 'minmax(10rem, 2fr)',
      sortValue: (n) => n.name,
      cell: (n) => (
        <span className="name-cell">
          <span className="truncate" title={n.name}>
            {n.name}
          </span>
          {n.builtIn && <span className="tag">built-in</span>}
        </span>
      ),
    },
    { id: 'driver', header: 'Driver', width: '5rem', sortValue: (n) => n.driver, cell: (n) => n.driver },
    { id: 'scope', header: 'Scope', width: '4rem', sortValue: (n) => n.scope, cell: (n) => n.scope },
    {
      id: 'subnet',
      header: 'Subnet',
      width: 'minmax(7.5rem, 1fr)',
      sortValue: subnetText,
      cell: (n) => (n.ipam.length ? <span className="mono">{subnetText(n)}</span> : <span className="muted">—</span>),
    },
    {
      id: 'gateway',
      header: 'Gateway',
      width: '7rem',
      sortValue: gatewayText,
      cell: (n) => (gatewayText(n) ? <span className="mono">{gatewayText(n)}</span> : <span className="muted">—</span>),
    },
    { id: 'internal', header: 'Internal', width: '4rem', sortValue: (n) => (n.internal ? 1 : 0), cell: (n) => (n.internal ? 'Yes' : <span className="muted">No</span>) },
    {
      id: 'containers',
      header: 'Containers',
      width: 'minmax(8rem, 1.5fr)',
      sortValue: (n) => n.containers.length,
      cell: (n) => <Attached network={n} tabIndex={n.id === activeId ? 0 : -1} />,
    },
  ];
  return compact ? all.filter((c) => !COMPACT_HIDDEN.has(c.id)) : all;
}

const COMPACT_HIDDEN = new Set(['scope', 'gateway', 'internal']);
