import type { ContainerSummary } from '../../app/contract/containers';
import type { NetworkConnectSpec, NetworkCreateSpec, NetworkPruneResult, NetworkSummary } from '../../app/contract/networks';
import type { ActionResult } from '../lib/entity-store';
import { call } from '../lib/rpc';
import { createEngineList, engineCall, thenReload } from './engine-list';

/** The networks of the active engine, keyed by id. */
export const useNetworks = createEngineList<NetworkSummary>({
  name: 'networks',
  idOf: (n) => n.id,
  fetch: () => call('networks.list', {}),
  // Network events include connect and disconnect (a container starting, stopping or going);
  // container events cover a rename of an attached container.
  changes: ['network', 'container'],
});

/** Create a network; the list is refreshed before this resolves. Rejects with the engine's reason. */
export async function createNetwork(spec: NetworkCreateSpec): Promise<NetworkSummary> {
  const n = await engineCall(() => call('networks.create', spec));
  await useNetworks.getState().load();
  return n;
}

/** Remove a network; pending and a refusal show on its row. */
export function removeNetwork(id: string): Promise<ActionResult<{ id: string }>> {
  return useNetworks.getState().runAction(id, 'Removing', () => engineCall(() => call('networks.remove', { network: id })));
}

/** Attach a container; rejects with the reason (the dialog shows it). */
export async function connectContainer(network: string, spec: NetworkConnectSpec) {
  const r = await engineCall(() => call('networks.connect', { network, ...spec }));
  await useNetworks.getState().load();
  return r;
}

/** Detach a container; pending and a failure show on the network's row. */
export function disconnectContainer(network: string, container: { id: string; name: string }) {
  return useNetworks
    .getState()
    .runAction(network, `Disconnecting ${container.name}`, () => engineCall(() => call('networks.disconnect', { network, container: container.id })));
}

export function previewNetworkPrune(): Promise<NetworkPruneResult> {
  return engineCall(() => call('networks.prune', { dryRun: true }));
}

export function pruneNetworks(): Promise<NetworkPruneResult> {
  return thenReload(useNetworks, () => call('networks.prune', { dryRun: false }));
}

/** A container one can attach to a network. */
export interface ContainerChoice {
  id: string;
  name: string;
  state: ContainerSummary['state'];
  /** Names of the networks it is on. */
  networks: string[];
}

/** Every container (running or not), for the connect dialog's picker, running ones first. */
export async function listContainerChoices(): Promise<ContainerChoice[]> {
  const all = await engineCall(() => call('containers.list', { all: true }));
  return all
    .map((c) => ({ id: c.id, name: c.name, state: c.state, networks: c.networks }))
    .sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || a.name.localeCompare(b.name));
}
