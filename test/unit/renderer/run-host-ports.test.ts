import { describe, expect, it } from 'vitest';
import { fillHostPorts, portSpecs, rowsWithLowHostPort, rowsWithoutHostPort } from '../../../renderer/features/run/host-ports';

const rows = (...specs: string[]) => specs.map((spec, key) => ({ key, spec }));

describe('run dialog host ports (engines that cannot pick one)', () => {
  it('finds the rows without a host port, and those below 1024', () => {
    const r = rows('80', '8080:80', '127.0.0.1::53/udp', '', 'not a port', '443:443', '[::1]::9000');
    expect(rowsWithoutHostPort(r).map((x) => x.spec)).toEqual(['80', '127.0.0.1::53/udp', '[::1]::9000']);
    expect(rowsWithLowHostPort(r).map((x) => x.spec)).toEqual(['443:443']);
  });

  it('fills a proposed port into each row without one, keeping address and protocol; the others stay', async () => {
    const asked: Array<[string, string]> = [];
    const free = [41001, 41002, 41003];
    const out = await fillHostPorts(rows('80', '8080:81', '', '127.0.0.1::53/udp', '[::1]::9000'), async (ip, proto) => {
      asked.push([ip, proto]);
      return free.shift() as number;
    });
    expect(out.map((x) => x.spec)).toEqual(['41001:80', '8080:81', '', '127.0.0.1:41002:53/udp', '[::1]:41003:9000']);
    expect(out.map((x) => x.key)).toEqual([0, 1, 2, 3, 4]);
    expect(asked).toEqual([['', 'tcp'], ['127.0.0.1', 'udp'], ['::1', 'tcp']]);
    expect(portSpecs(out)).toEqual([
      expect.objectContaining({ hostPort: 41001, containerPort: 80 }),
      expect.objectContaining({ hostPort: 8080, containerPort: 81 }),
      expect.objectContaining({ hostIp: '127.0.0.1', hostPort: 41002, containerPort: 53, protocol: 'udp' }),
      expect.objectContaining({ hostIp: '::1', hostPort: 41003, containerPort: 9000 }),
    ]);
  });

  it('never hands out a port another row names or one it already gave', async () => {
    const offers = [8080, 41001, 41001, 41002];
    const out = await fillHostPorts(rows('8080:80', '81', '82'), async () => offers.shift() as number);
    expect(out.map((x) => x.spec)).toEqual(['8080:80', '41001:81', '41002:82']);
  });

  it('fails naming the row when no distinct port comes back, and a failed proposal is not swallowed', async () => {
    await expect(fillHostPorts(rows('8080:80', '81'), async () => 8080)).rejects.toThrow(/81: give one yourself/);
    await expect(fillHostPorts(rows('81'), () => Promise.reject(new Error('engine down')))).rejects.toThrow('engine down');
  });
});
