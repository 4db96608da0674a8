import type { EngineVersion } from '../../contract/engines';

/** Engine-wide operations. The engine issue extends this with info, disk usage and prune. */
export interface SystemOps {
  ping(signal?: AbortSignal): Promise<void>;
  version(signal?: AbortSignal): Promise<EngineVersion>;
}
