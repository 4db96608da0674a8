import type { PortSpec } from '../../../app/contract/containers';
import type { PortRow } from './form';
import { formatPort, parsePort } from './parse';

/** Asks the core for a host port free now (containers.freePort). */
export type ProposePort = (hostIp: string, protocol: PortSpec['protocol']) => Promise<number>;

/** The rows that publish a port without a host port (`80`, `127.0.0.1::80/udp`): an engine that cannot pick one needs it given. */
export function rowsWithoutHostPort(rows: readonly PortRow[]): PortRow[] {
  return rows.filter((r) => {
    if (r.spec.trim() === '') return false;
    const p = parsePort(r.spec);
    return p.ok && p.value.hostPort === undefined;
  });
}

/** The rows asking for a host port below 1024, which a rootless engine may refuse. */
export function rowsWithLowHostPort(rows: readonly PortRow[]): PortRow[] {
  return rows.filter((r) => {
    const p = r.spec.trim() === '' ? null : parsePort(r.spec);
    return p?.ok === true && p.value.hostPort !== undefined && p.value.hostPort < 1024;
  });
}

/**
 * Fills a free host port into every row that has none (the others, blank or unparsable ones included, stay as
 * they are), each proposal distinct and none a port another row already names. Returns the new rows.
 */
export async function fillHostPorts(rows: readonly PortRow[], propose: ProposePort): Promise<PortRow[]> {
  const taken = new Set<number>();
  for (const r of rows) {
    const p = r.spec.trim() === '' ? null : parsePort(r.spec);
    if (p?.ok && p.value.hostPort !== undefined) taken.add(p.value.hostPort);
  }
  const out: PortRow[] = [];
  for (const r of rows) {
    const p = r.spec.trim() === '' ? null : parsePort(r.spec);
    if (!p?.ok || p.value.hostPort !== undefined) {
      out.push(r);
      continue;
    }
    let port = await propose(p.value.hostIp ?? '', p.value.protocol ?? 'tcp');
    // Two rows may be offered the same free port in a row: ask again (a few times) for one not used yet.
    for (let i = 0; taken.has(port) && i < 5; i++) port = await propose(p.value.hostIp ?? '', p.value.protocol ?? 'tcp');
    if (taken.has(port)) throw new Error(`No second free host port was found for ${r.spec.trim()}: give one yourself.`);
    taken.add(port);
    out.push({ ...r, spec: formatPort({ ...p.value, hostPort: port }) });
  }
  return out;
}

/** The port specs of the rows, in order (blank rows left out), as the run options carry them. */
export function portSpecs(rows: readonly PortRow[]): PortSpec[] {
  const out: PortSpec[] = [];
  for (const r of rows) {
    if (r.spec.trim() === '') continue;
    const p = parsePort(r.spec);
    if (p.ok) out.push(p.value);
  }
  return out;
}
