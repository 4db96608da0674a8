import type { ImageMinimality, RuntimeInfo } from '../../contract/security';
import type { EngineSecurityContext, SecurityView } from '../../core/posture/view';

/**
 * The security view of an engine's containers, normalized so one check catalogue serves every
 * engine. Each adapter builds it from its own inspect (Docker: inspect + image; containerd: the OCI spec).
 */
export interface SecurityOps {
  /** The effective security settings of one container. NOT_FOUND when it is gone. */
  view(id: string): Promise<SecurityView>;
  /**
   * Several views at once where the engine reads them cheaper together (nerdctl: one inspect for all), by the ids asked for
   * (full ids, as lists give them); a container that is gone is absent (the caller does not read it again one by one).
   */
  views?(ids: readonly string[]): Promise<Map<string, SecurityView>>;
  /** How many ids one `views` call should take (the caller reads more in several calls; a call that fails, one by one). */
  readonly viewsBatch?: number;
  /** Rootless, user namespaces, seccomp/AppArmor availability, VM port forwarding. */
  context(): Promise<EngineSecurityContext>;
  /** The OCI runtimes the engine offers. */
  runtimes(): Promise<RuntimeInfo[]>;
  /** Paths the container added or changed in its root filesystem (for a read-only root's tmpfs list). */
  changedPaths(id: string): Promise<string[]>;
  /** Shell, package manager, distribution, USER and size of an image. */
  imageMinimality(image: string): Promise<ImageMinimality>;
}
