import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NetworkSummary } from '../../app/contract/networks';
import { createTestCore, describeEngine, useEngine, type TestCore } from '../support/engine';
import { engineObjects, lacks, type EngineObjects } from './objects-engine';
import { rejection } from './system-kit';

describeEngine('networks', () => {
  let t: TestCore;
  let kit: EngineObjects;
  const netExists = async (id: string) => (await kit.network(id)) !== null;
  const mineNamed = (name: string) => kit.networksNamed(name);
  /** `it`, or a skip naming the capability the engine lacks. */
  const itNeeds = (cap: Parameters<typeof lacks>[0], name: string, fn: () => Promise<void>) => {
    const why = lacks(cap);
    if (why) it.skip(`${name} [skipped: ${why}]`, fn);
    else it(name, fn);
  };

  /** A 172.31.X.0/24 network with a random X; another X when the engine says the subnet is taken. */
  async function createNet(extra: { internal?: boolean; attachable?: boolean; gateway?: (x: number) => string } = {}): Promise<{ net: NetworkSummary; x: number }> {
    for (let i = 0; i < 20; i++) {
      const x = crypto.randomInt(256);
      const input = { name: kit.name('net'), subnet: `172.31.${x}.0/24`, labels: kit.labels, internal: extra.internal, attachable: extra.attachable, gateway: extra.gateway?.(x) };
      try {
        return { net: await t.client.call('networks.create', input), x };
      } catch (err) {
        if ((err as { code?: string }).code !== 'CONFLICT') throw err;
      }
    }
    throw new Error('no free 172.31.X.0/24 subnet after 20 tries');
  }

  beforeAll(async () => {
    t = await createTestCore();
    kit = engineObjects(useEngine().images.busybox, 'networks');
  });
  afterAll(async () => {
    await kit?.cleanup();
    await t?.dispose();
  });

  itNeeds('internalNetworks', 'creates a network with subnet, gateway, internal, attachable and labels', async () => {
    const { net, x } = await createNet({ internal: true, attachable: true, gateway: (n) => `172.31.${n}.254` });
    expect(net).toMatchObject({ driver: 'bridge', scope: 'local', internal: true, attachable: true, builtIn: false, containers: [] });
    expect(net.ipam).toEqual([{ subnet: `172.31.${x}.0/24`, gateway: `172.31.${x}.254` }]);
    const raw = await kit.network(net.id);
    if (!raw) return expect.fail(`network ${net.id} not found`);
    expect(raw.Name).toBe(net.name);
    expect(raw.IPAM?.Config).toEqual([{ Subnet: `172.31.${x}.0/24`, Gateway: `172.31.${x}.254` }]);
    expect([raw.Internal, raw.Attachable, raw.Labels?.['berth.test']]).toEqual([true, true, '1']);
  });

  it('refuses a name in use and an overlapping subnet, naming them', async () => {
    const { net, x } = await createNet();
    const dup = await rejection(t.client.call('networks.create', { name: net.name, labels: kit.labels }));
    expect(dup.code).toBe('NAME_IN_USE');
    expect(dup.message).toContain(net.name);
    expect(await mineNamed(net.name)).toHaveLength(1);

    const name = kit.name('overlap');
    const overlap = await rejection(t.client.call('networks.create', { name, subnet: `172.31.${x}.0/24`, labels: kit.labels }));
    expect(overlap.code).toBe('CONFLICT');
    expect(overlap.message).toContain(`172.31.${x}.0/24`);
    expect(await mineNamed(name)).toHaveLength(0);
  });

  it('rejects bad subnets and gateways before the engine, creating nothing', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ subnet: '172.31.9.0/24', gateway: '172.31.10.1' }, /gateway: the gateway 172\.31\.10\.1 is outside the subnet 172\.31\.9\.0\/24/],
      [{ subnet: '172.31.9.7/24' }, /subnet: "172\.31\.9\.7\/24" has host bits set; the subnet is 172\.31\.9\.0\/24/],
      [{ subnet: '172.31.9.0/40' }, /subnet: .*prefix length/],
      [{ subnet: 'not-a-cidr' }, /subnet: .*not an IPv4 subnet/],
      [{ gateway: '172.31.9.1' }, /gateway: a gateway needs a subnet/],
      [{ subnet: '172.31.9.0/24', gateway: '172.31.9.255' }, /gateway: .*broadcast address/],
    ];
    for (const [extra, msg] of cases) {
      const name = kit.name('bad');
      const err = await rejection(t.client.call('networks.create', { name, labels: kit.labels, ...extra }));
      expect(err.code, JSON.stringify(extra)).toBe('INVALID_INPUT');
      expect(err.message).toMatch(msg);
      expect(await mineNamed(name)).toHaveLength(0);
    }
  });

  it('says when a driver does not exist', async () => {
    const name = kit.name('nodriver');
    const err = await rejection(t.client.call('networks.create', { name, driver: 'berth-no-such-driver', labels: kit.labels }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('berth-no-such-driver');
    expect(await mineNamed(name)).toHaveLength(0);
  });

  it('lists networks with the containers attached now, as network inspect has them', async () => {
    const { net, x } = await createNet();
    const cname = kit.name('on-net');
    const c = await kit.container({ name: cname, network: net.name });
    await kit.container({ name: kit.name('created-only'), network: net.name, start: false });

    const list = await t.client.call('networks.list', {});
    const entry = list.find((n) => n.id === net.id);
    expect(entry?.containers).toHaveLength(1);
    expect(entry?.containers[0]).toMatchObject({ id: c.id, name: cname });
    expect(entry?.containers[0]?.ipv4).toMatch(new RegExp(`^172\\.31\\.${x}\\.\\d+$`));
    const raw = await kit.network(net.id);
    expect(Object.keys(raw?.Containers ?? {})).toEqual([c.id]);
    expect(raw?.Containers?.[c.id]?.IPv4Address).toBe(`${entry?.containers[0]?.ipv4}/24`);

    for (const b of ['bridge', 'host', 'none']) expect(list.find((n) => n.name === b)?.builtIn).toBe(true);

    const d = await t.client.call('networks.inspect', { network: net.name });
    expect(d).toMatchObject({ id: net.id, name: net.name, enableIPv6: false, ipamDriver: kit.defaultIpamDriver });
    expect(d.containers).toEqual(entry?.containers);
    expect(d.raw.Id).toBe(net.id);
  });

  itNeeds('networkConnect', 'connects a container with an alias and a fixed address, then disconnects it', async () => {
    const { net, x } = await createNet();
    const cname = kit.name('joiner');
    const c = await kit.container({ name: cname });
    const ip = `172.31.${x}.50`;

    const r = await t.client.call('networks.connect', { network: net.name, container: cname, aliases: ['berth-alias'], ipv4: ip });
    expect(r).toEqual({ network: net.id, container: c.id, ipv4: ip });
    const ep = (await c.inspect()).NetworkSettings.Networks[net.name];
    expect(ep?.IPAddress).toBe(ip);
    expect(ep?.Aliases).toContain('berth-alias');

    const again = await rejection(t.client.call('networks.connect', { network: net.name, container: cname }));
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toContain('already connected');

    expect(await t.client.call('networks.disconnect', { network: net.name, container: cname })).toEqual({ network: net.name, container: cname });
    expect((await c.inspect()).NetworkSettings.Networks[net.name]).toBeUndefined();

    const notConnected = await rejection(t.client.call('networks.disconnect', { network: net.name, container: cname }));
    expect(notConnected.code).toBe('CONFLICT');
    expect(notConnected.message).toContain('is not connected');
  });

  itNeeds('networkConnect', 'names the missing container or network on connect', async () => {
    const { net } = await createNet();
    const ghost = kit.name('ghost');
    const noContainer = await rejection(t.client.call('networks.connect', { network: net.name, container: ghost }));
    expect([noContainer.code, noContainer.message.includes(`"${ghost}"`)]).toEqual(['NOT_FOUND', true]);
    const cname = kit.name('lonely');
    await kit.container({ name: cname });
    const noNet = kit.name('nonet');
    const noNetwork = await rejection(t.client.call('networks.connect', { network: noNet, container: cname }));
    expect([noNetwork.code, noNetwork.message.includes(`"${noNet}"`)]).toEqual(['NOT_FOUND', true]);
    const inspectMissing = await rejection(t.client.call('networks.inspect', { network: noNet }));
    expect(inspectMissing.code).toBe('NOT_FOUND');
  });

  it('refuses to remove a built-in network or one with containers, then removes it', async () => {
    const builtIn = await rejection(t.client.call('networks.remove', { network: 'bridge' }));
    expect(builtIn.code).toBe('INVALID_INPUT');
    expect(builtIn.message).toBe('The network "bridge" is built into the engine and cannot be removed.');
    expect(await netExists('bridge')).toBe(true);

    const { net } = await createNet();
    const cname = kit.name('blocker');
    const c = await kit.container({ name: cname, network: net.name });
    const busy = await rejection(t.client.call('networks.remove', { network: net.name }));
    expect(busy.code).toBe('CONFLICT');
    expect(busy.message).toContain(`"${net.name}"`);
    expect(busy.message).toContain(cname);
    expect(await netExists(net.id)).toBe(true);

    await c.remove({ force: true });
    expect(await t.client.call('networks.remove', { network: net.name })).toEqual({ id: net.id });
    expect(await netExists(net.id)).toBe(false);
    const gone = await rejection(t.client.call('networks.remove', { network: net.name }));
    expect(gone.code).toBe('NOT_FOUND');
  });
});
