import type { NetworkPruneResult } from '../../../app/contract/networks';
import { PruneDialog } from '../../components';
import { plural } from '../../lib/format';
import { previewNetworkPrune, pruneNetworks } from '../../stores/networks';

/** Prune in two steps: a dry run lists the networks no container uses; then the user confirms. */
export function PruneNetworksDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <PruneDialog<NetworkPruneResult>
      open={open}
      onClose={onClose}
      title="Prune unused networks"
      description="Removes the networks you created that no container uses, running or stopped. Built-in networks stay."
      noun="network"
      loadingText="Finding unused networks…"
      previewErrorTitle="Could not list the unused networks"
      emptyText="No unused networks to remove."
      listLabel="Networks to remove"
      failedLabel="Networks not removed"
      preview={previewNetworkPrune}
      prune={pruneNetworks}
      items={(r) => r.removed.map((n) => ({ key: n.id, name: n.name }))}
      total={(r) => `${plural(r.removed.length, 'network')} will be removed.`}
      failures={(r) => r.failed.map((f) => ({ key: f.id, name: f.name, message: f.error.message }))}
      doneText={(r) => `Removed ${plural(r.removed.length, 'network')}.`}
      success={(r) => ({ title: `Removed ${plural(r.removed.length, 'unused network')}` })}
    />
  );
}
