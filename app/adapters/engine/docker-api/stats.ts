import type { IncomingMessage } from 'node:http';
import type { ContainerStats, StatsSample, StatsSnapshot } from '../../../contract/stats';
import { LineAssembler, type LogLine } from '../../../core/log-lines';
import { computeStats, type RawStats } from '../../../core/stats-calc';
import type { StatsOps } from '../../../ports/engine/stats';
import type { DockerContext } from './context';
import { followAllStats } from './stats-all';
import { DockerStatsSampler } from './stats-sample';
import { destroyOnAbort, isAbortLike, openStream } from './streams';

const OP = 'read the stats of';

/** A sample of a container that is not running carries the zero time. */
export const isNotRunningSample = (s: RawStats): boolean => typeof s.read !== 'string' || s.read.startsWith('0001-01-01');

/**
 * Reads the engine's stats stream (`stream=1`: one JSON sample per line, about every second)
 * and calls `onSample` for each; resolves when the stream ends, rejects on a failure.
 */
export async function readStatsStream(res: IncomingMessage, onSample: (s: RawStats) => boolean | void): Promise<void> {
  const lines = new LineAssembler('stdout', { maxLineChars: 4 * 1024 * 1024 });
  const take = (out: LogLine[]): boolean => {
    for (const l of out) {
      if (!l.text.trim()) continue;
      let raw: RawStats;
      try {
        raw = JSON.parse(l.text) as RawStats;
      } catch {
        continue;
      }
      if (onSample(raw) === false) return false;
    }
    return true;
  };
  for await (const chunk of res as AsyncIterable<Buffer>) {
    const out: LogLine[] = [];
    lines.push(chunk, out);
    if (!take(out)) return;
  }
  const out: LogLine[] = [];
  lines.end(out);
  take(out);
}

export class DockerStats implements StatsOps {
  private readonly sampler: DockerStatsSampler;

  constructor(protected readonly ctx: DockerContext) {
    this.sampler = new DockerStatsSampler(ctx);
  }

  sample(ids: readonly string[], signal: AbortSignal): Promise<StatsSample> {
    return this.sampler.sample(ids, signal);
  }

  async *container(id: string, signal: AbortSignal): AsyncGenerator<ContainerStats, void, undefined> {
    if (signal.aborted) return;
    let res: IncomingMessage;
    try {
      res = await openStream(this.ctx, { path: `/containers/${encodeURIComponent(id)}/stats`, query: { stream: '1' }, op: OP, subject: id }, signal);
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const stop = destroyOnAbort(res, signal);
    const lines = new LineAssembler('stdout', { maxLineChars: 4 * 1024 * 1024 });
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        const out: LogLine[] = [];
        lines.push(chunk, out);
        for (const l of out) {
          if (!l.text.trim()) continue;
          const raw = JSON.parse(l.text) as RawStats;
          // The engine keeps sending empty samples once the container stops: that is our end.
          if (isNotRunningSample(raw)) return;
          yield computeStats(raw, { id });
        }
      }
    } catch (err) {
      if (isAbortLike(err, signal)) return;
      throw this.ctx.fail(err, OP, id);
    } finally {
      stop();
      res.destroy();
    }
  }

  all(signal: AbortSignal, opts: { intervalMs?: number } = {}): AsyncIterable<StatsSnapshot> {
    return followAllStats(this.ctx, signal, opts.intervalMs ?? 1000);
  }
}
