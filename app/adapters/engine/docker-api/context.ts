import type Docker from 'dockerode';
import { formatDockerHost, type DockerHost } from '../../../core/docker-host';
import type { Logger } from '../../../ports/logger';
import type { ProcessRunner } from '../../../ports/process';
import { mapDockerError, type DockerErrorContext } from './errors';
import { versionWithSignal } from './dockerode-extra';
import { detectFlavor, type DockerFlavor } from './flavor';
import { loadDockerode } from './dockerode-load';

/** What every area of the Docker-API adapter shares. */
export interface DockerContext {
  readonly docker: Docker;
  readonly endpoint: string;
  /** The engine's socket when it is a unix socket on this machine (its path), else null. */
  readonly unixSocket: string | null;
  readonly engineId: string;
  readonly log: Logger;
  /** For helper programs (docker-credential-*): the one process runner. */
  readonly runner: ProcessRunner;
  /** The core's environment (credentials config, env files' bare KEY lookups); never process.env directly. */
  readonly env: Record<string, string | undefined>;
  /** Runs an engine call and maps its failure to a BerthError. */
  call<T>(op: string, subject: string | undefined, fn: () => Promise<T>): Promise<T>;
  fail(err: unknown, op: string, subject?: string): Error;
  /** Which engine answers (set by every version read); 'unknown' until one succeeded. */
  flavor: DockerFlavor;
  /** The flavor, reading the version once if it is not known yet (a failed read leaves it unknown). */
  knownFlavor(signal?: AbortSignal): Promise<DockerFlavor>;
}

export function dockerodeOptions(host: DockerHost): Docker.DockerOptions {
  switch (host.kind) {
    case 'unix':
    case 'npipe':
      return { socketPath: host.path };
    case 'tcp':
      return { host: host.host, port: host.port, protocol: host.tls ? 'https' : 'http' };
    case 'ssh': {
      const o: Docker.DockerOptions = { protocol: 'ssh', host: host.host, port: host.port };
      if (host.username) o.username = host.username;
      return o;
    }
  }
}

export function createDockerContext(
  engineId: string,
  host: DockerHost,
  log: Logger,
  runner: ProcessRunner,
  env: Record<string, string | undefined>,
): DockerContext {
  // The client (and dockerode with it) is made on its first use, not at the core's module load (issue 11, cold start).
  let docker: Docker | null = null;
  const endpoint = formatDockerHost(host);
  const fail = (err: unknown, op: string, subject?: string) => {
    const c: DockerErrorContext = { endpoint, op };
    if (subject !== undefined) c.subject = subject;
    return mapDockerError(err, c);
  };
  const ctx: DockerContext = {
    get docker() {
      docker ??= new (loadDockerode())(dockerodeOptions(host));
      return docker;
    },
    endpoint,
    unixSocket: host.kind === 'unix' ? host.path : null,
    flavor: 'unknown',
    async knownFlavor(signal) {
      if (ctx.flavor === 'unknown') {
        const v = await versionWithSignal(ctx.docker, signal).catch(() => null);
        if (v) ctx.flavor = detectFlavor(v);
      }
      return ctx.flavor;
    },
    engineId,
    log,
    runner,
    env,
    fail,
    async call(op, subject, fn) {
      try {
        return await fn();
      } catch (err) {
        throw fail(err, op, subject);
      }
    },
  };
  return ctx;
}
