import { describe, expect, it } from 'vitest';
import { containersHandlers } from '../../../app/api/containers';
import { checkedAgainst } from '../../../app/contract/checked';
import { containersApi, type ContainerSummary } from '../../../app/contract/containers';
import type { Services } from '../../../app/services';

const row = (id: string): ContainerSummary => ({
  id,
  name: `n-${id}`,
  image: 'busybox',
  imageId: 'sha256:1',
  command: 'sleep 1d',
  created: '2026-12-05T10:00:00.000Z',
  state: 'running',
  status: 'Up 3 minutes',
  health: null,
  ports: [{ hostIp: null, hostPort: null, containerPort: 80, protocol: 'tcp' }],
  labels: { a: 'b' },
  compose: { project: 'p', service: 's' },
  mounts: [{ type: 'volume', name: 'v', source: '/v', target: '/data', readOnly: false }],
  networks: ['bridge'],
});

function list(rows: unknown[]) {
  const services = {
    firstList: { take: () => null, waitForStart: () => null },
    engines: { resolve: () => ({ containers: { list: async () => rows } }) },
  } as unknown as Services;
  return containersHandlers(services)['containers.list']({ all: true }, {} as never);
}

describe('containers.list: a list of plain rows is checked by hand, not parsed again by the RPC server', () => {
  const schema = containersApi['containers.list'].output;

  it('plain rows: the list is sent as the engine made it, marked checked', async () => {
    const rows = [row('a'), row('b')];
    const out = await list(rows);
    expect(out).toBe(rows);
    expect(checkedAgainst(schema, out)).toBe(true);
  });

  it('any unusual row (an extra key, a bad value): the whole list is left to the RPC server\'s parse', async () => {
    for (const odd of [{ ...row('b'), extra: 1 }, { ...row('b'), state: 'gone' }, { ...row('b'), labels: { k: 1 } }]) {
      const out = await list([row('a'), odd]);
      expect(checkedAgainst(schema, out)).toBe(false);
    }
  });
});
