import { BerthError } from '../contract/errors';

export type DockerHost =
  | { kind: 'unix'; path: string }
  | { kind: 'npipe'; path: string }
  | { kind: 'tcp'; host: string; port: number; tls: boolean }
  | { kind: 'ssh'; host: string; port: number; username?: string };

/**
 * Parses a DOCKER_HOST-style endpoint: `unix:///path`, `npipe:////./pipe/name`,
 * `tcp://host:port`, `ssh://user@host[:port]`. A bare absolute path means a unix socket.
 */
export function parseDockerHost(raw: string): DockerHost {
  const value = raw.trim();
  const bad = (why: string) =>
    new BerthError('INVALID_INPUT', `"${raw}" is not a usable engine address: ${why}.`, {
      hint: 'Use unix:///path/to/docker.sock, npipe:////./pipe/docker_engine, tcp://host:2376 or ssh://user@host.',
    });
  if (value === '') throw bad('it is empty');
  if (value.startsWith('/')) return { kind: 'unix', path: value };
  const m = /^([a-z]+):\/\/(.*)$/.exec(value);
  if (!m) throw bad('it has no scheme');
  const [, scheme, rest = ''] = m;
  switch (scheme) {
    case 'unix':
      if (!rest.startsWith('/')) throw bad('a unix socket path must be absolute');
      return { kind: 'unix', path: rest };
    case 'npipe': {
      // npipe:////./pipe/docker_engine -> \\.\pipe\docker_engine
      const p = rest.replace(/^\/+/, '');
      if (!p.startsWith('./pipe/')) throw bad('a named pipe looks like npipe:////./pipe/name');
      return { kind: 'npipe', path: `\\\\${p.replace(/\//g, '\\')}` };
    }
    case 'tcp':
    case 'http':
    case 'https': {
      const hm = /^([^/:]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(rest);
      if (!hm) throw bad('a TCP address looks like tcp://host:port');
      const port = Number(hm[2]);
      if (port < 1 || port > 65535) throw bad('the port is out of range');
      return { kind: 'tcp', host: hm[1] as string, port, tls: scheme === 'https' || port === 2376 };
    }
    case 'ssh': {
      const sm = /^(?:([^@/]+)@)?([^/:@]+)(?::(\d{1,5}))?\/?$/.exec(rest);
      if (!sm) throw bad('an SSH address looks like ssh://user@host[:port]');
      const out: DockerHost = { kind: 'ssh', host: sm[2] as string, port: sm[3] ? Number(sm[3]) : 22 };
      if (sm[1]) out.username = sm[1];
      return out;
    }
    default:
      throw bad(`the scheme "${scheme}" is not supported`);
  }
}

export function formatDockerHost(h: DockerHost): string {
  switch (h.kind) {
    case 'unix':
      return `unix://${h.path}`;
    case 'npipe':
      return `npipe://${h.path.replace(/\\/g, '/')}`;
    case 'tcp':
      return `${h.tls ? 'https' : 'tcp'}://${h.host}:${h.port}`;
    case 'ssh':
      return `ssh://${h.username ? `${h.username}@` : ''}${h.host}${h.port === 22 ? '' : `:${h.port}`}`;
  }
}
