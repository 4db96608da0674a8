import { describe, expect, it } from 'vitest';
import { createNerdctlContext } from '../../../app/adapters/engine/nerdctl/context';
import { NerdctlStats } from '../../../app/adapters/engine/nerdctl/stats';
import { nerdctlCgroupSampler } from '../../../app/adapters/engine/nerdctl/stats-cgroup';
import type { EngineCommandRunner } from '../../../app/ports/engine/command-runner';
import { silentLog } from '../../support/recording-log';

/* The nerdctl sampler over cgroup files: one inspect per container (kept), one read of every file per sample, CPU % between readings. */

const log = silentLog();
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const dir = (id: string) => `/sys/fs/cgroup/%s/berth-test/${id}`;

/** A machine with cgroup v1 and the containers given (id → running), whose counters the test moves. */
function machine(running: Record<string, boolean>) {
  const calls: string[][] = [];
  const reads: string[][] = [];
  const cpu: Record<string, number> = { [A]: 1e9, [B]: 2e9 };
  let systemTicks = 100_000;
  const unreadable = new Set<string>();
  const files = (): Map<string, string> => {
    const m = new Map<string, string>([['/proc/stat', `cpu  ${systemTicks} 0 0 0 0 0 0 0 0 0\ncpu0 1 0 0 0 0 0 0\ncpu1 1 0 0 0 0 0 0\n`]]);
    for (const [id, up] of Object.entries(running)) {
      if (!up || unreadable.has(id)) continue;
      const d = dir(id);
      m.set(`${d.replace('%s', 'cpuacct')}/cpuacct.usage`, `${cpu[id]}\n`);
      m.set(`${d.replace('%s', 'memory')}/memory.usage_in_bytes`, '1048576\n');
      m.set(`${d.replace('%s', 'memory')}/memory.limit_in_bytes`, '9223372036854771712\n');
      m.set(`${d.replace('%s', 'memory')}/memory.stat`, 'total_inactive_file 524288\n');
      m.set(`${d.replace('%s', 'pids')}/pids.current`, '2\n');
      m.set(`/proc/${id === A ? 11 : 12}/net/dev`, ' face |\n  eth0: 100 1 0 0 0 0 0 0 200 2 0 0 0 0 0 0\n');
    }
    return m;
  };
  const doc = (id: string) => ({
    ID: id,
    Labels: { 'nerdctl/name': id === A ? 'web' : 'db' },
    Spec: { linux: { cgroupsPath: `/berth-test/${id}` } },
    ...(running[id] ? { Process: { Pid: id === A ? 11 : 12, Status: { Status: 'running' } } } : {}),
  });
  const runner: EngineCommandRunner = {
    endpoint: 'nerdctl (test)',
    async run(args) {
      calls.push([...args]);
      const rest = args.slice(2);
      if (rest[0] === 'container' && rest[1] === 'inspect') {
        const names: Record<string, string> = { web: A, db: B };
        const refs = rest.slice(3).map((r) => names[r] ?? r);
        const docs = refs.filter((r) => r in running).map(doc);
        const bad = refs.filter((r) => !(r in running));
        // As nerdctl does: one ref that does not exist fails the command and prints nothing.
        if (bad.length) return { exitCode: 1, stdout: '', stderr: `time="x" level=fatal msg="1 errors:\nno such container: ${bad[0]}"` };
        return { exitCode: 0, stdout: JSON.stringify(docs), stderr: '' };
      }
      if (rest[0] === 'info') return { exitCode: 0, stdout: '8589934592\n', stderr: '' };
      return { exitCode: 1, stdout: '', stderr: `unexpected ${args.join(' ')}` };
    },
    spawn: () => Promise.reject(new Error('no nerdctl stats process expected')),
    async readFiles(paths) {
      reads.push([...paths]);
      const all = files();
      return new Map(paths.filter((p) => all.has(p)).map((p) => [p, all.get(p) as string]));
    },
  };
  const ctx = createNerdctlContext('n', runner, log, {}, 'berth-test');
  return {
    ctx,
    runner,
    calls,
    reads,
    inspects: () => calls.filter((c) => c.includes('inspect')).length,
    tick: (cpuNs: Record<string, number>, ticks: number) => {
      for (const [id, n] of Object.entries(cpuNs)) cpu[id] = (cpu[id] ?? 0) + n;
      systemTicks += ticks;
    },
    setCpu: (id: string, ns: number) => (cpu[id] = ns),
    stop: (id: string) => (running[id] = false),
    unreadable,
  };
}

