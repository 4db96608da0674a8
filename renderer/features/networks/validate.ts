import { ObjectRef } from '../../../app/contract/common';
import { formatIPv4, networkSpecProblems, parseCidr4, parseIPv4, type NetworkSummary } from '../../../app/contract/networks';

const DRIVER = /^[a-zA-Z0-9][a-zA-Z0-9_.:/-]*$/;
const ALIAS = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export interface NetworkForm {
  name: string;
  driver: string;
  subnet: string;
  gateway: string;
}

/** Inline problems of the create form, by field. The same rules the core applies, plus name clashes and subnet overlaps. */
export function networkFormProblems(f: NetworkForm, existing: readonly NetworkSummary[]): Record<'name' | 'driver' | 'subnet' | 'gateway', string | null> {
  const out: Record<'name' | 'driver' | 'subnet' | 'gateway', string | null> = { name: null, driver: null, subnet: null, gateway: null };
  const name = f.name.trim();
  if (!name) out.name = 'Give the network a name.';
  else {
    const r = ObjectRef.safeParse(name);
    if (!r.success) out.name = `The name ${r.error.issues[0]?.message ?? 'is not valid'}.`;
    else if (existing.some((n) => n.name === name)) out.name = `A network named "${name}" already exists.`;
  }
  const driver = f.driver.trim();
  if (!driver) out.driver = 'Give a driver; bridge is the usual one.';
  else if (!DRIVER.test(driver)) out.driver = 'A driver name uses letters, digits and _ . : / - (e.g. bridge, macvlan).';
  const subnet = f.subnet.trim() || undefined;
  const gateway = f.gateway.trim() || undefined;
  for (const [field, message] of networkSpecProblems({ subnet, gateway })) {
    if (field === 'subnet' || field === 'gateway') out[field] = message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith('.') ? '' : '.');
  }
  if (subnet && !out.subnet) {
    const overlap = overlapping(subnet, existing);
    if (overlap) out.subnet = `It overlaps ${overlap.subnet}, the subnet of network "${overlap.name}".`;
  }
  return out;
}

function overlapping(subnet: string, existing: readonly NetworkSummary[]): { name: string; subnet: string } | null {
  const mine = parseCidr4(subnet);
  if (!mine.ok) return null;
  for (const n of existing) {
    for (const ip of n.ipam) {
      const theirs = parseCidr4(ip.subnet);
      if (!theirs.ok) continue;
      if (mine.cidr.network <= theirs.cidr.last && theirs.cidr.network <= mine.cidr.last) return { name: n.name, subnet: ip.subnet };
    }
  }
  return null;
}

/** Aliases typed as a list (spaces or commas). */
export const splitAliases = (s: string): string[] =>
  s
    .split(/[\s,]+/)
    .map((a) => a.trim())
    .filter(Boolean);

export function aliasProblem(s: string): string | null {
  const bad = splitAliases(s).find((a) => !ALIAS.test(a) || a.length > 253);
  return bad ? `"${bad}" is not a host name (letters, digits, _ . -).` : null;
}

/** Why `ip` cannot be the container's address on `network`, or null. */
export function ipv4Problem(ip: string, network: NetworkSummary): string | null {
  const s = ip.trim();
  if (!s) return null;
  if (parseIPv4(s) === null) return `"${s}" is not an IPv4 address such as 172.20.0.10.`;
  const ranges = network.ipam.map((i) => parseCidr4(i.subnet)).flatMap((r) => (r.ok ? [r.cidr] : []));
  if (ranges.length === 0) return 'This network has no IPv4 subnet, so it cannot give a fixed address.';
  const n = parseIPv4(s) as number;
  const inside = ranges.find((c) => n >= c.network && n <= c.last);
  if (!inside) return `${s} is outside the network's subnet ${network.ipam.map((i) => i.subnet).join(', ')}.`;
  if (inside.prefix < 31 && (n === inside.network || n === inside.last)) return `${s} is the ${n === inside.network ? 'network' : 'broadcast'} address of ${formatIPv4(inside.network)}/${inside.prefix}.`;
  return null;
}
