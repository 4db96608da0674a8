import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNerdctlEngine, createLocalNerdctlRunner } from '../../app/adapters/engine/nerdctl';
import { localNerdctlEngine } from '../../app/adapters/engine/nerdctl/local-config';
import { defaultSettings } from '../../app/contract/settings';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { EngineCommandRunner } from '../../app/ports/engine/command-runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { SecurityOps } from '../../app/ports/engine/security';
import type { Logger } from '../../app/ports/logger';
import { describeEngine, nerdctlEnv, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { nerdctlRaw } from '../support/nerdctl-raw';
import { connectInProcess } from '../support/inproc';
import { createCore } from '../../app/composition';
import { assess } from '../../app/core/posture/catalogue';
import type { PostureBadge } from '../../app/contract/security';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

/**
 * The security views of several containers read together (two nerdctl inspects for all of them, as the Containers
 * page's badges need for thousands) are the ones read one by one, on the project's private containerd, in a namespace
 * of its own.
 */
describeEngine('nerdctl: security views read together are the ones read one by one', () => {
  const ns = `berth-sec-views-${randomSuffix()}`;
  let n: NerdctlTestEngine;
  let dir: string;
  let engine: ContainerEngine;
  /** The engine as the core makes it from its environment: it reads containerd's API (the socket from BERTH_NERDCTL_ARGS). */
  let api: ContainerEngine;
  const apiLog: string[] = [];
  const commands: string[][] = [];
  const ids: string[] = [];
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();
  const lastLine = (s: string) => s.split('\n').filter(Boolean).pop() ?? '';
  const security = () => engine.security as SecurityOps & Required<Pick<SecurityOps, 'views'>>;

  beforeAll(async () => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sec-views-'));
    const busybox = useEngine().images.busybox;
    await nerdctlRaw(n, 'save', '-o', path.join(dir, 'busybox.tar'), busybox);
    await nr('load', '-i', path.join(dir, 'busybox.tar'));
    const real = createLocalNerdctlRunner(createProcessRunner(quiet), { program: n.program, globalArgs: n.args, env: n.env });
    const recording: EngineCommandRunner = {
      ...real,
      run(args, o) {
        commands.push([...args]);
        return real.run(args, o);
      },
    };
    engine = createNerdctlEngine({ id: 'nerdctl-sec-views', name: 'nerdctl', runner: recording, log: quiet, env: {}, namespace: ns });
    const log: Logger = { ...quiet, info: (m) => void apiLog.push(m), child: () => log };
    const made = localNerdctlEngine({ settings: defaultSettings().engine, env: { ...process.env, ...nerdctlEnv(useEngine().dockerHost), BERTH_NERDCTL_NAMESPACE: ns }, processes: createProcessRunner(quiet), log });
    if (!made || 'warning' in made) throw new Error(`no local nerdctl engine: ${JSON.stringify(made)}`);
    api = made.engine;
    ids.push(lastLine(await nr('run', '-d', '-p', '127.0.0.1::80', '--cap-add', 'NET_ADMIN', busybox, 'sleep', '1000')));
    ids.push(lastLine(await nr('create', '--read-only', '--user', '1000', '--security-opt', 'no-new-privileges', busybox, 'true')));
    ids.push(lastLine(await nr('run', '-d', '--privileged', busybox, 'sleep', '1000')));
  });

  afterAll(async () => {
    await engine?.dispose();
    await api?.dispose();
    if (n) {
      if (ids.length) await nr('rm', '-f', ...ids).catch(() => undefined);
      const imgs = (await nr('images', '-q').catch(() => '')).split('\n').filter(Boolean);
      if (imgs.length) await nr('rmi', '-f', ...imgs).catch(() => undefined);
      await nr('namespace', 'remove', ns).catch(() => undefined);
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives each container the view view() gives, from two inspect processes; a container that is gone is left out', async () => {
    await security().context();
    commands.length = 0;
    const together = await security().views(ids);
    expect(commands.filter((a) => a.includes('inspect'))).toHaveLength(2);
    expect([...together.keys()].sort()).toEqual([...ids].sort());
    // nerdctl prints none of them when one is gone: that one is left out and the rest read again.
    const gone = 'f'.repeat(64);
    const withGone = await security().views([gone, ...ids]);
    expect([...withGone.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(together.get(id)).toEqual(await security().view(id));
      expect(withGone.get(id)).toEqual(together.get(id));
    }
    const [running, readOnly, privileged] = ids.map((id) => together.get(id));
    expect(running?.ports).toEqual([expect.objectContaining({ hostIp: '127.0.0.1', containerPort: 80, protocol: 'tcp' })]);
    expect(running?.ports[0]?.hostPort).toBeGreaterThan(0);
    expect(readOnly).toMatchObject({ readonlyRootfs: true, user: expect.stringMatching(/^1000(:0)?$/) });
    expect(privileged).toMatchObject({ privileged: true });
  });

  it('reads them from containerd\'s API where it can, with no nerdctl process, and gives the same views', async () => {
    const sec = api.security as SecurityOps & Required<Pick<SecurityOps, 'views'>>;
    const fromApi = await sec.views([...ids, 'f'.repeat(64)]);
    expect(apiLog.some((l) => l.startsWith('Container lists are read from containerd\'s API'))).toBe(true);
    expect([...fromApi.keys()].sort()).toEqual([...ids].sort());
    const fromCli = await security().views(ids);
    for (const id of ids) expect(fromApi.get(id)).toEqual(fromCli.get(id));
    // Many ids (most of them gone here) are found in one pass over the whole list rather than as that many filters.
    const many = [...Array.from({ length: 70 }, (_, i) => i.toString(16).padStart(64, 'e')), ...ids];
    const wide = await sec.views(many);
    expect([...wide.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(wide.get(id)).toEqual(fromCli.get(id));
    expect(sec.viewsBatch).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("a core's badges of the rows on screen (after the window's first list) and its Security page are the postures of nerdctl's inspect views", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sec-views-core-'));
    const env = { ...process.env, ...nerdctlEnv(useEngine().dockerHost), BERTH_NERDCTL_NAMESPACE: ns };
    const core = await createCore({ dataDir, mode: 'web', version: '0.0.0-test', env, opensWindow: true });
    const conn = connectInProcess(core.rpc);
    try {
      // The window's first list is made once the engine's event stream is up, and taken by the window's call.
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the nerdctl engine did not come up')), 30_000);
        conn.client.subscribe('changes.watch', {}, {
          onData: (e) => {
            if (e.kind !== 'engine' || e.action !== 'up') return;
            clearTimeout(t);
            resolve();
          },
        });
      });
      const list = await conn.client.call('containers.list', { all: true });
      expect(list.map((c) => c.id).sort()).toEqual([...ids].sort());
      expect(core.services.firstList.served).toBe(1);
      // What each badge must be: the posture of the view nerdctl's two inspects give (no acknowledgements, image not probed).
      const ctx = await security().context();
      const want = new Map<string, PostureBadge>();
      for (const id of ids) {
        const p = assess(await security().view(id), ctx);
        want.set(id, { id, level: p.level, open: p.open, runtime: p.runtime, sandboxed: p.sandboxed });
      }
      const rows = [ids[2]!, ids[0]!, 'f'.repeat(64)];
      expect(await conn.client.call('security.badges', { ids: rows })).toEqual([want.get(ids[2]!), want.get(ids[0]!)]);
      expect(want.get(ids[2]!)?.level).toBe('unconfined');
      // The Security page: every container, its ids from the window's first list (not listed again), the same badges.
      const page = await conn.client.call('security.summary', {});
      expect(page.errors).toEqual([]);
      expect(page.containers.map((p) => p.id).sort()).toEqual([...ids].sort());
      for (const p of page.containers) expect({ id: p.id, level: p.level, open: p.open, runtime: p.runtime, sandboxed: p.sandboxed }).toEqual(want.get(p.id));
      expect(core.services.firstList.seeded).toBe(1);
      expect(core.services.security.ids.listings).toBe(0);
      expect(await conn.client.call('security.badges', { ids: rows })).toEqual([want.get(ids[2]!), want.get(ids[0]!)]);
      // Read through containerd's API.
      await new Promise((r) => setTimeout(r, 200));
      const logged = fs.readFileSync(path.join(dataDir, 'logs', 'berth.log'), 'utf8');
      expect(logged).toContain("Container lists are read from containerd's API");
      expect(logged).not.toContain('Container lists go through nerdctl ps');
      // Every view of a container that exists (the Security page's one uncached container too) came from containerd's API,
      // none from nerdctl's inspects (the gone id is still asked of nerdctl, which says it is gone).
      for (const id of ids) expect(logged).not.toContain(`inspect --mode=native ${id}`);
    } finally {
      conn.close();
      await core.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('fails with the engine\'s error when the inspect fails for another reason than a missing container', async () => {
    await expect(security().views(['--bogus-flag'])).rejects.toMatchObject({ name: 'BerthError' });
  });
});
