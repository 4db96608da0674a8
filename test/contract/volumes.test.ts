import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, useEngine, type TestCore } from '../support/engine';
import { engineObjects, lacks, type EngineObjects } from './objects-engine';
import { rejection, waitFor } from './system-kit';

describeEngine('volumes', () => {
  let t: TestCore;
  let kit: EngineObjects;
  const volExists = async (name: string) => (await kit.volume(name)) !== null;

  beforeAll(async () => {
    t = await createTestCore();
    kit = engineObjects(useEngine().images.busybox, 'volumes');
  });
  afterAll(async () => {
    await kit?.cleanup();
    await t?.dispose();
  });

  const noDriverOpts = lacks('volumeDriverOptions');
  it.skipIf(noDriverOpts)(`creates a named volume with labels and driver options${noDriverOpts ? ` [skipped: ${noDriverOpts}]` : ''}`, async () => {
    const name = kit.name('vol');
    const v = await t.client.call('volumes.create', { name, labels: { ...kit.labels, purpose: 'test' }, driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } });
    expect(v).toMatchObject({ name, driver: 'local', usedBy: [], refCount: 0, anonymous: false, scope: 'local' });
    expect(v.labels.purpose).toBe('test');
    expect(Date.parse(v.created ?? '')).toBeGreaterThan(Date.now() - 10 * 60_000);
    const raw = await kit.volume(name);
    expect(raw?.Labels).toMatchObject({ purpose: 'test', 'berth.test': '1' });
    expect(raw?.Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
  });

  it('refuses a name in use instead of returning the old volume', async () => {
    const name = kit.name('dup');
    await t.client.call('volumes.create', { name, labels: { ...kit.labels, gen: '1' } });
    const err = await rejection(t.client.call('volumes.create', { name, labels: { ...kit.labels, gen: '2' } }));
    expect(err.code).toBe('NAME_IN_USE');
    expect(err.message).toContain(name);
    expect((await kit.volume(name))?.Labels?.gen).toBe('1');
  });

  it('rejects a bad name before the engine, creating nothing', async () => {
    const mine = () => kit.volumeNames();
    const before = await mine();
    for (const name of ['-bad', 'bad name', 'x']) {
      const err = await rejection(t.client.call('volumes.create', { name, labels: kit.labels }));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toMatch(/^Invalid input for volumes.create: name: /);
    }
    expect(await mine()).toEqual(before);
  });

  it('lets the engine name an unnamed volume (an anonymous-looking one)', async () => {
    const v = await t.client.call('volumes.create', { labels: kit.labels });
    expect(v.name).toMatch(/^[0-9a-f]{64}$/);
    expect(v.anonymous).toBe(true);
    expect(await volExists(v.name)).toBe(true);
  });

  it('lists volumes with the containers using them and their sizes; inspects one', async () => {
    const name = kit.name('used');
    await t.client.call('volumes.create', { name, labels: kit.labels });
    const cname = kit.name('user');
    const c = await kit.container({ name: cname, cmd: ['sh', '-c', 'head -c 12345 /dev/zero > /data/f; sleep 1000'], volume: { source: name, target: '/data' } });
    const stoppedName = kit.name('stopped-user');
    const stopped = await kit.container({ name: stoppedName, start: false, volume: { source: name, target: '/data' } });

    const entry = await waitFor('the volume size to reach 12345 bytes', async () => {
      const list = await t.client.call('volumes.list', {});
      expect(list.sizeError).toBeUndefined();
      const e = list.volumes.find((v) => v.name === name);
      return e && e.size !== null && e.size >= 12345 ? e : null;
    });
    expect(entry.usedBy.map((u) => u.name).sort()).toEqual([cname, stoppedName].sort());
    expect(entry.usedBy.map((u) => u.id).sort()).toEqual([c.id, stopped.id].sort());
    expect(entry.refCount).toBe(2);
    expect(entry.mountpoint).toBe((await kit.volume(name))?.Mountpoint);

    const d = await t.client.call('volumes.inspect', { name });
    expect(d).toMatchObject({ name, refCount: 2, driver: 'local' });
    expect(d.size).toBeGreaterThanOrEqual(12345);
    expect(d.raw.Name).toBe(name);
    expect(d.options).toEqual({});
  });

  it('says which volume is in use, and keeps it, even with force', async () => {
    const name = kit.name('busy');
    await t.client.call('volumes.create', { name, labels: kit.labels });
    const cname = kit.name('holder');
    const c = await kit.container({ name: cname, volume: { source: name, target: '/data' } });
    for (const force of [false, true]) {
      const err = await rejection(t.client.call('volumes.remove', force ? { name, force, confirm: true } : { name }));
      expect(err.code).toBe('VOLUME_IN_USE');
      expect(err.message).toContain(`"${name}"`);
      expect(err.message).toContain(cname);
      expect(await volExists(name)).toBe(true);
    }
    await c.remove({ force: true });
    expect(await t.client.call('volumes.remove', { name })).toEqual({ name });
    expect(await volExists(name)).toBe(false);
  });

  it('reports missing volumes as NOT_FOUND', async () => {
    const name = kit.name('missing');
    // One call at a time: a second promise made up front would reject while the first is awaited.
    for (const call of [() => t.client.call('volumes.inspect', { name }), () => t.client.call('volumes.remove', { name })]) {
      const err = await rejection(call());
      expect(err.code).toBe('NOT_FOUND');
      expect(err.message).toContain(name);
    }
  });
});
