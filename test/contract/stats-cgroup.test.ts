import { afterAll, expect, it } from 'vitest';
import type { CgroupSampler } from '../../app/adapters/engine/cgroup-sampler';
import { createDockerContext } from '../../app/adapters/engine/docker-api/context';
import { dockerCgroupSampler, engineOnThisMachine } from '../../app/adapters/engine/docker-api/stats-cgroup';
import { DockerStatsSampler } from '../../app/adapters/engine/docker-api/stats-sample';
import { DockerStats } from '../../app/adapters/engine/docker-api/stats';
import { createLocalNerdctlRunner } from '../../app/adapters/engine/nerdctl';
import { createNerdctlContext } from '../../app/adapters/engine/nerdctl/context';
import { nerdctlCgroupSampler } from '../../app/adapters/engine/nerdctl/stats-cgroup';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { Logger } from '../../app/ports/logger';
import { describeEngine, rawDocker, testNerdctl, useEngine } from '../support/engine';
import { containerFactory, eventually } from './streams-support';

/*
 * The live figures read from the containers' cgroup files, on the real engine (the private dockerd, or the
 * private containerd in the nerdctl project): every running container is read there (none handed back to the
 * engine's own stats), the figures are the engine's (Docker: the same as its one-shot stats), CPU is measured
 * between readings, and a container that stopped is missing.
 */

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };
const MEMORY = 64 * 1024 * 1024;
const BUSY = ['sh', '-c', 'while :; do :; done'];
const IDLE = ['sh', '-c', 'sleep 1000'];

describeEngine('stats from cgroup files', () => {
  const containers = containerFactory(rawDocker(), 'cgstats');
  afterAll(() => containers.cleanup());
  const signal = new AbortController().signal;

  const docker = () => {
    const ctx = createDockerContext('t', { kind: 'unix', path: useEngine().socketPath }, quiet, createProcessRunner(quiet), {});
    return { ctx, sampler: dockerCgroupSampler(ctx) };
  };
  const sampler = (): CgroupSampler => {
    const n = testNerdctl();
    if (!n) return docker().sampler;
    const runner = createLocalNerdctlRunner(createProcessRunner(quiet), { program: n.program, globalArgs: n.args, env: n.env });
    return nerdctlCgroupSampler(createNerdctlContext('t', runner, quiet, {}, n.namespace), runner.readFiles!.bind(runner));
  };

  it('reads every running container from its cgroup: memory limit and pids as set, CPU of a busy loop, a stopped one missing', async () => {
    const s = sampler();
    const busy = await containers.run(BUSY, { memory: MEMORY });
    const idle = await containers.run(IDLE);
    const stopped = await containers.run(IDLE, { start: false });
    const first = await s.sample([busy.id, idle.id, stopped.id], signal);
    expect(first.viaEngine).toEqual([]);
    expect(first.missing).toEqual([stopped.id]);
    expect(first.refs).toEqual([busy.id, idle.id]);
    expect(first.containers[0]).toMatchObject({ id: busy.id, memoryLimit: MEMORY, cpuPending: true });
    expect(first.containers[1]?.pids).toBeGreaterThanOrEqual(1);
    expect(first.containers[1]?.memoryUsed).toBeGreaterThan(0);
    let cpu = 0;
    await eventually(
      'the busy loop to show CPU against the reading before',
      async () => {
        await new Promise((r) => setTimeout(r, 500));
        const next = await s.sample([busy.id], signal);
        expect(next.containers[0]?.cpuPending).toBeUndefined();
        cpu = next.containers[0]?.cpuPercent ?? 0;
        return cpu > 20;
      },
      30_000,
    );
    expect(cpu).toBeGreaterThan(20);
    await idle.kill();
    await idle.wait();
    expect((await s.sample([busy.id, idle.id], signal)).missing).toEqual([idle.id]);
  });

  it('a container stopped and started again between samples is read from its new cgroup (counter files stay open between samples), and missing once stopped', async () => {
    const s = sampler();
    const c = await containers.run(IDLE);
    await s.sample([c.id], signal);
    // CPU needs the machine's counters to have moved on since the reading before (100 ticks a second).
    const measured = async () => {
      let next = await s.sample([c.id], signal);
      await eventually('a reading with CPU', async () => {
        await new Promise((r) => setTimeout(r, 100));
        next = await s.sample([c.id], signal);
        return next.containers.length === 1 && next.containers[0]?.cpuPending === undefined;
      });
      return next;
    };
    expect((await measured()).containers[0]?.id).toBe(c.id);
    // Stopped and started between two samples: the files kept open belong to the removed cgroup.
    await c.kill();
    await c.wait();
    await c.start();
    const again = await s.sample([c.id], signal);
    expect(again.missing).toEqual([]);
    expect(again.containers[0]?.id).toBe(c.id);
    expect(again.containers[0]?.pids).toBeGreaterThanOrEqual(1);
    const next = await measured();
    expect(next.containers[0]?.memoryUsed).toBeGreaterThan(0);
    expect(next.containers[0]?.pids).toBeGreaterThanOrEqual(1);
    await c.kill();
    await c.wait();
    expect(await s.sample([c.id], signal)).toMatchObject({ containers: [], missing: [c.id] });
  });

  it.runIf(!testNerdctl())('gives the figures of Docker one-shot stats for the same container (a local dockerd is read from its files; Podman keeps its own)', async () => {
    const { ctx, sampler: s } = docker();
    expect(engineOnThisMachine(ctx)).toBe(true);
    // Through the adapter (either way, a first reading has no CPU figure yet).
    const c0 = await containers.run(IDLE);
    expect((await new DockerStats(ctx).sample([c0.id], signal)).containers[0]).toMatchObject({ id: c0.id, cpuPending: true, cpuPercent: 0 });
    if ((await ctx.knownFlavor()) !== 'docker') return;
    // One process that only sleeps (no shell starting a child while we read), once it runs alone.
    const c = await containers.run(['sleep', '1000'], { memory: MEMORY });
    const api = new DockerStatsSampler(ctx);
    await eventually('the container to settle to its one process', async () => (await api.sample([c.id], signal)).containers[0]?.pids === 1, 30_000);
    // Memory still moves in the first seconds of a container: compare readings taken one right after the other.
    let mine = (await s.sample([c.id], signal)).containers[0];
    let theirs = (await api.sample([c.id], signal)).containers[0];
    await eventually(
      'the two readings of memory to agree (within a page or two of the kernel accounting)',
      async () => {
        theirs = (await api.sample([c.id], signal)).containers[0];
        mine = (await s.sample([c.id], signal)).containers[0];
        return Math.abs((mine?.memoryUsed ?? 0) - (theirs?.memoryUsed ?? -1e9)) <= 8192;
      },
      30_000,
    );
    expect(mine).toBeDefined();
    expect(theirs).toBeDefined();
    expect(mine?.name).toBe(theirs?.name);
    expect(mine?.memoryLimit).toBe(theirs?.memoryLimit);
    expect(mine?.pids).toBe(theirs?.pids);
    expect(mine?.blockRead).toBe(theirs?.blockRead);
    expect(mine?.netRx).toBe(theirs?.netRx);
  });
});
