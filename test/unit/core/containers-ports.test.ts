import { describe, expect, it } from 'vitest';
import { formatPortSpec, parsePortKey, parsePortSpec } from '../../../app/core/containers-ports';

describe('port specs', () => {
  it.each([
    ['80', { containerPort: 80, protocol: 'tcp' }],
    ['8080:80', { hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    ['127.0.0.1:8080:80', { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    ['127.0.0.1::80', { hostIp: '127.0.0.1', containerPort: 80, protocol: 'tcp' }],
    ['[::1]:8080:80/udp', { hostIp: '::1', hostPort: 8080, containerPort: 80, protocol: 'udp' }],
    ['[::1]::53/udp', { hostIp: '::1', containerPort: 53, protocol: 'udp' }],
    ['9000:9000/sctp', { hostPort: 9000, containerPort: 9000, protocol: 'sctp' }],
  ])('parses %s and formats it back', (spec, parsed) => {
    expect(parsePortSpec(spec)).toEqual(parsed);
    expect(formatPortSpec(parsePortSpec(spec))).toBe(spec);
  });

  it.each([
    ['80/icmp', /unknown protocol "icmp"/],
    ['0:80', /host port "0" must be a number from 1 to 65535/],
    ['8080:70000', /container port "70000"/],
    ['a:b:c:d', /is not \[host-ip:\]\[host-port:\]container-port/],
    ['', /container port ""/],
  ])('refuses %s', (spec, message) => {
    expect(() => parsePortSpec(spec)).toThrow(message);
  });

  it('reads engine port keys', () => {
    expect(parsePortKey('80/tcp')).toEqual({ containerPort: 80, protocol: 'tcp' });
    expect(parsePortKey('53/udp')).toEqual({ containerPort: 53, protocol: 'udp' });
    expect(parsePortKey('443')).toEqual({ containerPort: 443, protocol: 'tcp' });
    expect(parsePortKey('99999/tcp')).toBeNull();
    expect(parsePortKey('x/tcp')).toBeNull();
  });
});
