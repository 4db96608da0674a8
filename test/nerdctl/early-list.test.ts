import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContainerSummary } from '../../app/contract/containers';
import { defaultSettings } from '../../app/contract/settings';
import { earlyNerdctlContainers } from '../../app/adapters/engine/nerdctl/early-containers';
import { startEarlyNerdctlList } from '../../app/adapters/engine/nerdctl/early-list';
import { localNerdctlEngine } from '../../app/adapters/engine/nerdctl/local-config';
import { createProcessRunner } from '../../app/adapters/process/runner';
import { EARLY_WORKER_ENTRY } from '../../app/server/early-list';
import type { ContainerEngine } from '../../app/ports/engine';
import type { Logger } from '../../app/ports/logger';
import { ROOT } from '../e2e/support/build';
import { describeEngine, nerdctlEnv, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { nerdctlRaw } from '../support/nerdctl-raw';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

/** The `ps`-style status ends with a duration counted from now: two lists taken a moment apart may differ there only. */
const sameMoment = (rows: ContainerSummary[]) => rows.map((r) => ({ ...r, status: r.status.replace(/\) .* ago$/, ') … ago') }));

/**
 * The nerdctl early list (app/adapters/engine/nerdctl/early-list.ts): listed by a helper process at process start, it must
 * give exactly the rows the engine's own containers.list gives, the same security views (what the helper kept for them),
 * and no list once a container or task event came after its subscription. The helper is bundled as the build scripts
 * bundle it (EARLY_WORKER_ENTRY), in a namespace of its own on the project's private containerd.
 */
describeEngine('nerdctl: the early container list (a helper process, at process start)', () => {
  const ns = `berth-early-${randomSuffix()}`;
  let n: NerdctlTestEngine;
  let dir: string;
  let workerFile: string;
  let env: Record<string, string | undefined>;
  const engines: ContainerEngine[] = [];
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();
  const lastLine = (s: string) => s.split('\n').filter(Boolean).pop() ?? '';
  let busybox: string;
  const engine = () => {
    const made = localNerdctlEngine({ settings: defaultSettings().engine, env, processes: createProcessRunner(quiet), log: quiet });
    if (!made || 'warning' in made) throw new Error(`no local nerdctl engine: ${JSON.stringify(made)}`);
    engines.push(made.engine);
    return made.engine;
  };

  beforeAll(async () => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-early-'));
    // Bundled under dist/ so that its dependencies resolve from node_modules, as the bench's and the app's bundles do.
    const out = fs.mkdtempSync(path.join(ROOT, 'dist', 'early-worker-test-'));
    const deps = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {});
    await build({ absWorkingDir: ROOT, entryPoints: [EARLY_WORKER_ENTRY], outdir: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', external: [...deps, ...deps.map((d) => `${d}/*`)], logLevel: 'warning' });
    workerFile = path.join(out, `${EARLY_WORKER_ENTRY.out}.js`);
    busybox = useEngine().images.busybox;
    await nerdctlRaw(n, 'save', '-o', path.join(dir, 'busybox.tar'), busybox);
    await nr('load', '-i', path.join(dir, 'busybox.tar'));
    env = { ...process.env, ...nerdctlEnv(useEngine().dockerHost), BERTH_NERDCTL_NAMESPACE: ns };
    await nr('create', '--name', 'made-only', '-p', '127.0.0.1::80', '--label', 'team=a,b', busybox, 'sleep', '1000');
    await nr('run', '-d', '--name', 'runs-1', '-p', '127.0.0.1::53/udp', '--label', 'com.docker.compose.project=demo', '--label', 'com.docker.compose.service=web', busybox, 'sh', '-c', 'echo "hi\tthere" ✓; sleep 1000');
    const exited = lastLine(await nr('run', '-d', '--name', 'exits-3', '--restart', 'no', busybox, 'sh', '-c', 'exit 3'));
    await nr('wait', exited).catch(() => undefined);
  });

  afterAll(async () => {
    for (const e of engines) await e.dispose();
    if (n) {
      const all = (await nr('ps', '-aq').catch(() => '')).split('\n').filter(Boolean);
      if (all.length) await nr('rm', '-f', ...all).catch(() => undefined);
      const imgs = (await nr('images', '-q').catch(() => '')).split('\n').filter(Boolean);
      if (imgs.length) await nr('rmi', '-f', ...imgs).catch(() => undefined);
      await nr('namespace', 'remove', ns).catch(() => undefined);
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (workerFile) fs.rmSync(path.dirname(workerFile), { recursive: true, force: true });
  });

  it('gives the rows and security views the engine gives for its own first list', async () => {
    const early = startEarlyNerdctlList(env, workerFile);
    if (!early) throw new Error('no early list for this environment');
    const e = engine();
    expect(early.endpoint).toBe(e.endpoint);
    const got = await earlyNerdctlContainers(early).take();
    const own = engine();
    const rows = await own.containers.list({ all: true });
    expect(got).not.toBeNull();
    expect(sameMoment(got!)).toEqual(sameMoment(rows));
    expect(got!.map((r) => r.name).sort()).toEqual(['exits-3', 'made-only', 'runs-1']);
    // The views from what the helper kept are those the engine makes from the records of its own first list.
    const fromEarly = await e.security!.listedViews!(got!);
    const fromOwn = await own.security!.listedViews!(rows);
    expect(fromEarly).not.toBeNull();
    expect(fromEarly).toEqual(fromOwn);
    // Given once.
    expect(await e.security!.listedViews!(got!)).toBeNull();
  });

  /** Asks the helper until it reports a change (an event reaches it on its own time; a real one is never missed). */
  async function changeSeen(early: { changed(): Promise<boolean> }): Promise<boolean> {
    for (let i = 0; i < 50; i++) {
      if (await early.changed()) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  it('reports a container event that came after it subscribed, and then gives no list', async () => {
    const early = startEarlyNerdctlList(env, workerFile);
    if (!early) throw new Error('no early list for this environment');
    const reply = await early.take();
    expect(reply?.rows.map((r) => r.name).sort()).toEqual(['exits-3', 'made-only', 'runs-1']);
    // Listed, and still following the events: nothing happened yet.
    expect(await early.changed()).toBe(false);
    await nr('create', '--name', 'late', busybox, 'true');
    expect(await changeSeen(early)).toBe(true);
    early.release();

    const again = startEarlyNerdctlList(env, workerFile);
    if (!again) throw new Error('no early list for this environment');
    // The worker's list is awaited here too: it has subscribed by then, so the removal below comes after.
    const listed = again.take();
    const list = earlyNerdctlContainers({ ...again, take: () => listed });
    await listed;
    await nr('rm', '-f', 'late');
    expect(await changeSeen(again)).toBe(true);
    expect(await list.take()).toBeNull();
  });

  it('is not started unless the environment alone makes a local nerdctl the active engine', () => {
    for (const k of ['BERTH_NERDCTL_ACTIVE', 'BERTH_NERDCTL', 'BERTH_NERDCTL_ARGS', 'BERTH_NERDCTL_NAMESPACE']) {
      expect(startEarlyNerdctlList({ ...env, [k]: undefined }, workerFile)).toBeNull();
    }
    expect(startEarlyNerdctlList({ ...env, BERTH_NERDCTL_CONTAINERD_API: '0' }, workerFile)).toBeNull();
    expect(startEarlyNerdctlList({ ...env, BERTH_NERDCTL_ARGS: '{"not":"an array"}' }, workerFile)).toBeNull();
    expect(startEarlyNerdctlList(env, null)).toBeNull();
  });
});
