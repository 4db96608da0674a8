import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import type { ContainerStats, StatsSample, StatsSnapshot } from '../../../contract/stats';
import { computeStats } from '../../../core/stats-calc';
import type { StatsOps } from '../../../ports/engine/stats';
import type { DockerContext } from './context';
import { followAllStats } from './stats-all';
import { DockerStatsSampler } from './stats-sample';
import { dockerCgroupSampler, engineOnThisMachine } from './stats-cgroup';
import { sampleWithCgroups, type CgroupSampler } from '../cgroup-sampler';
import { destroyOnAbort, isAbortLike, openStream } from './streams';
import { isNotRunningSample, statsSamples } from './stats-stream';

const OP = 'read the stats of';

export { isNotRunningSample, readStatsStream } from './stats-stream';

export class DockerStats implements StatsOps {
  private readonly sampler: DockerStatsSampler;
  /** A local engine's containers are read from their cgroup files (no engine call per reading); made on the first sample. */
  private cgroupSampler: CgroupSampler | null | undefined;

  constructor(protected readonly ctx: DockerContext) {
    this.sampler = new DockerStatsSampler(ctx);
  }

  /**
   * Asked on the first sample, not when the engine is made: whether the engine is on this machine is read from the Docker
   * client (dockerode, ~100 ms of CPU to load), which createCore must not wait for (issue 11: cold start).
   */
  private get cgroups(): CgroupSampler | null {
    if (this.cgroupSampler === undefined) this.cgroupSampler = engineOnThisMachine(this.ctx) ? dockerCgroupSampler(this.ctx) : null;
    return this.cgroupSampler;
  }

  /**
   * One reading of each running container asked for: from the cgroup files when dockerd runs on this
   * machine (containers whose cgroup is not found here, remote engines and Podman, by one-shot reads).
   */
  async sample(ids: readonly string[], signal: AbortSignal): Promise<StatsSample> {
    // Podman's figures are its own (its memory differs from the Docker CLI's formula): it keeps them.
    const cgroups = this.cgroups;
    if (!cgroups || (await this.ctx.knownFlavor(signal)) !== 'docker') return this.sampler.sample(ids, signal);
    // dockerd gives the machine's memory as the limit of a container without a lower one.
    const machine = os.totalmem();
    return sampleWithCgroups(cgroups, ids, signal, (refs) => this.sampler.sample(refs, signal), (c) =>
      c.memoryLimit > machine ? { ...c, memoryLimit: machine, memoryPercent: (c.memoryUsed / machine) * 100 } : c,
    );
  }

  /** Closes the sampler's kept-alive connections. */
  dispose(): void {
    this.sampler.dispose();
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
    try {
      for await (const raw of statsSamples(res)) {
        // The engine keeps sending empty samples once the container stops: that is our end.
        if (isNotRunningSample(raw)) return;
        yield computeStats(raw, { id });
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
