import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../app/composition';
import { startEarlyDockerList, type EarlyDockerList } from '../../app/server/early-list';
import type { ChangeEvent } from '../../app/contract/events';
import { dockerdUnavailable, startDockerd, type Dockerd } from '../support/dockerd';
import { buildBusybox, busyboxUnavailable } from '../support/images';
import { connectInProcess } from '../support/inproc';

const why = dockerdUnavailable() ?? busyboxUnavailable();
if (why && process.env.BERTH_REQUIRE_ENGINE === '1') throw new Error(`BERTH_REQUIRE_ENGINE=1 but the first-list suite cannot run: ${why}`);
const LABEL = { 'berth.test': 'first-list' };

/**
 * The window's first container list, fetched by the core while the window loads (services/first-list.ts),
 * against a private dockerd of its own (no other suite's containers come and go on it).
 */
describe.skipIf(!!why)('the first container list of a core that opens a window', () => {
  let d: Dockerd;
  let docker: Docker;
  let busybox: string;
  const cores: Array<{ core: Core; close(): void; dataDir: string }> = [];

  /** A core on the private engine, its in-process client, and a wait for a change item. */
  const start = async (opensWindow: boolean, earlyList: EarlyDockerList | null = null) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-first-list-'));
    const core = await createCore({ dataDir, mode: 'web', version: '0.0.0-test', env: { ...process.env, DOCKER_HOST: d.dockerHost }, opensWindow, earlyList });
    const conn = connectInProcess(core.rpc);
    cores.push({ core, close: () => conn.close(), dataDir });
    const seen: ChangeEvent[] = [];
    const waiters: Array<() => void> = [];
    conn.client.subscribe('changes.watch', {}, {
      onData: (e) => {
        seen.push(e);
        waiters.forEach((w) => w());
      },
    });
    const waitItem = (what: string, match: (e: ChangeEvent) => boolean) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no change item: ${what} (seen: ${JSON.stringify(seen)})`)), 60_000);
        const check = () => {
          if (!seen.some(match)) return;
          clearTimeout(t);
          resolve();
        };
        waiters.push(check);
        check();
      });
    // The core's first list starts once the active engine's event stream is up (FirstList subscribed before this client).
    await waitItem('engine up', (e) => e.kind === 'engine' && e.action === 'up');
    return { core, client: conn.client, waitItem };
  };

  const engineIds = async () => (await docker.listContainers({ all: true })).map((c) => c.Id).sort();

  /** When the last container change of a test happened (the early list's event check looks from 1 s before its request). */
  let changedAt = 0;

  beforeAll(async () => {
    d = await startDockerd();
    busybox = await buildBusybox(d.dockerHost);
    docker = new Docker({ socketPath: d.socketPath });
    for (let i = 0; i < 3; i++) await docker.createContainer({ Image: busybox, name: `first-list-${i}`, Cmd: ['true'], Labels: LABEL });
    changedAt = Date.now();
  }, 240_000);

  // Whatever a test changed, it changed before its end.
  afterEach(() => {
    changedAt = Date.now();
  });

  afterAll(async () => {
    for (const c of cores) {
      c.close();
      await c.core.dispose();
      fs.rmSync(c.dataDir, { recursive: true, force: true });
    }
    await d?.dispose();
  });

  it("answers the window's first full list from the list fetched at start (the engine's containers); later calls ask the engine", async () => {
    const { core, client } = await start(true);
    const first = await client.call('containers.list', { all: true });
    expect(core.services.firstList.served).toBe(1);
    expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
    expect(first.filter((c) => c.labels['berth.test'] === 'first-list').map((c) => c.name).sort()).toEqual(['first-list-0', 'first-list-1', 'first-list-2']);
    // Now from the engine: a container made since is in it.
    const made = await docker.createContainer({ Image: busybox, name: 'first-list-later', Cmd: ['true'], Labels: LABEL });
    const second = await client.call('containers.list', { all: true });
    expect(core.services.firstList.served).toBe(1);
    expect(second.map((c) => c.id)).toContain(made.id);
    await made.remove();
  });

  it('a container change before the first call drops the fetched list: the call asks the engine and sees the change', async () => {
    const { core, client, waitItem } = await start(true);
    const made = await docker.createContainer({ Image: busybox, name: 'first-list-changed', Cmd: ['true'], Labels: LABEL });
    await waitItem('the create', (e) => e.kind === 'container' && e.action === 'create' && e.id === made.id);
    const first = await client.call('containers.list', { all: true });
    expect(core.services.firstList.served).toBe(0);
    expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
    expect(first.map((c) => c.id)).toContain(made.id);
    await made.remove();
  });

  it("the badges asked for after the first list take their container ids from it (no second listing), unless something changed", async () => {
    const { core, client } = await start(true);
    await client.call('containers.list', { all: true });
    const badges = await client.call('security.badges', {});
    expect(badges.map((b) => b.id).sort()).toEqual(await engineIds());
    expect(core.services.firstList.seeded).toBe(1);
    expect(core.services.security.ids.listings).toBe(0);

    // Another core: a container made after the window's list is in the badges (the ids are listed then).
    const other = await start(true);
    await other.client.call('containers.list', { all: true });
    const made = await docker.createContainer({ Image: busybox, name: 'first-list-badged', Cmd: ['true'], Labels: LABEL });
    await other.waitItem('the create', (e) => e.kind === 'container' && e.action === 'create' && e.id === made.id);
    const after = await other.client.call('security.badges', {});
    expect(after.map((b) => b.id)).toContain(made.id);
    expect(other.core.services.firstList.seeded).toBe(0);
    expect(other.core.services.security.ids.listings).toBe(1);
    await made.remove();
  });

  it('a core that opens no window lists nothing at start: its first call asks the engine', async () => {
    const { core, client } = await start(false);
    const first = await client.call('containers.list', { all: true });
    expect(core.services.firstList.served).toBe(0);
    expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
  });

  describe('with the list the entry asked the engine for at process start (app/server/early-list.ts)', () => {
    /** The early list's event check counts changes from 1 s before its request: start it once the last change is older. */
    const startEarly = async () => {
      const wait = changedAt + 1100 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const early = startEarlyDockerList({ DOCKER_HOST: d.dockerHost }, 'linux');
      if (!early) throw new Error(`no early list for ${d.dockerHost}`);
      return early;
    };
    const counts = (core: Core) => {
      const f = core.services.firstList;
      return { served: f.served, earlyUsed: f.earlyUsed, earlyRelisted: f.earlyRelisted };
    };

    it("is the window's first list when nothing changed since it was asked for (the engine is not listed again)", async () => {
      const early = await startEarly();
      const { core, client } = await start(true, early);
      const first = await client.call('containers.list', { all: true });
      expect(counts(core)).toEqual({ served: 1, earlyUsed: 1, earlyRelisted: 0 });
      expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
      expect(first.filter((c) => c.labels['berth.test'] === 'first-list').map((c) => c.name).sort()).toContain('first-list-0');
      expect(early.take()).toBeNull();
    });

    it('a container made after the engine answered it, before the core was up: listed again, the first list has it', async () => {
      const early = await startEarly();
      // Answered before the change: that reply does not have the container.
      const reply = early.take();
      if (!reply) throw new Error('no early reply');
      const before = JSON.parse((await reply).body.toString('utf8')) as Array<{ Id: string }>;
      const made = await docker.createContainer({ Image: busybox, name: 'first-list-after-early', Cmd: ['true'], Labels: LABEL });
      expect(before.map((c) => c.Id)).not.toContain(made.id);
      const held: EarlyDockerList = { ...early, take: () => reply };
      const { core, client } = await start(true, held);
      const first = await client.call('containers.list', { all: true });
      expect(counts(core)).toEqual({ served: 1, earlyUsed: 0, earlyRelisted: 1 });
      expect(first.map((c) => c.id)).toContain(made.id);
      expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
      await made.remove();
    });

    it("another engine's (the core's active engine is elsewhere): let go unused, the core lists its own", async () => {
      const early = await startEarly();
      const elsewhere: EarlyDockerList = { ...early, endpoint: 'unix:///run/elsewhere.sock' };
      const { core, client } = await start(true, elsewhere);
      const first = await client.call('containers.list', { all: true });
      expect(counts(core)).toEqual({ served: 1, earlyUsed: 0, earlyRelisted: 0 });
      expect(first.map((c) => c.id).sort()).toEqual(await engineIds());
      expect(early.take()).toBeNull();
    });
  });
});
