import fs from 'node:fs';
import path from 'node:path';
import { parseDockerHost, type DockerHost } from '../../core/docker-host';

export interface EngineCandidate {
  id: string;
  name: string;
  host: DockerHost;
  /** Why this candidate: "settings", "DOCKER_HOST", "default socket"... */
  source: string;
}

export interface DiscoverInput {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** `engine.host` from settings; empty means discover. */
  configuredHost: string;
}

const isSocket = (p: string) => {
  try {
    return fs.statSync(p).isSocket();
  } catch {
    return false;
  }
};

/**
 * Finds the engine to use on this host. Order: the socket set in Settings, DOCKER_HOST,
 * then (Linux) the system Docker socket, rootless Docker, Podman's rootless and system
 * sockets. When none exists the system socket is still returned, so the UI can say
 * which socket it tried. On macOS and Windows the VM issue adds Lima's forwarded socket.
 */
export function discoverLocalEngine(input: DiscoverInput): EngineCandidate {
  if (input.configuredHost.trim() !== '') {
    return { id: 'local', name: 'Configured engine', host: parseDockerHost(input.configuredHost), source: 'settings' };
  }
  const fromEnv = input.env.DOCKER_HOST?.trim();
  if (fromEnv) return { id: 'local', name: 'Docker (DOCKER_HOST)', host: parseDockerHost(fromEnv), source: 'DOCKER_HOST' };

  if (input.platform === 'win32') {
    return { id: 'local', name: 'Docker (named pipe)', host: parseDockerHost('npipe:////./pipe/docker_engine'), source: 'default pipe' };
  }
  const runtime = input.env.XDG_RUNTIME_DIR;
  const candidates: Array<[string, string]> = [
    ['/var/run/docker.sock', 'Docker'],
    ...(runtime ? ([[path.join(runtime, 'docker.sock'), 'Docker (rootless)'], [path.join(runtime, 'podman', 'podman.sock'), 'Podman (rootless)']] as Array<[string, string]>) : []),
    ['/run/podman/podman.sock', 'Podman'],
  ];
  for (const [p, name] of candidates) {
    if (isSocket(p)) return { id: 'local', name, host: { kind: 'unix', path: p }, source: 'found socket' };
  }
  return { id: 'local', name: 'Docker', host: { kind: 'unix', path: '/var/run/docker.sock' }, source: 'default socket (not found)' };
}

/**
 * Like discoverLocalEngine, but an unusable address in Settings or DOCKER_HOST never stops
 * Berth from starting: it is reported as a warning and the next source is tried.
 */
export function discoverLocalEngineSafely(input: DiscoverInput): { candidate: EngineCandidate; warnings: string[] } {
  const warnings: string[] = [];
  let current = input;
  for (;;) {
    try {
      return { candidate: discoverLocalEngine(current), warnings };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      if (current.configuredHost.trim() !== '') {
        warnings.push(`The engine address in settings.json (engine.host) is not usable: ${why} Berth looked for a local engine instead.`);
        current = { ...current, configuredHost: '' };
      } else if (current.env.DOCKER_HOST?.trim()) {
        warnings.push(`DOCKER_HOST is not usable: ${why} Berth looked for a local engine instead.`);
        current = { ...current, env: { ...current.env, DOCKER_HOST: undefined } };
      } else {
        throw err;
      }
    }
  }
}
