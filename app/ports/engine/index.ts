import type { EngineCapabilities } from '../../contract/engines';
import type { SystemOps } from './system';

export type { SystemOps } from './system';

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
  dispose(): Promise<void>;
}
