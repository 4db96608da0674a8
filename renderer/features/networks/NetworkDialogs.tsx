import type { NetworkContainer, NetworkSummary } from '../../../app/contract/networks';
import { ConfirmDialog } from '../../components';
import { disconnectContainer, removeNetwork } from '../../stores/networks';
import { notify } from '../../stores/toasts';

/** Asks before removing a network, naming it and warning when containers are attached. Runs on the row. */
export function RemoveNetworkDialog({ network, onClose }: { network: NetworkSummary | null; onClose(): void }) {
  const attached = network?.containers.map((c) => c.name) ?? [];
  const confirm = async () => {
    if (!network) return;
    onClose();
    const r = await removeNetwork(network.id);
    if (r.ok) notify.success(`Removed network ${network.name}`);
  };
  return (
    <ConfirmDialog
      open={network !== null}
      title={`Remove network ${network?.name ?? ''}?`}
      items={network ? [network.name] : []}
      message="Containers can no longer join it. Containers themselves are not touched."
      confirmLabel="Remove network"
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      {attached.length > 0 && (
        <div className="confirm-warning" role="note">
          Attached now: {attached.join(', ')}. The engine refuses to remove a network while containers are attached; disconnect them first.
        </div>
      )}
    </ConfirmDialog>
  );
}

/** Asks before detaching a container from a network. Runs on the network's row. */
export function DisconnectDialog({ target, onClose }: { target: { network: NetworkSummary; container: NetworkContainer } | null; onClose(): void }) {
  const confirm = async () => {
    if (!target) return;
    onClose();
    const r = await disconnectContainer(target.network.id, target.container);
    if (r.ok) notify.success(`Disconnected ${target.container.name} from ${target.network.name}`);
  };
  return (
    <ConfirmDialog
      open={target !== null}
      title={`Disconnect ${target?.container.name ?? ''} from ${target?.network.name ?? ''}?`}
      items={target ? [target.container.name] : []}
      message={`The container loses its address${target?.container.ipv4 ? ` ${target.container.ipv4}` : ''} on this network and keeps running.`}
      confirmLabel="Disconnect"
      onConfirm={() => void confirm()}
      onCancel={onClose}
    />
  );
}
