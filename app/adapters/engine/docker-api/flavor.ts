import { BerthError } from '../../../contract/errors';
import type { EngineCapabilities } from '../../../contract/engines';

/** Which engine answers on a Docker-API socket: dockerd, Podman's compatible service, or not known yet. */
export type DockerFlavor = 'docker' | 'podman' | 'unknown';

/** From the `/version` answer: Podman names itself in its Components ("Podman Engine") or its Platform name. */
export function detectFlavor(v: { Components?: readonly { Name: string }[]; Platform?: { Name?: string } }): Exclude<DockerFlavor, 'unknown'> {
  const names = [...(v.Components ?? []).map((c) => c.Name), v.Platform?.Name ?? ''];
  return names.some((n) => /podman/i.test(n)) ? 'podman' : 'docker';
}

export const DOCKER_API_CAPABILITIES: EngineCapabilities = {
  volumeEvents: true,
  statsStream: true,
  namespaces: false,
  build: true,
  compose: true,
  exportContainer: true,
  pauseUnpause: true,
  files: { via: 'archive-api', changes: true },
};

/**
 * What Podman's Docker-compatible API (4.x) lacks, as found by running the contract suites against it:
 * no POST /containers/{id}/update, exec TTYs cannot be resized, health checks need systemd timers, a
 * Buildah build does not stop when its connection closes, and its event stream leaves out volume,
 * network and image tag events (the monitor then polls volumes).
 */
export const PODMAN_CAPABILITIES: EngineCapabilities = {
  ...DOCKER_API_CAPABILITIES,
  volumeEvents: false,
  containerUpdate: false,
  execResize: false,
  healthChecks: false,
  buildCancel: false,
  objectEvents: false,
};

/** dockerd's capabilities until the engine is known to be Podman (the flags Podman lacks are absent: supported). */
export function capabilitiesOf(flavor: DockerFlavor): EngineCapabilities {
  return flavor === 'podman' ? PODMAN_CAPABILITIES : DOCKER_API_CAPABILITIES;
}

/** The typed answer of a procedure that meets something Podman's compatible API lacks. */
export function podmanLacks(what: string, hint: string, capability: keyof EngineCapabilities): BerthError {
  return new BerthError('NOT_SUPPORTED', `Podman's Docker-compatible API cannot ${what}.`, { hint, details: { engine: 'podman', capability } });
}
