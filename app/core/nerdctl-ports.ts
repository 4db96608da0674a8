import type { PortMapping } from '../contract/containers';

/**
 * The `Ports` text of `nerdctl ps`: groups of one host IP and protocol, each
 * `HOSTIP:R1, R2, …/proto` where a range R is `H->C` or `H1-H2->C1-C2`, groups sorted and joined
 * with ", " too (formatter.FormatPorts). So `0.0.0.0:8080->80, 9000-9001->90-91/tcp, :::53->53/udp`.
 * Ranges are expanded to one mapping per port, as Docker reports them. Tokens that are not a
 * port mapping are skipped (the text is informational; inspect has the exact ports).
 */
export function parseNerdctlPorts(text: string | undefined | null): PortMapping[] {
  const out: PortMapping[] = [];
  let pending: { hostIp: string | null; host: [number, number]; cont: [number, number] }[] = [];
  let hostIp: string | null = null;
  for (const token of (text ?? '').split(',').map((t) => t.trim())) {
    if (token === '') continue;
    const m = /^(?:(.*):)?(\d+)(?:-(\d+))?->(\d+)(?:-(\d+))?(?:\/([a-z]+))?$/i.exec(token);
    if (!m) continue;
    if (m[1] !== undefined) hostIp = m[1].replace(/^\[(.*)\]$/, '$1');
    const h1 = Number(m[2]);
    const c1 = Number(m[4]);
    pending.push({ hostIp, host: [h1, m[3] ? Number(m[3]) : h1], cont: [c1, m[5] ? Number(m[5]) : c1] });
    const proto = m[6]?.toLowerCase();
    if (proto === undefined) continue;
    for (const p of pending) {
      const n = Math.min(p.host[1] - p.host[0], p.cont[1] - p.cont[0]);
      for (let i = 0; i <= n; i++) {
        out.push({ hostIp: p.hostIp === '' ? null : p.hostIp, hostPort: p.host[0] + i, containerPort: p.cont[0] + i, protocol: toProtocol(proto) });
      }
    }
    pending = [];
    hostIp = null;
  }
  return out;
}

function toProtocol(p: string): PortMapping['protocol'] {
  return p === 'udp' || p === 'sctp' ? p : 'tcp';
}

/** Docker-style `PortBindings`/`Ports` of an inspect document (`"80/tcp": [{HostIp, HostPort}]`). */
export function portsFromInspect(ports: unknown): PortMapping[] {
  const out: PortMapping[] = [];
  if (ports === null || typeof ports !== 'object') return out;
  for (const [key, bindings] of Object.entries(ports as Record<string, unknown>)) {
    const m = /^(\d+)\/(tcp|udp|sctp)$/.exec(key);
    if (!m) continue;
    const containerPort = Number(m[1]);
    const protocol = toProtocol(m[2] ?? 'tcp');
    if (!Array.isArray(bindings) || bindings.length === 0) {
      out.push({ hostIp: null, hostPort: null, containerPort, protocol });
      continue;
    }
    for (const b of bindings as { HostIp?: unknown; HostPort?: unknown }[]) {
      const hp = Number(b.HostPort);
      const ip = typeof b.HostIp === 'string' && b.HostIp !== '' ? b.HostIp : null;
      out.push({ hostIp: ip, hostPort: Number.isInteger(hp) && hp > 0 ? hp : null, containerPort, protocol });
    }
  }
  return out.sort((a, b) => a.containerPort - b.containerPort || (a.hostPort ?? 0) - (b.hostPort ?? 0));
}
