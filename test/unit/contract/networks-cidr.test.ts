import { describe, expect, it } from 'vitest';
import { formatIPv4, gatewayProblem, ipInCidr, networkSpecProblems, parseCidr4, parseIPv4, networksApi } from '../../../app/contract/networks';

const cidr = (s: string) => {
  const r = parseCidr4(s);
  if (!r.ok) throw new Error(r.error);
  return r.cidr;
};

describe('IPv4 parsing', () => {
  it('parses dotted quads and rejects everything else', () => {
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(parseIPv4('172.31.5.1')).toBe(((172 * 256 + 31) * 256 + 5) * 256 + 1);
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.-4', 'a.b.c.d', '', '1..2.3', ' 1.2.3.4']) {
      expect(parseIPv4(bad), bad).toBeNull();
    }
  });

  it('formats back', () => {
    expect(formatIPv4(parseIPv4('10.20.30.40') as number)).toBe('10.20.30.40');
  });
});

describe('CIDR parsing', () => {
  it('accepts network addresses with a prefix of 0 to 32', () => {
    expect(cidr('172.31.7.0/24')).toEqual({ network: parseIPv4('172.31.7.0'), prefix: 24, last: parseIPv4('172.31.7.255') });
    expect(cidr('10.0.0.0/8').last).toBe(parseIPv4('10.255.255.255'));
    expect(cidr('0.0.0.0/0').last).toBe(2 ** 32 - 1);
    expect(cidr('192.168.1.7/32').last).toBe(parseIPv4('192.168.1.7'));
  });

  it('explains what is wrong', () => {
    const err = (s: string) => {
      const r = parseCidr4(s);
      return r.ok ? null : r.error;
    };
    expect(err('172.31.7.5/24')).toBe('"172.31.7.5/24" has host bits set; the subnet is 172.31.7.0/24');
    expect(err('172.31.7.0/33')).toMatch(/prefix length \/33 must be between 0 and 32/);
    expect(err('172.31.7.0')).toMatch(/not an IPv4 subnet in CIDR form/);
    expect(err('300.1.1.0/24')).toBe('"300.1.1.0" is not an IPv4 address');
    expect(err('fd00::/64')).toMatch(/not an IPv4 address/);
  });
});

describe('gateway checks', () => {
  const c = cidr('172.31.7.0/24');
  it('accepts a host address inside the subnet', () => {
    expect(gatewayProblem('172.31.7.1', c)).toBeNull();
    expect(gatewayProblem('172.31.7.254', c)).toBeNull();
    expect(ipInCidr('172.31.7.9', c)).toBe(true);
    expect(ipInCidr('172.31.8.9', c)).toBe(false);
  });
  it('rejects outside, network and broadcast addresses, and non-addresses', () => {
    expect(gatewayProblem('172.31.8.1', c)).toBe('the gateway 172.31.8.1 is outside the subnet 172.31.7.0/24');
    expect(gatewayProblem('172.31.7.0', c)).toMatch(/network address of 172.31.7.0\/24/);
    expect(gatewayProblem('172.31.7.255', c)).toMatch(/broadcast address/);
    expect(gatewayProblem('gw', c)).toBe('"gw" is not an IPv4 address');
  });
  it('allows both addresses of a /31', () => {
    expect(gatewayProblem('10.0.0.0', cidr('10.0.0.0/31'))).toBeNull();
  });
});

describe('networks.create input', () => {
  const input = networksApi['networks.create'].input;
  it('lists the cross-field problems by field', () => {
    expect(networkSpecProblems({ gateway: '10.0.0.1' })).toEqual([['gateway', 'a gateway needs a subnet: give the subnet too']]);
    expect(networkSpecProblems({ subnet: '10.0.0.0/24', gateway: '10.0.1.1' })).toEqual([['gateway', 'the gateway 10.0.1.1 is outside the subnet 10.0.0.0/24']]);
    expect(networkSpecProblems({ subnet: '10.0.0.0/24', gateway: '10.0.0.1' })).toEqual([]);
    expect(networkSpecProblems({})).toEqual([]);
  });
  it('is rejected by the schema with the field path, before any engine', () => {
    const r = input.safeParse({ name: 'n', subnet: '10.0.0.0/24', gateway: '10.0.9.1' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['gateway', 'the gateway 10.0.9.1 is outside the subnet 10.0.0.0/24']]);
    expect(input.safeParse({ name: 'n', subnet: '10.0.0.0/24', gateway: '10.0.0.1', internal: true }).success).toBe(true);
    expect(input.safeParse({ name: 'bad name' }).success).toBe(false);
    expect(input.safeParse({ name: 'n', bogus: 1 }).success).toBe(false);
  });
});
