import type { ContainerStats, StatsSnapshot } from '../../contract/stats';

/** Stats operations of a container engine. */
export interface StatsOps {
  /** One item per engine sample; ends when the container stops, or soon after `signal` aborts. */
  container(id: string, signal: AbortSignal): AsyncIterable<ContainerStats>;
  /**
   * A snapshot of every running container about every `intervalMs` (default 1000), following
   * containers as they start and stop. Fails (ENGINE_UNREACHABLE...) when the engine goes away.
   */
  all(signal: AbortSignal, opts?: { intervalMs?: number }): AsyncIterable<StatsSnapshot>;
}
