import type { ContainerSummary } from '../contract/containers';

/**
 * The engine's container list asked for at process start, before the core's modules loaded (issue 11: cold start;
 * app/adapters/engine/docker-api/early-list.ts). FirstList uses it for the window's first list instead of asking
 * the engine again, when its active engine is this endpoint.
 */
export interface EarlyContainerList {
  /** The engine it asked, as the engine's adapter names its endpoint. */
  readonly endpoint: string;
  /**
   * Called once the core's event stream of that engine is up: the list when the engine reports no container change
   * since it was asked for (until now; later changes come through the event stream), else null (the caller lists
   * again). Rejects when the early request failed. Once only; afterwards null.
   */
  take(): Promise<ContainerSummary[] | null> | null;
  /** Not used: lets the reply go. */
  release(): void;
}
