import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChangeEvent } from '../../app/contract/events';
import { defaultSettings } from '../../app/contract/settings';
import { localNerdctlEngine } from '../../app/adapters/engine/nerdctl/local-config';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { Logger } from '../../app/ports/logger';
import { ChangeFeed } from '../../app/services/change-feed';
import { EngineRegistry } from '../../app/services/engine-registry';
import { describeEngine, nerdctlEnv, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { nerdctlRaw } from '../support/nerdctl-raw';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, command: () => undefined, child: () => quiet };

/**
 * nerdctl has no volume events: the change feed polls the volume names. On a local nerdctl the poll first reads a stamp of
 * nerdctl's volume folder and runs `volume ls -q` only when it changed. Here against the project's private containerd, in a
 * namespace of its own: the stamp moves with `nerdctl volume create` and `rm`, stands while nothing changes, and the feed
 * reports both changes while listing only when the folder changed.
 */
describeEngine('nerdctl: the volume poll lists only when nerdctl\'s volume folder changed', () => {
  const ns = `berth-volstamp-${randomSuffix()}`;
  let n: NerdctlTestEngine;
  let engine: ContainerEngine;
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();

  beforeAll(async () => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    const env = { ...process.env, ...nerdctlEnv(useEngine().dockerHost), BERTH_NERDCTL_NAMESPACE: ns };
    const made = localNerdctlEngine({ settings: defaultSettings().engine, env, processes: createProcessRunner(quiet), log: quiet });
    if (!made || 'warning' in made) throw new Error(`no local nerdctl engine: ${JSON.stringify(made)}`);
    engine = made.engine;
    // A containerd nerdctl has never used has no data root yet (the stamp is then null: the names are listed, which makes it).
    await nr('volume', 'ls', '-q');
  });

  afterAll(async () => {
    await engine?.dispose();
    if (n) {
      const vols = (await nr('volume', 'ls', '-q').catch(() => '')).split('\n').filter(Boolean);
      if (vols.length) await nr('volume', 'rm', '-f', ...vols).catch(() => undefined);
      await nr('namespace', 'remove', ns).catch(() => undefined);
    }
  });

  /** The stamp once the folder's last change is old enough to be trusted (it is null for 2 s after a change). */
  const settledStamp = async (): Promise<string> => {
    let s: string | null = null;
    await expect.poll(async () => (s = (await engine.volumes.namesStamp?.()) ?? null), { timeout: 15_000, interval: 250 }).not.toBeNull();
    return s as unknown as string;
  };

  it('the stamp changes with nerdctl volume create and rm, and stands in between', async () => {
    expect(engine.volumes.namesStamp).toBeTypeOf('function');
    const before = await settledStamp();
    expect(await engine.volumes.namesStamp?.()).toBe(before);
    const name = `vs-${randomSuffix()}`;
    await nr('volume', 'create', name);
    const made = await settledStamp();
    expect(made).not.toBe(before);
    expect(await engine.volumes.namesStamp?.()).toBe(made);
    await nr('volume', 'rm', name);
    expect(await settledStamp()).not.toBe(made);
  });

  it('the change feed reports a volume made and removed, and runs no volume ls while nothing changes', async () => {
    let listings = 0;
    const names = engine.volumes.names?.bind(engine.volumes);
    if (!names) throw new Error('the nerdctl engine lists volume names');
    engine.volumes.names = async (signal) => (listings++, names(signal));
    const registry = new EngineRegistry();
    registry.add(engine);
    const feed = new ChangeFeed(registry, { log: quiet, volumePollMs: 100 });
    const items: ChangeEvent[] = [];
    feed.subscribe(undefined, (i) => items.push(i));
    feed.start();
    try {
      await expect.poll(() => listings, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
      await settledStamp();
      // Settled: a few more looks (100 ms apart) list nothing.
      const base = listings;
      await new Promise((r) => setTimeout(r, 1500));
      expect(listings).toBeLessThanOrEqual(base + 1);
      const name = `vf-${randomSuffix()}`;
      await nr('volume', 'create', name);
      await expect.poll(() => items.filter((i) => i.kind === 'volume'), { timeout: 30_000 }).toEqual([{ engineId: engine.id, kind: 'volume', action: 'create', id: name, name }]);
      await nr('volume', 'rm', name);
      await expect.poll(() => items.flatMap((i) => (i.kind === 'volume' ? [`${i.action} ${i.id}`] : [])), { timeout: 30_000 }).toEqual([`create ${name}`, `destroy ${name}`]);
    } finally {
      await feed.dispose();
    }
  });
});
