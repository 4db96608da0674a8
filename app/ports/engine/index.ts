import type { EngineCapabilities } from '../../contract/engines';
import type { SystemOps } from './system';
import type { ContainersOps } from './containers';
import type { ImagesOps } from './images';
import type { VolumesOps } from './volumes';
import type { NetworksOps } from './networks';
import type { LogsOps } from './logs';
import type { StatsOps } from './stats';
import type { ExecOps } from './exec';
import type { EventsOps } from './events';
import type { SecurityOps } from './security';
import type { NamespacesOps } from './namespaces';
import type { FilesOps } from './files';
import type { DebugOps } from './debug';

export type { SystemOps } from './system';
export type { ContainersOps } from './containers';
export type { ImagesOps } from './images';
export type { VolumesOps } from './volumes';
export type { NetworksOps } from './networks';
export type { LogsOps } from './logs';
export type { StatsOps } from './stats';
export type { ExecOps } from './exec';
export type { EventsOps } from './events';
export type { SecurityOps } from './security';
export type { NamespacesOps } from './namespaces';
export type { FilesOps } from './files';
export type { DebugOps } from './debug';
export type { EngineCommandRunner } from './command-runner';

/**
 * One container engine, whatever it is (Docker Engine API, nerdctl...). Each area is a
 * separate object so adapters can implement them in separate files.
 */
export interface ContainerEngine {
  readonly id: string;
  readonly kind: 'docker-api' | 'nerdctl';
  readonly name: string;
  /** Where it is reached, e.g. `unix:///var/run/docker.sock`. */
  readonly endpoint: string;
  readonly capabilities: EngineCapabilities;
  readonly system: SystemOps;
  readonly containers: ContainersOps;
  readonly images: ImagesOps;
  readonly volumes: VolumesOps;
  readonly networks: NetworksOps;
  readonly logs: LogsOps;
  readonly stats: StatsOps;
  readonly exec: ExecOps;
  readonly events: EventsOps;
  /** The normalized security view (posture checks, hardening, runtimes); absent when an adapter cannot build it yet. */
  readonly security?: SecurityOps;
  /** containerd namespaces; present exactly when `capabilities.namespaces`. */
  readonly namespaces?: NamespacesOps;
  /** A container's file system; present exactly when `capabilities.files`. */
  readonly files?: FilesOps;
  /** Debug toolbox containers; absent when the adapter cannot start them yet. */
  readonly debug?: DebugOps;
  dispose(): Promise<void>;
}
