import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImage, busyboxContext, createTestCore, describeEngine, TEST_LABEL, type TestCore } from '../support/engine';
import { startDockerd, type Dockerd } from '../support/dockerd';
import { buildBusybox } from '../support/images';
import { exists } from './system-kit';

/**
 * Prunes remove every unused object of an engine, so they run on a SEPARATE private dockerd
 * (never the shared one, where other suites' objects live). That also makes the expected sets exact.
 */
describeEngine('prunes: volumes, networks, system', () => {
  let d: Dockerd;
  let docker: Docker;
  let t: TestCore;
  let busybox: string;
  const labels = { [TEST_LABEL]: '1' };
  const o: Record<string, string> = {};
  const volExists = (n: string) => exists(() => docker.getVolume(n).inspect());
  const netExists = (n: string) => exists(() => docker.getNetwork(n).inspect());
  const imgExists = (n: string) => exists(() => docker.getImage(n).inspect());

  async function run(name: string, cmd: string[], host: Docker.HostConfig = {}, extra: Partial<Docker.ContainerCreateOptions> = {}) {
    const c = await docker.createContainer({ name, Image: busybox, Cmd: cmd, Labels: labels, HostConfig: host, ...extra });
    await c.start();
    return c;
  }

  /** Makes an unused anonymous volume holding `bytes` bytes, the way containers leave them behind. */
  async function anonymousVolume(bytes: number): Promise<string> {
    const c = await run(`anon-maker-${bytes}`, ['sh', '-c', `head -c ${bytes} /dev/zero > /anon/f`], {}, { Volumes: { '/anon': {} } });
    await c.wait();
    const name = (await c.inspect()).Mounts.find((m) => m.Destination === '/anon')?.Name as string;
    await c.remove(); // without v: the anonymous volume stays
    return name;
  }

  beforeAll(async () => {
    d = await startDockerd();
    docker = new Docker({ socketPath: d.socketPath });
    busybox = await buildBusybox(d.dockerHost);
    t = await createTestCore(d.dockerHost);

    await docker.createVolume({ Name: 'used-vol', Labels: labels });
    await docker.createVolume({ Name: 'free-vol', Labels: labels });
    await docker.createNetwork({ Name: 'used-net', Labels: labels, CheckDuplicate: true });
    await docker.createNetwork({ Name: 'stopped-net', Labels: labels, CheckDuplicate: true });
    await docker.createNetwork({ Name: 'free-net', Labels: labels, CheckDuplicate: true });
    o.running = (await run('running', ['sleep', '1000'], { NetworkMode: 'used-net', Mounts: [{ Type: 'volume', Source: 'used-vol', Target: '/data' }] })).id;
    o.stopped = (await docker.createContainer({ name: 'stopped', Image: busybox, Cmd: ['true'], Labels: labels, HostConfig: { NetworkMode: 'stopped-net' } })).id;
    const fill = await run('filler', ['sh', '-c', 'head -c 6000 /dev/zero > /data/f'], { Mounts: [{ Type: 'volume', Source: 'free-vol', Target: '/data' }] });
    await fill.wait();
    await fill.remove();
    o.anon = await anonymousVolume(4000);

    await buildImage(docker, 'berth-test/rebuilt:1', busyboxContext('RUN head -c 3000 /dev/zero > /gen1'));
    o.dangling = (await docker.getImage('berth-test/rebuilt:1').inspect()).Id;
    await buildImage(docker, 'berth-test/rebuilt:1', busyboxContext('LABEL gen=2'));
    await buildImage(docker, 'berth-test/unused:1', busyboxContext('LABEL unused=1'));
  });

  afterAll(async () => {
    await t?.dispose();
    await d?.dispose();
  });

  it('volumes.prune dry run lists unused anonymous volumes, or named ones too with all, removing nothing', async () => {
    const anon = await t.client.call('volumes.prune', { dryRun: true });
    expect(anon).toMatchObject({ dryRun: true, failed: [] });
    expect(anon.removed.map((v) => v.name)).toEqual([o.anon]);
    expect(anon.spaceReclaimed).toBeGreaterThanOrEqual(4000);
    expect(anon.sizeError).toBeUndefined();

    const all = await t.client.call('volumes.prune', { dryRun: true, all: true });
    expect(all.removed.map((v) => v.name).sort()).toEqual([o.anon, 'free-vol'].sort());
    expect(all.spaceReclaimed).toBeGreaterThanOrEqual(10000);
    for (const v of [o.anon as string, 'free-vol', 'used-vol']) expect(await volExists(v)).toBe(true);
  });

  it('networks.prune removes networks no container refers to, keeping built-in ones and those of stopped containers', async () => {
    const dry = await t.client.call('networks.prune', { dryRun: true });
    expect(dry.removed.map((n) => n.name)).toEqual(['free-net']);
    expect(await netExists('free-net')).toBe(true);

    const r = await t.client.call('networks.prune', {});
    expect(r).toMatchObject({ dryRun: false, failed: [] });
    expect(r.removed.map((n) => n.name)).toEqual(['free-net']);
    expect(await netExists('free-net')).toBe(false);
    for (const n of ['used-net', 'stopped-net', 'bridge', 'host', 'none']) expect(await netExists(n)).toBe(true);
  });

  it('volumes.prune without all removes only the unused anonymous volume', async () => {
    const r = await t.client.call('volumes.prune', {});
    expect(r.removed.map((v) => v.name)).toEqual([o.anon]);
    expect(r.spaceReclaimed).toBeGreaterThanOrEqual(4000);
    expect(await volExists(o.anon as string)).toBe(false);
    expect(await volExists('free-vol')).toBe(true);
    expect(await volExists('used-vol')).toBe(true);
  });

  it('system.prune (confirmed) removes stopped containers, then their networks, dangling images; keeps volumes and tagged images', async () => {
    const r = await t.client.call('system.prune', { confirm: true });
    expect(r.containers.removed).toEqual([o.stopped]);
    expect(r.networks.removed).toEqual(['stopped-net']);
    expect(r.volumes).toBeNull();
    expect(r.images.removed).toContain(o.dangling);
    expect(r.images.spaceReclaimed).toBeGreaterThanOrEqual(3000); // the dangling image's own layer
    expect(r.spaceReclaimed).toBe(r.containers.spaceReclaimed + r.images.spaceReclaimed + r.buildCache.spaceReclaimed);

    expect(await exists(() => docker.getContainer(o.stopped as string).inspect())).toBe(false);
    expect((await docker.getContainer(o.running as string).inspect()).State.Running).toBe(true);
    expect(await netExists('stopped-net')).toBe(false);
    expect(await imgExists(o.dangling as string)).toBe(false);
    for (const img of ['berth-test/unused:1', 'berth-test/rebuilt:1', busybox]) expect(await imgExists(img)).toBe(true);
    expect(await volExists('free-vol')).toBe(true);
  });

  it('system.prune with volumes and all removes every unused image and volume, and nothing in use', async () => {
    const anon2 = await anonymousVolume(100);
    const r = await t.client.call('system.prune', { confirm: true, volumes: true, all: true });
    expect(r.volumes?.removed.sort()).toEqual([anon2, 'free-vol'].sort());
    expect(r.volumes?.spaceReclaimed).toBeGreaterThanOrEqual(6100);
    expect(r.images.removed).toEqual(expect.arrayContaining(['berth-test/unused:1', 'berth-test/rebuilt:1']));
    expect(await imgExists('berth-test/unused:1')).toBe(false);
    expect(await imgExists('berth-test/rebuilt:1')).toBe(false);
    expect(await imgExists(busybox)).toBe(true);
    expect(await volExists('free-vol')).toBe(false);
    expect(await volExists('used-vol')).toBe(true);
    expect(await netExists('used-net')).toBe(true);
    expect((await docker.getContainer(o.running as string).inspect()).State.Running).toBe(true);

    const df = await t.client.call('system.df', {});
    expect(df.volumes).toMatchObject({ count: 1, active: 1 });
    expect(df.containers).toMatchObject({ count: 1, active: 1 });
    expect(df.images).toMatchObject({ count: 1, active: 1, reclaimable: 0 });
  });
});
