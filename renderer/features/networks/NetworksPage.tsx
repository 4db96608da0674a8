import { useMemo, useState } from 'react';
import type { NetworkContainer, NetworkSummary } from '../../../app/contract/networks';
import { Button, EmptyState, IconButton, IconInfo, IconNetworks, IconPlus, IconTrash, ListPage, SearchInput, Spinner, VirtualTable } from '../../components';
import { useDetailPanel, useListView } from '../../lib/use-list';
import { useCommands } from '../../stores/commands';
import { useNetworks } from '../../stores/networks';
import { labelStrings, matchesQuery, plural } from '../../lib/format';
import { BUILT_IN_TIP, connectBlockedTip, networkColumns } from './columns';
import { useEngineHas } from '../../stores/engines';
import { ConnectDialog } from './ConnectDialog';
import { CreateNetworkDialog } from './CreateNetworkDialog';
import { DisconnectDialog, RemoveNetworkDialog } from './NetworkDialogs';
import { NetworkPanel } from './NetworkPanel';
import { PruneNetworksDialog } from './PruneNetworksDialog';

type DialogState =
  | null
  | { kind: 'create' }
  | { kind: 'prune' }
  | { kind: 'remove'; network: NetworkSummary }
  | { kind: 'connect'; network: NetworkSummary }
  | { kind: 'disconnect'; network: NetworkSummary; container: NetworkContainer };

const searchable = (n: NetworkSummary) => [n.name, n.id, n.driver, n.scope, ...n.ipam.flatMap((i) => [i.subnet, i.gateway]), ...n.containers.map((c) => c.name), ...labelStrings(n.labels)];

/** Networks: subnets and attached containers; create, remove, connect, disconnect, prune with a preview. */
export function NetworksPage() {
  const view = useListView(useNetworks);
  const { rows, pending, refreshing, neverLoaded } = view;
  const { activeId, setActiveId, panelOpen, openPanel: openId, closePanel } = useDetailPanel();
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<DialogState>(null);

  const active = activeId ? rows.find((n) => n.id === activeId) : undefined;
  const filtered = useMemo(() => (query ? rows.filter((n) => matchesQuery(query, searchable(n))) : rows), [rows, query]);
  const compact = panelOpen && active !== undefined;
  const columns = useMemo(() => networkColumns(activeId, compact), [activeId, compact]);
  const onlyBuiltIns = rows.length > 0 && rows.every((n) => n.builtIn);

  useCommands(
    [
      { id: 'networks.create', title: 'Create a network…', group: 'Networks', keywords: ['new', 'add', 'subnet'], run: () => setDialog({ kind: 'create' }) },
      { id: 'networks.prune', title: 'Prune unused networks…', group: 'Networks', keywords: ['clean', 'remove'], run: () => setDialog({ kind: 'prune' }) },
    ],
    [],
  );

  const openPanel = (n: NetworkSummary) => openId(n.id);
  const askRemove = (n: NetworkSummary) => !n.builtIn && setDialog({ kind: 'remove', network: n });
  const engineConnects = useEngineHas('networkConnect');
  const askConnect = (n: NetworkSummary) => connectBlockedTip(n, engineConnects) === null && setDialog({ kind: 'connect', network: n });

  const list = (
    <>
      {onlyBuiltIns && (
        <p className="page-note">
          Only the engine’s built-in networks exist. Containers on a network you create reach each other by name.{' '}
          <button type="button" className="link-btn" onClick={() => setDialog({ kind: 'create' })}>
            Create a network
          </button>
        </p>
      )}
      <div className="split">
        <VirtualTable
          rows={filtered}
          rowId={(n) => n.id}
          columns={columns}
          label="Networks"
          rowLabel={(n) => n.name}
          defaultSort={{ column: 'name', direction: 'asc' }}
          pending={pending}
          onDismissRowError={(id) => useNetworks.getState().dismissRowError(id)}
          activeId={activeId}
          onActiveChange={setActiveId}
          onActivate={openPanel}
          onRowKeyDown={(e, n) => {
            if (e.key !== 'Delete') return;
            e.preventDefault();
            askRemove(n);
          }}
          actionsWidth="5.5rem"
          rowActions={(n, ctx) => (
            <>
              <IconButton label={`Show details of ${n.name}`} icon={<IconInfo />} size="sm" tabIndex={ctx.tabIndex} onClick={() => openPanel(n)} />
              <IconButton
                label={`Connect a container to ${n.name}`}
                title={connectBlockedTip(n, engineConnects) ?? undefined}
                icon={<IconPlus />}
                size="sm"
                tabIndex={ctx.tabIndex}
                aria-disabled={connectBlockedTip(n, engineConnects) !== null || undefined}
                onClick={() => askConnect(n)}
              />
              <IconButton
                label={`Remove network ${n.name}`}
                title={n.builtIn ? BUILT_IN_TIP : undefined}
                icon={<IconTrash />}
                size="sm"
                variant="danger"
                tabIndex={ctx.tabIndex}
                aria-disabled={n.builtIn || undefined}
                onClick={() => askRemove(n)}
              />
            </>
          )}
          empty={<p className="muted">No network matches “{query}”.</p>}
        />
        {panelOpen && active && (
          <NetworkPanel
            network={active}
            busy={pending[active.id] !== undefined && pending[active.id]?.error === undefined}
            onClose={closePanel}
            onConnect={() => askConnect(active)}
            onDisconnect={(c) => setDialog({ kind: 'disconnect', network: active, container: c })}
            onRemove={() => askRemove(active)}
          />
        )}
      </div>
    </>
  );

  return (
    <ListPage
      store={useNetworks}
      view={view}
      noun="networks"
      title="Networks"
      subtitle={
        !neverLoaded && (
          <span data-testid="networks-summary">
            {plural(rows.length, 'network')}
            {refreshing && <Spinner />}
          </span>
        )
      }
      actions={
        <>
          <Button onClick={() => setDialog({ kind: 'prune' })} disabled={neverLoaded}>
            Prune…
          </Button>
          <Button variant="primary" icon={<IconPlus />} onClick={() => setDialog({ kind: 'create' })}>
            Create network
          </Button>
        </>
      }
      toolbar={rows.length > 0 && <SearchInput className="page-search" label="Filter networks" placeholder="Filter by name, driver, subnet, container…" value={query} onChange={setQuery} />}
      empty={
        <EmptyState
          icon={<IconNetworks />}
          title="No networks"
          action={
            <Button variant="primary" icon={<IconPlus />} onClick={() => setDialog({ kind: 'create' })}>
              Create a network
            </Button>
          }
        >
          This engine reports no networks, not even its built-in ones. Create a network so containers can reach each other by name.
        </EmptyState>
      }
      dialogs={
        <>
          <CreateNetworkDialog open={dialog?.kind === 'create'} onClose={() => setDialog(null)} existing={rows} />
          <PruneNetworksDialog open={dialog?.kind === 'prune'} onClose={() => setDialog(null)} />
          <RemoveNetworkDialog network={dialog?.kind === 'remove' ? dialog.network : null} onClose={() => setDialog(null)} />
          <ConnectDialog network={dialog?.kind === 'connect' ? dialog.network : null} onClose={() => setDialog(null)} />
          <DisconnectDialog target={dialog?.kind === 'disconnect' ? { network: dialog.network, container: dialog.container } : null} onClose={() => setDialog(null)} />
        </>
      }
    >
      {list}
    </ListPage>
  );
}
