import type { NetworkConnectResult, NetworkConnectSpec, NetworkCreateSpec, NetworkDetails, NetworkPruneResult, NetworkSummary } from '../../contract/networks';

/**
 * Networks operations of a container engine. Every failure is a BerthError with a typed code
 * (NOT_FOUND, NAME_IN_USE, CONFLICT, INVALID_INPUT, ENGINE_UNREACHABLE...); a failed list rejects, never [].
 */
export interface NetworksOps {
  /** With the containers attached now. */
  list(signal?: AbortSignal): Promise<NetworkSummary[]>;
  inspect(network: string): Promise<NetworkDetails>;
  /** The spec is validated (subnet, gateway) before the engine is asked. */
  create(spec: NetworkCreateSpec): Promise<NetworkSummary>;
  /** Built-in networks: INVALID_INPUT; containers attached: CONFLICT naming them. */
  remove(network: string): Promise<{ id: string }>;
  connect(network: string, spec: NetworkConnectSpec): Promise<NetworkConnectResult>;
  disconnect(network: string, container: string, opts?: { force?: boolean }): Promise<{ network: string; container: string }>;
  /** Networks no container (running or stopped) refers to, built-in ones excepted. */
  prune(opts: { dryRun: boolean }): Promise<NetworkPruneResult>;
}
