import type Docker from 'dockerode';
import type { NetworkContainer, NetworkDetails, NetworkSummary } from '../../../contract/networks';
import { containerName } from './volumes-map';

/** A network as GET /networks and /networks/{id} give it. */
export interface RawNetwork {
  Id: string;
  Name: string;
  Created?: string;
  Scope?: string;
  Driver?: string;
  EnableIPv6?: boolean;
  Internal?: boolean;
  Attachable?: boolean;
  IPAM?: { Driver?: string; Config?: Array<{ Subnet?: string; Gateway?: string }> | null } | null;
  Labels?: Record<string, string> | null;
  Options?: Record<string, string> | null;
  Containers?: Record<string, { Name?: string; IPv4Address?: string }> | null;
}

/** The networks the Docker engine makes itself; it refuses to remove them. */
const BUILT_IN = new Set(['bridge', 'host', 'none']);

export const isBuiltInNetwork = (n: Pick<RawNetwork, 'Name' | 'Options'>): boolean =>
  BUILT_IN.has(n.Name) || n.Options?.['com.docker.network.bridge.default_bridge'] === 'true';

const withoutPrefix = (ip: string | undefined): string | null => {
  const a = (ip ?? '').split('/')[0] ?? '';
  return a === '' ? null : a;
};

/**
 * Network id → the containers with an endpoint on it now, from one containers list (the network
 * list endpoint leaves Containers empty). A container that is created but not running has an
 * entry without an EndpointID: it is not attached (network inspect agrees).
 */
export function networkAttachments(containers: readonly Docker.ContainerInfo[]): Map<string, NetworkContainer[]> {
  const out = new Map<string, NetworkContainer[]>();
  for (const c of containers) {
    for (const ep of Object.values(c.NetworkSettings?.Networks ?? {})) {
      if (!ep?.EndpointID || !ep.NetworkID) continue;
      const list = out.get(ep.NetworkID) ?? [];
      list.push({ id: c.Id, name: containerName(c), ipv4: withoutPrefix(ep.IPAddress) });
      out.set(ep.NetworkID, list);
    }
  }
  return out;
}

/** Ids and names of every network any container (running or not) refers to. */
export function referencedNetworks(containers: readonly Docker.ContainerInfo[]): Set<string> {
  const out = new Set<string>();
  for (const c of containers) {
    const mode = c.HostConfig?.NetworkMode;
    if (mode) out.add(mode);
    for (const [name, ep] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
      out.add(name);
      if (ep?.NetworkID) out.add(ep.NetworkID);
    }
  }
  return out;
}

const timestamp = (s: string | undefined): string | null => {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

export function toNetworkSummary(n: RawNetwork, containers: readonly NetworkContainer[]): NetworkSummary {
  return {
    id: n.Id,
    name: n.Name,
    driver: n.Driver ?? '',
    scope: n.Scope ?? 'local',
    internal: n.Internal ?? false,
    attachable: n.Attachable ?? false,
    ipam: (n.IPAM?.Config ?? []).filter((c) => c.Subnet).map((c) => ({ subnet: c.Subnet as string, gateway: c.Gateway || null })),
    created: timestamp(n.Created),
    labels: n.Labels ?? {},
    containers: [...containers].sort((a, b) => a.name.localeCompare(b.name)),
    builtIn: isBuiltInNetwork(n),
  };
}

/** From a network inspect document, which lists its endpoints itself. */
export function toNetworkDetails(n: RawNetwork): NetworkDetails {
  const containers = Object.entries(n.Containers ?? {}).map(([id, c]) => ({ id, name: c.Name ?? id.slice(0, 12), ipv4: withoutPrefix(c.IPv4Address) }));
  return {
    ...toNetworkSummary(n, containers),
    enableIPv6: n.EnableIPv6 ?? false,
    ipamDriver: n.IPAM?.Driver ?? 'default',
    options: n.Options ?? {},
    raw: n as unknown as Record<string, unknown>,
  };
}