const signal = new AbortController().signal;

describe('nerdctl live figures from cgroup files', () => {
  it('inspects a container once, then reads every counter in one read per sample; the first reading has no CPU figure yet', async () => {
    const m = machine({ [A]: true, [B]: true });
    const s = nerdctlCgroupSampler(m.ctx, m.runner.readFiles!.bind(m.runner));
    const first = await s.sample([A, 'db'], signal);
    expect(first.missing).toEqual([]);
    expect(first.refs).toEqual([A, 'db']);
    expect(first.containers.map((c) => [c.id, c.name, c.cpuPending])).toEqual([
      [A, 'web', true],
      [B, 'db', true],
    ]);
    expect(first.containers[0]).toMatchObject({ cpuPercent: 0, memoryUsed: 1048576 - 524288, pids: 2, netRx: 100, netTx: 200 });
    expect(m.inspects()).toBe(1);

    // 0.25 s of CPU for A while the machine's two CPUs ran 1 s each (200 ticks of 10 ms).
    m.tick({ [A]: 250_000_000 }, 200);
    const reads = m.reads.length;
    const second = await s.sample([A, 'db'], signal);
    expect(m.inspects()).toBe(1);
    expect(m.reads.length).toBe(reads + 1);
    // This machine has no block I/O counters for them: asked for once, not again.
    expect(m.reads[reads - 1]?.some((f) => f.includes('blkio'))).toBe(true);
    expect(m.reads[reads]?.some((f) => f.includes('blkio'))).toBe(false);
    expect(second.containers[0]?.cpuPending).toBeUndefined();
    expect(second.containers[0]?.cpuPercent).toBeCloseTo(25, 10);
    expect(second.containers[1]?.cpuPercent).toBe(0);
    expect(m.calls.some((c) => c.includes('stats') || c.includes('ps'))).toBe(false);
  });

  it('a container that stopped is missing and forgotten; one that does not exist or never ran is missing', async () => {
    const m = machine({ [A]: true, [B]: false });
    const s = nerdctlCgroupSampler(m.ctx, m.runner.readFiles!.bind(m.runner));
    const first = await s.sample([A, B, 'nope'], signal);
    expect(first.containers.map((c) => c.id)).toEqual([A]);
    expect(first.missing.sort()).toEqual([B, 'nope'].sort());
    m.stop(A);
    const second = await s.sample([A], signal);
    expect(second).toMatchObject({ containers: [], missing: [A] });
    // Forgotten: the next sample asks nerdctl again.
    const before = m.inspects();
    await s.sample([A], signal);
    expect(m.inspects()).toBe(before + 1);
  });

  it('counters that went back (a restart) give no CPU figure rather than a wrong one', async () => {
    const m = machine({ [A]: true });
    const s = nerdctlCgroupSampler(m.ctx, m.runner.readFiles!.bind(m.runner));
    await s.sample([A], signal);
    m.setCpu(A, 1000);
    m.tick({}, 200);
    const again = await s.sample([A], signal);
    expect(again.containers[0]).toMatchObject({ cpuPercent: 0, cpuPending: true });
    m.tick({ [A]: 1e9 }, 200);
    expect((await s.sample([A], signal)).containers[0]?.cpuPercent).toBeCloseTo(100, 10);
  });

  it('a running container whose cgroup files cannot be read here is handed to the CLI, and stays there', async () => {
    const m = machine({ [A]: true });
    m.unreadable.add(A);
    const s = nerdctlCgroupSampler(m.ctx, m.runner.readFiles!.bind(m.runner));
    expect(await s.sample([A], signal)).toMatchObject({ containers: [], missing: [], viaEngine: [A] });
    const reads = m.reads.length;
    expect(await s.sample([A], signal)).toMatchObject({ containers: [], missing: [], viaEngine: [A] });
    expect(m.reads.length).toBe(reads);
    expect(m.inspects()).toBe(1);
  });

  it('stats.sample gives the machine memory as the limit of a container without one (as Docker does)', async () => {
    const m = machine({ [A]: true });
    const stats = new NerdctlStats(m.ctx);
    const got = await stats.sample([A, 'gone'], signal);
    expect(got.missing).toEqual(['gone']);
    expect(got.containers[0]).toMatchObject({ id: A, memoryLimit: 8589934592, cpuPending: true });
    expect(got.containers[0]?.memoryPercent).toBeCloseTo((524288 / 8589934592) * 100, 10);
  });
});
