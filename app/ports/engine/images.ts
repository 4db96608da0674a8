import type {
  BuildInput,
  BuildItem,
  ImageDetails,
  ImageFilter,
  ImageHistoryEntry,
  ImageSummary,
  LoadResult,
  PruneResult,
  PullDone,
  PullInput,
  PushDone,
  PushInput,
  RemoveResult,
  SaveInput,
  TransferProgress,
} from '../../contract/images';
import type { ConvertInput, ConvertResult } from '../../contract/images-lazy';
import type { BuildStages } from '../../contract/images-build';

export type BuildOutput = Exclude<BuildItem, { kind: 'done' }>;
export type BuildDone = Extract<BuildItem, { kind: 'done' }>;

/**
 * Images operations of a container engine. Every method validates references first
 * (INVALID_REFERENCE before touching the engine) and fails with a BerthError.
 * Streams stop promptly when `signal` aborts (the engine's work is cancelled too).
 */
export interface ImagesOps {
  /**
   * `containersPerImage` (containers of any state per image id, e.g. from the core's ImageUsage)
   * spares the engine a full container list to count them; without it the adapter counts itself.
   */
  list(filter: ImageFilter, signal?: AbortSignal, opts?: { containersPerImage?: ReadonlyMap<string, number> }): Promise<ImageSummary[]>;
  inspect(ref: string, signal?: AbortSignal): Promise<ImageDetails>;
  history(ref: string, signal?: AbortSignal): Promise<ImageHistoryEntry[]>;
  /** Emits aggregated progress (throttled, plus a last one); resolves with what was pulled. */
  pull(input: Omit<PullInput, 'engineId'>, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<PullDone>;
  push(input: Omit<PushInput, 'engineId'>, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<PushDone>;
  /** Returns the normalized target reference. */
  tag(source: string, target: string, signal?: AbortSignal): Promise<string>;
  remove(ref: string, force: boolean, signal?: AbortSignal): Promise<RemoveResult>;
  prune(opts: { all: boolean; dryRun: boolean }, signal?: AbortSignal): Promise<PruneResult>;
  build(input: Omit<BuildInput, 'engineId'>, onOutput: (item: BuildOutput) => void, signal: AbortSignal): Promise<BuildDone>;
  /** The stages of the Dockerfile a build of `contextDir` would use (read on the core's host). */
  buildStages(contextDir: string, dockerfile: string, signal?: AbortSignal): Promise<BuildStages>;
  save(input: Omit<SaveInput, 'engineId'>, signal?: AbortSignal): Promise<{ path: string; bytes: number }>;
  load(path: string, signal?: AbortSignal): Promise<LoadResult>;
  /** eStargz conversion for lazy pulling; absent where the engine cannot (dockerd's image store). */
  convert?(input: Omit<ConvertInput, 'engineId'>, signal?: AbortSignal): Promise<ConvertResult>;
}
