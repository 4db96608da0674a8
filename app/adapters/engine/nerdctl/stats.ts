import type { ContainerStats, StatsSample, StatsSnapshot } from '../../../contract/stats';
import { LineSplitter, obj } from '../../../core/nerdctl-json';
import { parseStatsRow } from '../../../core/nerdctl-stats';
import type { StatsOps } from '../../../ports/engine/stats';
import type { NerdctlContext } from './context';
import { sampleWithCgroups, type CgroupSampler } from '../cgroup-sampler';
import { nerdctlCgroupSampler } from './stats-cgroup';

const OP = 'read the stats of';
// nerdctl clears the screen before each tick, even with --format json.
// eslint-disable-next-line no-control-regex -- the escape sequences nerdctl prints
const CLEAR = /\x1b\[2J|\x1b\[H/g;

/** Rows of `nerdctl stats --format json` grouped by tick (a tick ends where the next screen clear starts). */
async function* ticks(stdout: AsyncIterable<Uint8Array>): AsyncGenerator<ContainerStats[], void, undefined> {
  const split = new LineSplitter();
  let current: ContainerStats[] = [];
  let seen = false;
  const take = (line: string): ContainerStats[] | null => {
    let flushed: ContainerStats[] | null = null;
    if (line.includes('\x1b[2J')) {
      if (seen) flushed = current;
      current = [];
      seen = true;
    }
    const text = line.replace(CLEAR, '').trim();
    if (text.startsWith('{')) {
      const row = parseStatsRow(obj(JSON.parse(text)), new Date().toISOString());
      if (row) current.push(row);
    }
    return flushed;
  };
  for await (const chunk of stdout) {
    for (const line of split.push(chunk)) {
      const done = take(line);
      if (done) yield done;
    }
  }
  for (const line of split.end()) take(line);
  if (current.length > 0) yield current;
}

const matches = (s: ContainerStats, ref: string) => s.id === ref || s.id.startsWith(ref) || s.name === ref;

export class NerdctlStats implements StatsOps {
  /** Readings straight from the cgroup files, where the runner can read files where containerd runs. */
  private readonly cgroups: CgroupSampler | null;

  constructor(private readonly ctx: NerdctlContext) {
    const read = ctx.runner.readFiles?.bind(ctx.runner);
    this.cgroups = read ? nerdctlCgroupSampler(ctx, read) : null;
  }

  /** Without a memory limit cgroup v1 reports 8 EiB: Docker then gives the host's memory, and so do we. */
  private hostMemory: Promise<number> | null = null;
  private async capLimit(s: ContainerStats): Promise<ContainerStats> {
    if (s.memoryLimit < 2 ** 60) return s;
    this.hostMemory ??= this.ctx
      .exec('read the engine information', undefined, ['info', '--format', '{{json .MemTotal}}'])
      .then((o) => Number(o.trim()) || 0)
      .catch(() => 0);
    const limit = await this.hostMemory;
    return { ...s, memoryLimit: limit, memoryPercent: limit > 0 ? (s.memoryUsed / limit) * 100 : 0 };
  }

  /**
   * `nerdctl stats ID` (a tick every 500 ms). nerdctl keeps printing the last figures of a container
   * that stopped, so its state is checked every 2 s (one short command): the stream ends when it stops.
   */
  async *container(id: string, signal: AbortSignal): AsyncGenerator<ContainerStats, void, undefined> {
    if (signal.aborted) return;
    // A container that does not run has no figures (nerdctl would print stale ones): end at once; NOT_FOUND if it does not exist.
    const state = await this.ctx.exec(OP, id, ['container', 'inspect', '--format', '{{.State.Running}}', id], { signal });
    if (state.trim() !== 'true') return;
    const args = ['stats', '--no-trunc', '--format', 'json', id];
    const proc = await this.ctx.spawn(args, { signal });
    let stopped = false;
    const check = setInterval(() => {
      void this.ctx.raw(['container', 'inspect', '--format', '{{.State.Running}}', id]).then((r) => {
        if (r.stdout.trim() !== 'true') {
          stopped = true;
          proc.kill();
        }
      });
    }, 2000);
    try {
      for await (const rows of ticks(proc.stdout)) {
        const row = rows.find((r) => matches(r, id));
        if (!row || stopped) return;
        yield await this.capLimit(row);
      }
      if (stopped) return;
      const exit = await proc.exit;
      if (!signal.aborted && !stopped && exit.exitCode !== 0) throw this.ctx.failure(OP, id, args, exit);
    } finally {
      clearInterval(check);
      proc.kill();
      // The call that read one sample returns once the process is gone: nothing is left running.
      await proc.exit;
    }
  }

  /**
   * `nerdctl stats` of every running container, one snapshot per interval. nerdctl neither drops
   * containers that stop nor reliably adds ones that start, so the running set is read every 2 s
   * (`ps -q`) and the one stats process is restarted when that set changes (one process per change).
   */
  async *all(signal: AbortSignal, opts: { intervalMs?: number } = {}): AsyncGenerator<StatsSnapshot, void, undefined> {
    const interval = opts.intervalMs ?? 1000;
    const args = ['stats', '--no-trunc', '--format', 'json'];
    const readRunning = async (): Promise<Set<string>> => {
      const out = await this.ctx.exec(OP, 'every container', ['ps', '-q', '--no-trunc'], { signal });
      return new Set(out.split('\n').map((l) => l.trim()).filter(Boolean));
    };
    let running = await readRunning().catch((err: unknown) => {
      if (signal.aborted) return new Set<string>();
      throw err;
    });
    let last = 0;
    while (!signal.aborted) {
      const inner = new AbortController();
      const stop = () => inner.abort();
      signal.addEventListener('abort', stop, { once: true });
      let changed = false;
      const timer = setInterval(() => {
        void readRunning().then(
          (now) => {
            if (now.size !== running.size || [...now].some((id) => !running.has(id))) {
              running = now;
              changed = true;
              inner.abort();
            }
          },
          () => undefined,
        );
      }, 2000);
      const proc = await this.ctx.spawn(args, { signal: inner.signal });
      try {
        if (running.size === 0) {
          // Nothing runs: empty snapshots until something starts.
          proc.kill();
          while (!inner.signal.aborted) {
            yield { ts: new Date().toISOString(), containers: [] };
            await new Promise((r) => setTimeout(r, interval));
          }
          continue;
        }
        for await (const rows of ticks(proc.stdout)) {
          const now = Date.now();
          if (now - last < interval - 100) continue;
          last = now;
          const live = running;
          const containers = await Promise.all(rows.filter((r) => live.has(r.id)).map((r) => this.capLimit(r)));
          yield { ts: new Date(now).toISOString(), containers: containers.sort((a, b) => a.name.localeCompare(b.name)) };
        }
        const exit = await proc.exit;
        if (signal.aborted) return;
        if (changed) continue;
        throw this.ctx.failure(OP, 'every container', args, exit.exitCode === 0 ? { exitCode: 1, stderr: exit.stderr || 'the stats stream ended' } : exit);
      } finally {
        clearInterval(timer);
        signal.removeEventListener('abort', stop);
        proc.kill();
      }
    }
  }
  /**
   * One reading of each running container asked for. From the cgroup files when the runner can read
   * them (see stats-cgroup.ts: no nerdctl process per reading; the first reading of a container has
   * no CPU figure yet), else, and for containers whose cgroup cannot be read, through `sampleViaCli`.
   */
  sample(ids: readonly string[], signal: AbortSignal): Promise<StatsSample> {
    if (!this.cgroups) return this.sampleViaCli([...new Set(ids)], signal);
    return sampleWithCgroups(this.cgroups, ids, signal, (refs) => this.sampleViaCli(refs, signal), (c) => this.capLimit(c));
  }

  /**
   * Through the CLI, with two runs whatever the number of containers:
   * `ps -q` (which run), then one `nerdctl stats` of them all, stopped after its second tick (about
   * a second; `--no-stream` and the first tick have no CPU reading before them). Reading each
   * container's stream instead ran two processes per container per sample (issue 11: the engine's
   * added load while the window is idle).
   */
  private async sampleViaCli(unique: readonly string[], signal: AbortSignal): Promise<StatsSample> {
    const ps = await this.ctx.exec(OP, 'the running containers', ['ps', '-q', '--no-trunc'], { signal });
    const running = ps.split('\n').map((l) => l.trim()).filter(Boolean);
    const wanted = new Map<string, string>();
    for (const ref of unique) {
      const full = running.find((r) => r === ref || r.startsWith(ref));
      if (full) wanted.set(ref, full);
    }
    const rows: ContainerStats[] = [];
    if (wanted.size > 0) {
      const args = ['stats', '--no-trunc', '--format', 'json', ...new Set(wanted.values())];
      const proc = await this.ctx.spawn(args, { signal });
      try {
        // The first tick's CPU has no reading before it (nerdctl shows 0 % or the lifetime average): the second one is over its last half second.
        let seen = 0;
        for await (const tick of ticks(proc.stdout)) {
          if (tick.length === 0 || ++seen < 2) continue;
          rows.push(...tick);
          break;
        }
        if (rows.length === 0 && !signal.aborted) {
          // The process ended before a tick: a container stopped meanwhile makes nerdctl fail; say why.
          const exit = await proc.exit;
          if (exit.exitCode !== 0) throw this.ctx.failure(OP, undefined, args, exit);
        }
      } finally {
        proc.kill();
        await proc.exit;
      }
    }
    const containers: ContainerStats[] = [];
    const missing: string[] = [];
    for (const ref of unique) {
      const full = wanted.get(ref);
      const row = full === undefined ? undefined : rows.find((r) => r.id === full);
      if (row) containers.push(await this.capLimit(row));
      else missing.push(ref);
    }
    return { ts: new Date().toISOString(), containers, missing };
  }
}
