import type { VolumeCreateSpec, VolumeDetails, VolumeList, VolumePruneResult, VolumeSummary } from '../../contract/volumes';

/**
 * Volumes operations of a container engine. Every failure is a BerthError with a typed code
 * (NOT_FOUND, NAME_IN_USE, VOLUME_IN_USE, ENGINE_UNREACHABLE...); a failed list rejects, never [].
 */
export interface VolumesOps {
  /** With the containers using each, and sizes from the disk usage report (sizeError when that fails). */
  list(signal?: AbortSignal): Promise<VolumeList>;
  /**
   * The volume names only, as cheaply as the engine can say them (the change feed polls them on
   * engines without volume events); absent: the names of `list`.
   */
  names?(signal?: AbortSignal): Promise<string[]>;
  /**
   * A cheap stamp that changes whenever a volume is created or removed (nerdctl: its volume folder's time), or null when
   * the engine cannot tell: the change feed's poll lists the names only when it changed.
   */
  namesStamp?(): Promise<string | null>;
  inspect(name: string): Promise<VolumeDetails>;
  /** NAME_IN_USE when a volume with that name exists already. */
  create(spec: VolumeCreateSpec): Promise<VolumeSummary>;
  /** VOLUME_IN_USE (naming the volume) while a container uses it, force or not. */
  remove(name: string, opts?: { force?: boolean }): Promise<void>;
  /** See VolumePruneResult in the contract for the semantics. */
  prune(opts: { dryRun: boolean; all: boolean }): Promise<VolumePruneResult>;
}
