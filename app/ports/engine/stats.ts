import type { ContainerStats, StatsSample, StatsSnapshot } from '../../contract/stats';

/** Stats operations of a container engine. */
export interface StatsOps {
  /** One item per engine sample; ends when the container stops, or soon after `signal` aborts. */
  container(id: string, signal: AbortSignal): AsyncIterable<ContainerStats>;
  /**
   * A snapshot of every running container about every `intervalMs` (default 1000), following
   * containers as they start and stop. Fails (ENGINE_UNREACHABLE...) when the engine goes away.
   */
  all(signal: AbortSignal, opts?: { intervalMs?: number }): AsyncIterable<StatsSnapshot>;
  /**
   * One reading of each container, with no stream left open (what the lists sample). Containers
   * that are not running or do not exist are in `missing`. An engine without a one-shot read
   * leaves this out: the core then takes the first sample of `container()` (see app/api/stats.ts).
   */
  sample?(ids: readonly string[], signal: AbortSignal): Promise<StatsSample>;
}
