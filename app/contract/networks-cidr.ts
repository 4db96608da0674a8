/**
 * IPv4 subnet and gateway checks for network creation, pure and shared by the contract's
 * validation (so bad input is INVALID_INPUT before any engine sees it) and the adapters.
 */

/** The address as an unsigned 32-bit number, or null when it is not a dotted-quad IPv4 address. */
export function parseIPv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

export const formatIPv4 = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export interface Cidr4 {
  /** The network address, as a number. */
  network: number;
  prefix: number;
  /** The last address of the range (the broadcast address when prefix < 31). */
  last: number;
}

export type CidrResult = { ok: true; cidr: Cidr4 } | { ok: false; error: string };

/** Parses `a.b.c.d/len`. The address must be the network address (no host bits set). */
export function parseCidr4(s: string): CidrResult {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return { ok: false, error: `"${s}" is not an IPv4 subnet in CIDR form, like 172.20.0.0/16` };
  const addr = parseIPv4(m[1] as string);
  if (addr === null) return { ok: false, error: `"${m[1]}" is not an IPv4 address` };
  const prefix = Number(m[2]);
  if (prefix > 32) return { ok: false, error: `the prefix length /${prefix} must be between 0 and 32` };
  const size = 2 ** (32 - prefix);
  const network = addr - (addr % size);
  if (network !== addr) {
    return { ok: false, error: `"${s}" has host bits set; the subnet is ${formatIPv4(network)}/${prefix}` };
  }
  return { ok: true, cidr: { network, prefix, last: network + size - 1 } };
}

/** Why `gateway` cannot be the gateway of `cidr`, or null when it can. */
export function gatewayProblem(gateway: string, cidr: Cidr4): string | null {
  const g = parseIPv4(gateway);
  if (g === null) return `"${gateway}" is not an IPv4 address`;
  const range = `${formatIPv4(cidr.network)}/${cidr.prefix}`;
  if (g < cidr.network || g > cidr.last) return `the gateway ${gateway} is outside the subnet ${range}`;
  if (cidr.prefix < 31 && (g === cidr.network || g === cidr.last)) {
    return `the gateway ${gateway} is the ${g === cidr.network ? 'network' : 'broadcast'} address of ${range}; pick a host address`;
  }
  return null;
}

/** Whether `ip` is a usable address inside `cidr`. */
export function ipInCidr(ip: string, cidr: Cidr4): boolean {
  const n = parseIPv4(ip);
  return n !== null && n >= cidr.network && n <= cidr.last;
}
