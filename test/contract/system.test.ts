import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, rawDocker, useEngine, type TestCore } from '../support/engine';
import { exists, objectsKit, rejection, waitFor, type ObjectsKit } from './system-kit';

describeEngine('system', () => {
  let t: TestCore;
  let kit: ObjectsKit;
  const docker = () => rawDocker();

  beforeAll(async () => {
    t = await createTestCore();
    kit = objectsKit(docker(), useEngine().images.busybox, 'system');
  });
  afterAll(async () => {
    await kit?.cleanup();
    await t?.dispose();
  });

  it('pings and reads the version', async () => {
    expect(await t.client.call('system.ping', {})).toEqual({ ok: true });
    const v = await t.client.call('system.version', {});
    const raw = await docker().version();
    expect(v).toMatchObject({ version: raw.Version, apiVersion: raw.ApiVersion, os: raw.Os, arch: raw.Arch, product: 'Docker Engine' });
  });

  it('reads the engine info, normalized and raw', async () => {
    const i = await t.client.call('system.info', {});
    const raw = await docker().info();
    expect(i).toMatchObject({
      name: raw.Name,
      serverVersion: raw.ServerVersion,
      operatingSystem: raw.OperatingSystem,
      osType: raw.OSType,
      kernelVersion: raw.KernelVersion,
      architecture: raw.Architecture,
      cpus: raw.NCPU,
      memory: raw.MemTotal,
      driver: raw.Driver,
      cgroupDriver: raw.CgroupDriver,
      cgroupVersion: raw.CgroupVersion,
      rootDir: raw.DockerRootDir,
      securityOptions: raw.SecurityOptions,
    });
    expect(i.containers.total).toBe(i.containers.running + i.containers.paused + i.containers.stopped);
    expect(i.images).toBeGreaterThanOrEqual(1);
    expect(i.raw.ID).toBe(raw.ID);
  });

  it('reports disk usage, counting a volume and a container it knows', async () => {
    const vol = kit.name('df');
    await docker().createVolume({ Name: vol, Labels: kit.labels });
    await kit.container({ cmd: ['sh', '-c', 'head -c 30000 /dev/zero > /data/f; head -c 7000 /dev/zero > /layer; sleep 1000'], mounts: [{ Type: 'volume', Source: vol, Target: '/data' }] });
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

  it('serves concurrent disk usage reads while another client runs one (dockerd 20.10 refuses overlapping runs)', async () => {
    const vol = kit.name('many-files');
    await docker().createVolume({ Name: vol, Labels: kit.labels });
    const writer = await kit.container({ cmd: ['sh', '-c', 'cd /data && i=0; while [ $i -lt 10000 ]; do echo $i > f$i; i=$((i+1)); done'], mounts: [{ Type: 'volume', Source: vol, Target: '/data' }] });
    await writer.wait();
    const other = docker().df().catch((e: unknown) => e); // another client's run, started first; it may itself be refused
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
    await docker().createVolume({ Name: vol, Labels: kit.labels });
    for (const input of [{}, { confirm: false }, { confirm: 'yes' }, { volumes: true, all: true }] as const) {
      const err = await rejection(t.client.call('system.prune', input as never));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toContain('confirmation is required');
    }
    expect(await exists(() => stopped.inspect())).toBe(true);
    expect(await exists(() => docker().getVolume(vol).inspect())).toBe(true);
  });
});
