import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCore, type Core } from '../../app/composition';
import type { ContainerSummary } from '../../app/contract/containers';
import type { ChangeEvent } from '../../app/contract/events';
import type { EarlyNerdctlList } from '../../app/adapters/engine/nerdctl/early-list';
import { earlyAnswer } from '../../app/server/early-answer';
import { startEarlyList } from '../../app/server/early-list';
import { describeEngine, nerdctlEnv, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { connectInProcess } from '../support/inproc';
import { nerdctlDropNamespace, nerdctlRaw, lastLine, seedNamespace } from '../support/nerdctl-raw';
import { recordingLog } from '../support/recording-log';

const log = recordingLog();

/** The `ps`-style status of an exited container ends with a duration counted from now: two lists a moment apart may differ there only. */
const sameMoment = (rows: ContainerSummary[]) => rows.map((r) => ({ ...r, status: r.status.replace(/\) .* ago$/, ') … ago') }));

/**
 * The page's first list answered before the core's modules load (app/server/early-answer.ts, issue 11: nerdctl cold
 * start): the rows are the core's own reply to `containers.list {all:true}`, and there is none when settings.json may make
 * the core read another namespace or when containerd reported a change. On the project's private containerd, in a
 * namespace of its own.
 */
describeEngine('nerdctl: the first list answered before the core', () => {
  const ns = `berth-early-answer-${randomSuffix()}`;
  let n: NerdctlTestEngine;
  let dir: string;
  let env: Record<string, string | undefined>;
  let busybox: string;
  const cores: Array<{ core: Core; close(): void }> = [];
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();
  const engineIds = async () => (await nr('ps', '-aq', '--no-trunc')).split('\n').filter(Boolean).sort();
  const dataDir = (settings?: unknown) => {
    const d = fs.mkdtempSync(path.join(dir, 'data-'));
    if (settings !== undefined) fs.writeFileSync(path.join(d, 'settings.json'), JSON.stringify(settings, null, 2));
    return d;
  };

  /** A core that opens a window on this data dir, given the early list; resolves once its engine is up. */
  const start = async (earlyList: EarlyNerdctlList, data: string) => {
    const core = await createCore({ dataDir: data, mode: 'web', version: '0.0.0-test', env, opensWindow: true, earlyList });
    const conn = connectInProcess(core.rpc);
    cores.push({ core, close: () => conn.close() });
    const up = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the engine did not come up')), 30_000);
      conn.client.subscribe('changes.watch', {}, {
        onData: (e: ChangeEvent) => {
          if (e.kind === 'engine' && e.action === 'up') {
            clearTimeout(t);
            resolve();
          }
        },
      });
    });
    await up;
    return { core, client: conn.client };
  };

  beforeAll(async () => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    busybox = useEngine().images.busybox;
    ({ dir, env } = await seedNamespace(n, ns, 'answer', { label: 'berth.test=answer', ports: true, busybox, coreEnv: nerdctlEnv(useEngine().dockerHost) }));
  }, 120_000);

  afterAll(async () => {
    for (const c of cores) {
      c.close();
      await c.core.dispose();
    }
    if (n) await nerdctlDropNamespace(n, ns);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives the core's own reply to the page's first containers.list {all:true}; the core still takes the early list", async () => {
    const early = startEarlyList(env) as EarlyNerdctlList;
    expect(early?.kind).toBe('nerdctl');
    const data = dataDir();
    const answer = earlyAnswer(early, { env, dataDir: data, log });
    expect(answer?.engineId).toBe('nerdctl-local');
    const rows = await answer!.rows();
    expect(rows?.map((r) => r.id).sort()).toEqual(await engineIds());
    const { core, client } = await start(early, data);
    const fromCore = await client.call('containers.list', { all: true });
    // The early list was not taken by the answer: the core's first list is made from it too.
    expect(core.services.firstList.earlyUsed).toBe(1);
    // The same rows, in the same order, with the same keys in the same order (the same bytes on the wire).
    expect(JSON.stringify(sameMoment(rows!))).toBe(JSON.stringify(sameMoment(fromCore)));
    const runs = rows!.find((r) => r.name === 'answer-runs');
    expect(runs).toMatchObject({ state: 'running', imageId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(runs?.ports.map((p) => [p.hostIp, p.containerPort, p.protocol])).toEqual(expect.arrayContaining([['127.0.0.1', 8080, 'tcp'], ['127.0.0.1', 53, 'udp']]));
    expect(runs?.ports.every((p) => typeof p.hostPort === 'number' && p.hostPort > 0)).toBe(true);
    expect(rows!.find((r) => r.name === 'answer-made')).toMatchObject({ state: 'created', labels: { 'berth.test': 'answer' }, ports: [expect.objectContaining({ containerPort: 80 })] });
    // A second list of the core's, read from containerd again: the same values (containerd sends a container's labels, a
    // protobuf map, in any order: only the same reply gives the same bytes).
    expect(sameMoment(rows!)).toEqual(sameMoment(await client.call('containers.list', { all: true })));
  });

  it('a settings.json naming another namespace (the core would list that one): no early answer', async () => {
    const early = startEarlyList({ ...env, BERTH_NERDCTL_NAMESPACE: undefined }) as EarlyNerdctlList;
    try {
      const noNamespace = { ...env, BERTH_NERDCTL_NAMESPACE: undefined };
      expect(earlyAnswer(early, { env: noNamespace, dataDir: dataDir({ engine: { namespace: ns } }), log })).toBeNull();
      // The same early list and environment without that file: answered (the early list is of `default`, as the core's would be).
      expect(earlyAnswer(early, { env: noNamespace, dataDir: dataDir(), log })).not.toBeNull();
    } finally {
      early.release();
    }
  });

  it("every settings.json the early answer accepts gives the core nerdctl-local, active, in the early list's namespace; the refused ones would not", async () => {
    const noNamespace = { ...env, BERTH_NERDCTL_NAMESPACE: undefined };
    const cases: Array<[string, unknown, Record<string, string | undefined>, boolean]> = [
      ['no file', undefined, env, true],
      ['the defaults', { version: 1, engine: { runtime: 'containerd', host: '', active: '', namespace: 'default', nerdctlPath: '', nerdctlArgs: [], customHost: '' } }, noNamespace, true],
      ['nerdctl-local picked, a namespace in the file and in the environment', { engine: { active: 'nerdctl-local', namespace: 'other' } }, env, true],
      // The schema refuses the zoom: the core sets the file aside and starts with the defaults.
      ['a file the core sets aside', { engine: { active: 'nerdctl-local' }, ui: { zoom: 99 } }, noNamespace, true],
      ['a custom engine that is not the active one', { engine: { customHost: 'tcp://127.0.0.1:9' } }, env, true],
      ['the custom engine picked', { engine: { active: 'custom', customHost: 'tcp://127.0.0.1:9' } }, env, false],
      ['a namespace in the file only', { engine: { namespace: ns } }, noNamespace, false],
      ['the Docker engine picked', { engine: { active: 'local' } }, env, false],
    ];
    for (const [what, settings, e, accepted] of cases) {
      const early = startEarlyList(e) as EarlyNerdctlList;
      const data = dataDir(settings);
      try {
        expect(earlyAnswer(early, { env: e, dataDir: data, log }) !== null, what).toBe(accepted);
        const core = await createCore({ dataDir: data, mode: 'web', version: '0.0.0-test', env: e });
        try {
          const active = core.services.engines.activeEngineId();
          const namespace = active === 'nerdctl-local' ? (await core.services.engines.namespaces(active)).current : null;
          expect(active === 'nerdctl-local' && namespace === early.namespace, what).toBe(accepted);
        } finally {
          await core.dispose();
        }
      } finally {
        early.release();
      }
    }
  }, 120_000);

  it('a container created after the early list was asked for: rows() null (the core lists again and has it)', async () => {
    const early = startEarlyList(env) as EarlyNerdctlList;
    const data = dataDir();
    const answer = earlyAnswer(early, { env, dataDir: data, log });
    expect(answer).not.toBeNull();
    // The replies are in (so the subscription was open when the container came).
    await early.peek();
    const made = lastLine(await nr('create', '--name', `answer-late-${randomSuffix()}`, busybox, 'true'));
    // containerd's event reaches the subscription on its own time.
    const until = Date.now() + 15_000;
    while (!early.changed() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(await answer!.rows()).toBeNull();
    const { core, client } = await start(early, data);
    const first = await client.call('containers.list', { all: true });
    expect(core.services.firstList.earlyUsed).toBe(0);
    expect(first.map((c) => c.id)).toContain(made);
    await nr('rm', '-f', made);
  });
});
