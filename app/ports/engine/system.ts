import type { EngineVersion } from '../../contract/engines';
import type { DiskUsage, SystemInfo, SystemPruneResult, SystemPruneSpec } from '../../contract/system';

/** Engine-wide operations. */
export interface SystemOps {
  ping(signal?: AbortSignal): Promise<void>;
  version(signal?: AbortSignal): Promise<EngineVersion>;
  info(signal?: AbortSignal): Promise<SystemInfo>;
  df(signal?: AbortSignal): Promise<DiskUsage>;
  /**
   * Stopped containers, unused networks, dangling (or with `all` every unused) images, build cache,
   * and with `volumes` unused volumes. Callers must have the user's explicit confirmation.
   * If a step fails, the error says what was already removed (details.removedSoFar).
   */
  prune(spec: SystemPruneSpec): Promise<SystemPruneResult>;
}
