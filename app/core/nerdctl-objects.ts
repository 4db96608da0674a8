import type { ContainerSummary } from '../contract/containers';
import type { NetworkDetails } from '../contract/networks';
import type { VolumeSummary } from '../contract/volumes';
import { obj, str, strMap } from './nerdctl-json';

/** Names of nerdctl's own networks: they cannot be removed. */
export const BUILTIN_NETWORKS: ReadonlySet<string> = new Set(['bridge', 'host', 'none']);

/** Anonymous volumes are named by a 64-hex id, as Docker does. */
const isAnonymous = (name: string) => /^[0-9a-f]{64}$/.test(name);

/**
 * `nerdctl volume inspect --size` (native) as a VolumeSummary, with the containers that mount it
 * (from their `nerdctl/mounts` label). nerdctl has one driver (local), no scope and no creation time.
 */
export function parseVolumeInspect(v: Record<string, unknown>, containers: ContainerSummary[], withSize: boolean): VolumeSummary {
  const name = str(v.Name);
  const usedBy = containers.filter((c) => c.mounts.some((m) => m.type === 'volume' && m.name === name)).map((c) => ({ id: c.id, name: c.name }));
  return {
    name,
    driver: 'local',
    mountpoint: str(v.Mountpoint),
    created: null,
    labels: strMap(v.Labels),
    scope: 'local',
    usedBy,
    // `Size` is left out when 0 (omitempty).
    size: withSize ? (typeof v.Size === 'number' ? v.Size : 0) : null,
    refCount: usedBy.length,
    anonymous: isAnonymous(name),
  };
}

/**
 * `nerdctl network inspect` (dockercompat: Name, Id, IPAM, Labels, Containers; no driver or scope)
 * as NetworkDetails. The CNI config (when present under the native mode) is not needed here.
 */
export function parseNetworkInspect(n: Record<string, unknown>, containers: ContainerSummary[]): NetworkDetails {
  const name = str(n.Name);
  const ipam = obj(n.IPAM);
  const configs = Array.isArray(ipam.Config) ? ipam.Config.map(obj) : [];
  const attached = Object.entries(obj(n.Containers)).map(([id, e]) => {
    const ep = obj(e);
    const c = containers.find((x) => x.id === id);
    const ip = str(ep.IPv4Address).split('/')[0] ?? '';
    return { id, name: str(ep.Name) || c?.name || id.slice(0, 12), ipv4: ip === '' ? null : ip };
  });
  const labels = strMap(n.Labels);
  return {
    id: str(n.Id) || name,
    name,
    driver: name === 'host' ? 'host' : name === 'none' ? 'null' : 'bridge',
    scope: 'local',
    internal: false,
    attachable: true,
    ipam: configs.filter((c) => str(c.Subnet) !== '').map((c) => ({ subnet: str(c.Subnet), gateway: str(c.Gateway) || null })),
    created: null,
    labels,
    containers: attached,
    builtIn: BUILTIN_NETWORKS.has(name) || labels['nerdctl/default-network'] === 'true',
    enableIPv6: configs.some((c) => str(c.Subnet).includes(':')),
    ipamDriver: str(ipam.Driver) || 'host-local',
    options: {},
    raw: n,
  };
}
