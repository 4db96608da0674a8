import type { ContainerStats, StatsSample, StatsSnapshot } from '../../../contract/stats';
import { LineSplitter, obj } from '../../../core/nerdctl-json';
import { parseStatsRow } from '../../../core/nerdctl-stats';
import type { StatsOps } from '../../../ports/engine/stats';
import type { NerdctlContext } from './context';

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
  constructor(private readonly ctx: NerdctlContext) {}

  /** `nerdctl stats ID` (a tick every 500 ms); ends when the container stops or the process ends. */
  async *container(id: string, signal: AbortSignal): AsyncGenerator<ContainerStats, void, undefined> {
    if (signal.aborted) return;
    const args = ['stats', '--no-trunc', '--format', 'json', id];
    const proc = await this.ctx.spawn(args, { signal });
    try {
      for await (const rows of ticks(proc.stdout)) {
        const row = rows.find((r) => matches(r, id));
        if (!row) return;
        yield row;
      }
      const exit = await proc.exit;
      if (!signal.aborted && exit.exitCode !== 0) throw this.ctx.failure(OP, id, args, exit);
    } finally {
      proc.kill();
    }
  }

  /** `nerdctl stats` of every running container (it follows containers as they start), one snapshot per interval. */
  async *all(signal: AbortSignal, opts: { intervalMs?: number } = {}): AsyncGenerator<StatsSnapshot, void, undefined> {
    if (signal.aborted) return;
    const interval = opts.intervalMs ?? 1000;
    const args = ['stats', '--no-trunc', '--format', 'json'];
    const proc = await this.ctx.spawn(args, { signal });
    let last = 0;
    try {
      for await (const rows of ticks(proc.stdout)) {
        const now = Date.now();
        if (now - last < interval - 100) continue;
        last = now;
        yield { ts: new Date(now).toISOString(), containers: rows.sort((a, b) => a.name.localeCompare(b.name)) };
      }
      const exit = await proc.exit;
      if (signal.aborted) return;
      throw this.ctx.failure(OP, 'every container', args, exit.exitCode === 0 ? { exitCode: 1, stderr: exit.stderr || 'the stats stream ended' } : exit);
    } finally {
      proc.kill();
    }
  }

  /** One `nerdctl stats --no-stream` of the running containers; the ids that are not among them are missing. */
  async sample(ids: readonly string[], signal: AbortSignal): Promise<StatsSample> {
    const out = await this.ctx.exec(OP, ids.join(', '), ['stats', '--no-stream', '--no-trunc', '--format', 'json'], { signal });
    const ts = new Date().toISOString();
    const rows = out
      .replace(CLEAR, '')
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => parseStatsRow(obj(JSON.parse(l)), ts))
      .filter((r): r is ContainerStats => r !== null);
    const containers: ContainerStats[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const r = rows.find((x) => matches(x, id));
      if (r) containers.push(r);
      else missing.push(id);
    }
    return { ts, containers, missing };
  }
}
