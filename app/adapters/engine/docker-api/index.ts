import type { DockerHost } from '../../../core/docker-host';
import type { ContainerEngine } from '../../../ports/engine';
import type { Logger } from '../../../ports/logger';
import type { ProcessRunner } from '../../../ports/process';
import { createDockerContext } from './context';
import { DockerSystem } from './system';
import { DockerContainers } from './containers';
import { DockerImages } from './images';
import { DockerVolumes } from './volumes';
import { DockerNetworks } from './networks';
import { DockerLogs } from './logs';
import { DockerStats } from './stats';
import { DockerExec } from './exec';
import { DockerEvents } from './events';
import { DockerSecurity } from './security';
import { DockerArchive } from './files';
import { ArchiveFiles } from '../files-archive';
import { DockerDebug } from './debug';
import { capabilitiesOf } from './flavor';
import { dockerBuilders } from './images-buildkit-engine';

export { DOCKER_API_CAPABILITIES, PODMAN_CAPABILITIES, detectFlavor } from './flavor';

export interface DockerEngineOptions {
  id: string;
  name: string;
  host: DockerHost;
  log: Logger;
  runner: ProcessRunner;
  /** The core's environment. */
  env: Record<string, string | undefined>;
}

/** The Docker Engine API adapter (dockerd, Podman's Docker-compatible socket...), over dockerode. */
export function createDockerEngine(opts: DockerEngineOptions): ContainerEngine {
  const ctx = createDockerContext(opts.id, opts.host, opts.log.child(`engine:${opts.id}`), opts.runner, opts.env);
  const stats = new DockerStats(ctx);
  return {
    id: opts.id,
    kind: 'docker-api',
    name: opts.name,
    endpoint: ctx.endpoint,
    /** dockerd's until a version read says the engine is Podman (on connect: the monitor reads it on every `up`). */
    get capabilities() {
      return { ...capabilitiesOf(ctx.flavor), buildkit: dockerBuilders(ctx) };
    },
    system: new DockerSystem(ctx),
    containers: new DockerContainers(ctx),
    images: new DockerImages(ctx),
    volumes: new DockerVolumes(ctx),
    networks: new DockerNetworks(ctx),
    logs: new DockerLogs(ctx),
    stats,
    exec: new DockerExec(ctx),
    events: new DockerEvents(ctx),
    security: new DockerSecurity(ctx),
    files: new ArchiveFiles(new DockerArchive(ctx)),
    debug: new DockerDebug(ctx),
    async dispose() {
      // dockerode holds no persistent connection (but the stats sampler's kept-alive ones); streams are closed by their owners.
      stats.dispose();
    },
  };
}
