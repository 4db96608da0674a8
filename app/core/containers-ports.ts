import type { PortSpec, Protocol } from '../contract/containers';

const PROTOCOLS: readonly string[] = ['tcp', 'udp', 'sctp'];

/** `80/tcp` (the engines' key for a container port) → port and protocol; null when malformed. */
export function parsePortKey(key: string): { containerPort: number; protocol: Protocol } | null {
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/.exec(key);
  if (!m) return null;
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return null;
  return { containerPort: port, protocol: (m[2] ?? 'tcp') as Protocol };
}

export const portKey = (p: { containerPort: number; protocol: Protocol }) => `${p.containerPort}/${p.protocol}`;

/** A port spec in `docker run -p` syntax: `[hostIp:][hostPort:]containerPort[/protocol]`, IPv6 in brackets. */
export function formatPortSpec(p: PortSpec): string {
  const proto = p.protocol === 'tcp' ? '' : `/${p.protocol}`;
  const host = p.hostPort === undefined ? '' : String(p.hostPort);
  if (p.hostIp) {
    const ip = p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
    return `${ip}:${host}:${p.containerPort}${proto}`;
  }
  return `${host ? `${host}:` : ''}${p.containerPort}${proto}`;
}

/** Parses `docker run -p` syntax (single ports, no ranges). Throws an Error with a readable message. */
export function parsePortSpec(spec: string): PortSpec {
  let rest = spec.trim();
  let protocol: Protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const proto = rest.slice(slash + 1).toLowerCase();
    if (!PROTOCOLS.includes(proto)) throw new Error(`"${spec}": unknown protocol "${proto}" (tcp, udp or sctp)`);
    protocol = proto as Protocol;
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(.*)$/.exec(rest);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2] ?? '';
  }
  const parts = rest.split(':');
  if (!v6 && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2 || (v6 && parts.length !== 2)) throw new Error(`"${spec}" is not [host-ip:][host-port:]container-port[/protocol]`);
  const num = (s: string, what: string) => {
    if (!/^\d{1,5}$/.test(s) || Number(s) < 1 || Number(s) > 65535) throw new Error(`"${spec}": ${what} "${s}" must be a number from 1 to 65535`);
    return Number(s);
  };
  const containerPort = num(parts[parts.length - 1] ?? '', 'container port');
  const hostPart = parts.length === 2 ? (parts[0] ?? '') : '';
  const out: PortSpec = { containerPort, protocol };
  if (hostIp) out.hostIp = hostIp;
  if (hostPart !== '') out.hostPort = num(hostPart, 'host port');
  return out;
}
