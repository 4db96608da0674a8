import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, randomSuffix, type TestCore } from '../support/engine';
import { containersKit, freeLocalPort, httpGet, rejection } from './containers-support';
import { lacks } from './objects-engine';

/** httpd serving /www from an anonymous volume; every start appends a line to /www/starts. */
const countingHttpd = ['sh', '-c', '[ -f /www/index.html ] || echo v1 > /www/index.html; echo start >> /www/starts; exec httpd -f -p 80 -h /www'];

describeEngine('containers.recreate', () => {
  let t: TestCore;
  const k = containersKit('recreate');
  const networks: string[] = [];

  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(async () => {
    await k.cleanup();
    for (const n of networks) await k.raw().getNetwork(n).remove().catch(() => undefined);
    await t?.dispose();
  });

  const namesLike = async (prefix: string) => (await t.client.call('containers.list', { all: true })).map((c) => c.name).filter((n) => n.startsWith(prefix));

  // It connects the container to a second network after it runs (networks.connect), which nerdctl lacks.
  const noConnect = lacks('networkConnect');
  it.skipIf(noConnect)(`replaces the container under the same name with the changes, keeping volumes, networks and the rest${noConnect ? ` [skipped: ${noConnect}]` : ''}`, async () => {
    const net1 = `berth-rc-a-${randomSuffix()}`;
    const net2 = `berth-rc-b-${randomSuffix()}`;
    for (const n of [net1, net2]) {
      await k.raw().createNetwork({ Name: n, Labels: k.labels });
      networks.push(n);
    }
    const [p1, p2] = [await freeLocalPort(), await freeLocalPort()];
    const name = k.name('web');
    const old = await t.client.call('containers.run', {
      options: k.opts({
        name,
        command: countingHttpd,
        env: ['A=1', 'KEEP=yes'],
        ports: [{ hostIp: '127.0.0.1', hostPort: p1, containerPort: 80 }],
        mounts: [{ type: 'volume', target: '/www' }],
        network: net1,
        limits: { memoryBytes: 64 * 1024 * 1024, pidsLimit: 40 },
        labels: { 'com.example.tier': 'front' },
      }),
    });
    await k.raw().getNetwork(net2).connect({ Container: old.id });
    expect((await httpGet(p1, '/starts')).trim()).toBe('start');

    const res = await t.client.call('containers.recreate', {
      id: name,
      timeoutSeconds: 1,
      changes: { env: ['A=2', 'KEEP=yes', 'B=3'], ports: [{ hostIp: '127.0.0.1', hostPort: p2, containerPort: 80 }], limits: { memoryBytes: 128 * 1024 * 1024 } },
    });
    expect(res.name).toBe(name);
    expect(res.id).not.toBe(old.id);
    await expect(k.rawInspect(old.id)).rejects.toThrow(/no such container/i);

    // Running again, on the new port, with the data of its anonymous volume.
    expect((await httpGet(p2, '/starts')).trim()).toBe('start\nstart');
    expect((await httpGet(p2, '/index.html')).trim()).toBe('v1');

    const d = await t.client.call('containers.inspect', { id: name });
    expect(d.id).toBe(res.id);
    expect(d.state.running).toBe(true);
    expect(d.config.env).toEqual(expect.arrayContaining([{ name: 'A', value: '2' }, { name: 'B', value: '3' }, { name: 'KEEP', value: 'yes' }]));
    expect(d.config.env.find((v) => v.name === 'A')?.value).toBe('2');
    expect(d.config.cmd).toEqual(countingHttpd);
    expect(d.config.labels['com.example.tier']).toBe('front');
    expect(d.config.hostname).toBe(res.id.slice(0, 12));
    expect(d.hostConfig.limits).toMatchObject({ memoryBytes: 128 * 1024 * 1024, pidsLimit: 40 });
    expect(d.hostConfig.portBindings).toEqual([{ hostIp: '127.0.0.1', hostPort: p2, containerPort: 80, protocol: 'tcp' }]);
    expect(d.networks.map((n) => n.name).sort()).toEqual([net1, net2].sort());
    expect(await namesLike(`${name}-berth-old-`)).toEqual([]);
  });

  it('puts the original back, running under its name, when the copy cannot start (PORT_ALLOCATED)', async () => {
    const busy = await freeLocalPort();
    await t.client.call('containers.run', { options: k.opts({ name: k.name('blocker'), ports: [{ hostIp: '127.0.0.1', hostPort: busy, containerPort: 80 }] }) });
    const p1 = await freeLocalPort();
    const name = k.name('victim');
    const old = await t.client.call('containers.run', {
      options: k.opts({ name, command: countingHttpd, ports: [{ hostIp: '127.0.0.1', hostPort: p1, containerPort: 80 }], mounts: [{ type: 'volume', target: '/www' }] }),
    });
    expect((await httpGet(p1, '/starts')).trim()).toBe('start');
    const before = (await t.client.call('containers.list', { all: true })).length;

    const err = await rejection(t.client.call('containers.recreate', { id: name, timeoutSeconds: 1, changes: { ports: [{ hostIp: '127.0.0.1', hostPort: busy, containerPort: 80 }] } }));
    expect(err.code).toBe('PORT_ALLOCATED');
    expect(err.message).toContain(`port ${busy}`);
    expect(err.message).toContain(`The original container "${name}" was kept and is running again.`);
    expect(err.details?.originalKept).toBe(true);
    expect(typeof err.details?.freePort).toBe('number');

    const d = await t.client.call('containers.inspect', { id: name });
    expect(d.id).toBe(old.id);
    expect(d.state.running).toBe(true);
    expect((await httpGet(p1, '/starts')).trim()).toBe('start\nstart');
    expect((await t.client.call('containers.list', { all: true })).length).toBe(before);
    expect(await namesLike(`${name}-berth-old-`)).toEqual([]);
  });

  it('keeps a stopped container stopped, and can rename it while recreating', async () => {
    const name = k.name('idle');
    const old = await t.client.call('containers.create', { options: k.opts({ name }) });
    const newName = k.name('idle2');
    const res = await t.client.call('containers.recreate', { id: old.id, changes: { name: newName, labels: { ...k.labels, extra: 'yes' }, security: { capDrop: ['ALL'] } } });
    expect(res.name).toBe(newName);
    const d = await t.client.call('containers.inspect', { id: newName });
    expect(d.state.status).toBe('created');
    expect(d.config.labels.extra).toBe('yes');
    expect(d.hostConfig.security.capDrop).toEqual(['ALL']);
    expect(await namesLike(name)).toEqual([]);
    // The copy is a container of its own: it starts (and starts again) once the original is gone.
    await t.client.call('containers.start', { id: newName });
    expect((await t.client.call('containers.inspect', { id: newName })).state.running).toBe(true);
    await t.client.call('containers.restart', { id: newName, timeoutSeconds: 0 });
    expect((await t.client.call('containers.inspect', { id: newName })).state.running).toBe(true);
  });

  it('refuses changes that clash with the kept settings, and touches nothing', async () => {
    const name = k.name('rm');
    const old = await t.client.call('containers.create', { options: k.opts({ name, autoRemove: true }) });
    const err = await rejection(t.client.call('containers.recreate', { id: name, changes: { restartPolicy: { name: 'always' } } }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/auto-remove cannot be combined with the restart policy "always"/);
    expect((await t.client.call('containers.inspect', { id: name })).id).toBe(old.id);

    const ghost = await rejection(t.client.call('containers.recreate', { id: `berth-ghost-${randomSuffix()}`, changes: {} }));
    expect(ghost.code).toBe('NOT_FOUND');
  });
});
