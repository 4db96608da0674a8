import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, randomSuffix, testNerdctl, useEngine, type TestCore } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { nerdctlRaw } from '../support/nerdctl-raw';

/**
 * system.df and system.prune on nerdctl (the Docker-API projects run system-prune.test.ts on a private
 * dockerd). Prunes remove every unused object, so this runs in a containerd namespace of its own on the
 * project's containerd: nerdctl keeps containers, images, volumes and networks per namespace, and the
 * expected sets are exact. Only BuildKit's cache is shared (builder prune keeps what a running build uses).
 */
describeEngine('nerdctl: disk usage and system prune in a namespace of their own', () => {
  const ns = `berth-prune-${randomSuffix()}`;
  let n: NerdctlTestEngine;
  let t: TestCore;
  let dir: string;
  const o: Record<string, string> = {};
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();
  const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);
  const names = async (...ls: string[]) => lines(await nr(...ls));

  /** An unused anonymous volume holding `bytes` bytes, the way containers leave them behind. */
  async function anonymousVolume(bytes: number): Promise<string> {
    const before = new Set(await names('volume', 'ls', '-q'));
    await nr('run', '--name', `anon-maker-${bytes}`, '--network', 'none', '-v', '/anon', useEngine().images.busybox, 'sh', '-c', `head -c ${bytes} /dev/zero > /anon/f`);
    await nr('rm', `anon-maker-${bytes}`);
    const [name] = (await names('volume', 'ls', '-q')).filter((v) => !before.has(v));
    if (!name) throw new Error('no anonymous volume was left behind');
    return name;
  }

  beforeAll(async () => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-prune-ns-'));
    const busybox = useEngine().images.busybox;
    // The project's busybox, copied into this namespace.
    await nerdctlRaw(n, 'save', '-o', path.join(dir, 'busybox.tar'), busybox);
    await nr('load', '-i', path.join(dir, 'busybox.tar'));
    // containerd's import keeps the archive's index as a nameless `import@sha256:…` image: a dangling one, not ours.
    for (const name of await names('images', '--format', '{{.Name}}')) if (name.startsWith('import@')) await nr('rmi', name);
    t = await createTestCore();
    // The namespace selector, as a user switches (the namespace exists once the image is loaded).
    expect((await t.client.call('engines.setNamespace', { namespace: ns })).current).toBe(ns);
    await nr('volume', 'create', 'used-vol');
    await nr('volume', 'create', 'free-vol');
    for (const net of ['used-net', 'stopped-net', 'free-net']) await nr('network', 'create', net);
    o.running = lines(await nr('run', '-d', '--name', 'running', '--network', 'used-net', '-v', 'used-vol:/data', busybox, 'sleep', '1000')).pop() ?? '';
    o.stopped = lines(await nr('create', '--name', 'stopped', '--network', 'stopped-net', busybox, 'true')).pop() ?? '';
    await nr('run', '--name', 'filler', '--network', 'none', '-v', 'free-vol:/data', busybox, 'sh', '-c', 'head -c 6000 /dev/zero > /data/f');
    await nr('rm', 'filler');
    o.anon = await anonymousVolume(4000);
    // An unused image of its own (a commit: no BuildKit needed).
    await nr('run', '--name', 'maker', '--network', 'none', busybox, 'sh', '-c', 'head -c 3000 /dev/zero > /made');
    await nr('commit', 'maker', 'berth-test/unused:1');
    await nr('rm', 'maker');
  });

  afterAll(async () => {
    await t?.dispose();
    if (n) {
      const ids = await names('ps', '-aq').catch(() => []);
      if (ids.length) await nr('rm', '-f', ...ids).catch(() => undefined);
      for (const net of ['used-net', 'stopped-net', 'free-net']) await nr('network', 'rm', net).catch(() => undefined);
      const vols = await names('volume', 'ls', '-q').catch(() => []);
      if (vols.length) await nr('volume', 'rm', ...vols).catch(() => undefined);
      const imgs = await names('images', '-q').catch(() => []);
      if (imgs.length) await nr('rmi', '-f', ...imgs).catch(() => undefined);
      await nr('namespace', 'remove', ns).catch(() => undefined);
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('system.df counts what nerdctl lists in the namespace, and says what it cannot measure', async () => {
    const df = await t.client.call('system.df', {});
    expect(df.containers).toMatchObject({ count: 2, active: 1 });
    expect(df.volumes).toMatchObject({ count: 3, active: 1 });
    expect(df.volumes.size).toBeGreaterThanOrEqual(10_000);
    expect(df.volumes.reclaimable).toBeGreaterThanOrEqual(10_000);
    expect(df.images).toMatchObject({ count: 2, active: 1 });
    expect(df.images.reclaimable).toBeGreaterThan(0);
    expect(df.images.reclaimable).toBeLessThan(df.images.size);
    expect(df.buildCache).toEqual({ count: 0, active: 0, size: 0, reclaimable: 0 });
    expect(df.notes?.map((x) => x.kind).sort()).toEqual(['buildCache', 'images']);
  });

  it('system.prune (confirmed) removes stopped containers, then unused networks; keeps volumes and tagged images', async () => {
    const r = await t.client.call('system.prune', { confirm: true });
    expect(r.containers.removed).toEqual([o.stopped]);
    expect(r.networks.removed.sort()).toEqual(['free-net', 'stopped-net']);
    expect(r.volumes).toBeNull();
    expect(r.images.removed).toEqual([]);
    expect(r.buildCache.failed).toEqual([]);
    expect(r.spaceReclaimed).toBe(r.containers.spaceReclaimed + r.images.spaceReclaimed + r.buildCache.spaceReclaimed);

    expect(await names('ps', '-aq', '--no-trunc')).toEqual([o.running]);
    expect(await names('network', 'ls', '--format', '{{.Name}}')).toEqual(expect.arrayContaining(['used-net']));
    expect(await names('network', 'ls', '--format', '{{.Name}}')).not.toEqual(expect.arrayContaining(['stopped-net']));
    expect((await names('volume', 'ls', '-q')).sort()).toEqual([o.anon, 'free-vol', 'used-vol'].sort());
    expect(await names('images', '--format', '{{.Repository}}:{{.Tag}}')).toEqual(expect.arrayContaining(['berth-test/unused:1']));
  });

  it('system.prune with volumes and all removes every unused image and volume, and nothing in use', async () => {
    const r = await t.client.call('system.prune', { confirm: true, volumes: true, all: true });
    expect(r.volumes?.removed.sort()).toEqual([o.anon, 'free-vol'].sort());
    expect(r.volumes?.spaceReclaimed).toBeGreaterThanOrEqual(10_000);
    expect(r.images.removed.join(' ')).toContain('berth-test/unused:1');
    expect(r.images.spaceReclaimed).toBeGreaterThanOrEqual(3000);
    expect(await names('images', '--format', '{{.Repository}}:{{.Tag}}')).not.toEqual(expect.arrayContaining(['berth-test/unused:1']));
    expect(await names('volume', 'ls', '-q')).toEqual(['used-vol']);
    expect(JSON.parse(await nr('container', 'inspect', o.running ?? '')) [0].State.Running).toBe(true);

    const df = await t.client.call('system.df', {});
    expect(df.volumes).toMatchObject({ count: 1, active: 1 });
    expect(df.containers).toMatchObject({ count: 1, active: 1, reclaimable: 0 });
    expect(df.images).toMatchObject({ count: 1, active: 1, reclaimable: 0 });
  });
});
