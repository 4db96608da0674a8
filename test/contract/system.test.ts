import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, type rawDocker, useEngine, type TestCore } from '../support/engine';
import { engineObjects, lacks, type EngineObjects } from './objects-engine';
import { rejection, waitFor } from './system-kit';

describeEngine('system', () => {
  let t: TestCore;
  let kit: EngineObjects;
  const noDf = lacks('diskUsage');
  const itDf = (name: string, fn: () => Promise<void>) => (noDf ? it.skip(`${name} [skipped: ${noDf}]`, fn) : it(name, fn));

  beforeAll(async () => {
    t = await createTestCore();
    kit = engineObjects(useEngine().images.busybox, 'system');
  });
  afterAll(async () => {
    await kit?.cleanup();
    await t?.dispose();
  });

  it('pings and reads the version', async () => {
    expect(await t.client.call('system.ping', {})).toEqual({ ok: true });
    const v = await t.client.call('system.version', {});
    expect(v).toMatchObject(await kit.expectedVersion());
  });

  it('reads the engine info, normalized and raw', async () => {
    const i = await t.client.call('system.info', {});
    const raw = (await kit.rawInfo()) as Awaited<ReturnType<ReturnType<typeof rawDocker>['info']>>;
    expect(i).toMatchObject({
      name: raw.Name,
      // containerd says v2.4.2; Berth shows versions without the v, as Docker's.
      serverVersion: raw.ServerVersion.replace(/^v/, ''),
      operatingSystem: raw.OperatingSystem,
      osType: raw.OSType,
      kernelVersion: raw.KernelVersion,
      architecture: raw.Architecture,
      cpus: raw.NCPU,
      memory: raw.MemTotal,
      driver: raw.Driver,
      cgroupDriver: raw.CgroupDriver,
      cgroupVersion: raw.CgroupVersion,
      rootDir: raw.DockerRootDir ?? null,
      securityOptions: raw.SecurityOptions,
    });
    expect(i.containers.total).toBe(i.containers.running + i.containers.paused + i.containers.stopped);
    expect(i.images).toBeGreaterThanOrEqual(1);
    expect(i.raw.ID).toBe(raw.ID);
  });

  itDf('reports disk usage, counting a volume and a container it knows', async () => {
    const vol = kit.name('df');
    await kit.createVolume(vol);
    await kit.container({ cmd: ['sh', '-c', 'head -c 30000 /dev/zero > /data/f; head -c 7000 /dev/zero > /layer; sleep 1000'], volume: { source: vol, target: '/data' } });
    const df = await waitFor('the volume data to be counted', async () => {
      const r = await t.client.call('system.df', {});
      return r.volumes.size >= 30000 && r.containers.size >= 7000 ? r : null;
    });
    for (const k of [df.images, df.containers, df.volumes, df.buildCache]) {
      expect(k.active).toBeLessThanOrEqual(k.count);
      expect(k.reclaimable).toBeLessThanOrEqual(k.size);
      expect(k.reclaimable).toBeGreaterThanOrEqual(0);
    }
    expect(df.images.count).toBeGreaterThanOrEqual(1);
    expect(df.images.active).toBeGreaterThanOrEqual(1);
    expect(df.volumes.active).toBeGreaterThanOrEqual(1);
    expect(df.containers.active).toBeGreaterThanOrEqual(1);
  });

  itDf('serves concurrent disk usage reads while another client runs one (dockerd 20.10 refuses overlapping runs)', async () => {
    const vol = kit.name('many-files');
    await kit.createVolume(vol);
    const writer = await kit.container({ cmd: ['sh', '-c', 'cd /data && i=0; while [ $i -lt 10000 ]; do echo $i > f$i; i=$((i+1)); done'], volume: { source: vol, target: '/data' } });
    await writer.wait();
    const other = kit.otherClientDiskUsage().catch((e: unknown) => e); // another client's run, started first; it may itself be refused
    const ours = await Promise.all([
      t.client.call('system.df', {}),
      t.client.call('volumes.list', {}),
      t.client.call('system.df', {}),
      t.client.call('volumes.list', {}),
      t.client.call('volumes.inspect', { name: vol }),
    ]);
    await other; // only Berth's calls are checked
    const [df1, list1, df2, list2, details] = ours;
    expect(df1.volumes.size).toBeGreaterThan(20000);
    expect(df2.volumes.size).toBeGreaterThan(20000);
    for (const l of [list1, list2]) {
      expect(l.sizeError).toBeUndefined();
      expect(l.volumes.find((v) => v.name === vol)?.size).toBeGreaterThan(20000);
    }
    expect(details.sizeError).toBeUndefined();
    expect(details.size).toBeGreaterThan(20000);
  });

  it('refuses a system prune without an explicit confirmation, removing nothing', async () => {
    const stopped = await kit.container({ name: kit.name('keep-me'), start: false });
    const vol = kit.name('keep-vol');
    await kit.createVolume(vol);
    for (const input of [{}, { confirm: false }, { confirm: 'yes' }, { volumes: true, all: true }] as const) {
      const err = await rejection(t.client.call('system.prune', input as never));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toContain('confirmation is required');
    }
    expect(await kit.containerExists(stopped.id)).toBe(true);
    expect(await kit.volume(vol)).not.toBeNull();
  });
});
