import fs from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../contract/errors';
import type { RegistryAuth } from '../../contract/images';
import type { Logger } from '../../ports/logger';
import type { ProcessRunner } from '../../ports/process';

/**
 * Registry credentials the way the Docker CLI finds them: given once by the user, or from the
 * Docker config (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`): `credHelpers[host]`
 * first, then `credsStore`, then `auths[host].auth`. Helpers are `docker-credential-<name> get`
 * with the server on stdin, run through the process runner. Secrets never reach a log: only the
 * server and where the credentials came from are logged.
 */
export interface AuthConfig {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

export interface ResolvedAuth {
  auth: AuthConfig | null;
  /** Where they came from: "input", "config", "helper:<name>", or "none". */
  source: string;
  /** Why none could be read although the config asked for some (a missing helper, a bad file). */
  note?: string;
}

export interface RegistryAuthEnv {
  /** The environment to read DOCKER_CONFIG and PATH from (never the process's implicitly). */
  env: Record<string, string | undefined>;
  /** The user's home folder (for ~/.docker/config.json). */
  homeDir: string;
  runner: ProcessRunner;
  log?: Logger;
}

const HUB_SERVER = 'https://index.docker.io/v1/';
const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The key the Docker CLI uses for a registry: Docker Hub's legacy URL, else host[:port]. */
export const authServerFor = (registry: string): string => (HUB_HOSTS.has(registry) ? HUB_SERVER : registry);

/** `https://host:port/v2/` → `host:port` (the CLI's ConvertToHostname). */
export function hostnameOf(server: string): string {
  const s = server.replace(/^https?:\/\//i, '');
  const host = s.split('/')[0] ?? s;
  return HUB_HOSTS.has(host) ? 'index.docker.io' : host;
}

export function dockerConfigPath(env: Record<string, string | undefined>, homeDir: string): string {
  const dir = env.DOCKER_CONFIG?.trim() ? env.DOCKER_CONFIG : path.join(homeDir, '.docker');
  return path.join(dir, 'config.json');
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** Credentials the user typed, for `registry` (host[:port] or "docker.io"). */
export function authFromInput(a: RegistryAuth, registry: string): AuthConfig {
  return { username: a.username, password: a.password, serveraddress: a.serverAddress ?? authServerFor(registry) };
}

async function readConfig(file: string): Promise<DockerConfigFile | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object') throw new Error('not an object');
    return v as DockerConfigFile;
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message})`);
  }
}

function fromAuths(cfg: DockerConfigFile, server: string): AuthConfig | null {
  const want = hostnameOf(server);
  for (const [key, entry] of Object.entries(cfg.auths ?? {})) {
    if (hostnameOf(key) !== want || !entry) continue;
    if (entry.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: server };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) return { username: decoded.slice(0, i), password: decoded.slice(i + 1), serveraddress: server };
    }
    if (entry.username && entry.password) return { username: entry.username, password: entry.password, serveraddress: server };
  }
  return null;
}

/** Runs `docker-credential-<helper> get`; null when the helper has nothing for this server. */
export async function fromHelper(helper: string, server: string, opts: RegistryAuthEnv): Promise<AuthConfig | null> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(helper)) throw new Error(`"${helper}" is not a valid credential helper name`);
  const program = `docker-credential-${helper}`;
  const env: Record<string, string | undefined> = { PATH: opts.env.PATH };
  if (opts.env.HOME !== undefined) env.HOME = opts.env.HOME;
  const r = await opts.runner.run(program, ['get'], { input: server, env, timeoutMs: 15_000 });
  if (r.exitCode !== 0) {
    const msg = (r.stdout + r.stderr).trim();
    if (/credentials not found/i.test(msg)) return null;
    // A helper's output may hold the very secret it failed to hand over: it never goes further.
    throw new Error(`${program} failed (exit ${r.exitCode}); its output is not shown, as it may contain secrets (run \`${program} get\` yourself to see it)`);
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(r.stdout) as typeof parsed;
  } catch {
    throw new Error(`${program} printed something that is not JSON`);
  }
  if (typeof parsed.Secret !== 'string' || parsed.Secret === '') return null;
  if (parsed.Username === '<token>') return { identitytoken: parsed.Secret, serveraddress: server };
  return { username: typeof parsed.Username === 'string' ? parsed.Username : '', password: parsed.Secret, serveraddress: server };
}

/**
 * Credentials for `registry` ("docker.io" or host[:port]) from the Docker config and its helpers.
 * Never throws for a broken config or helper: that is a `note`, and the request goes anonymous
 * (as public images need no credentials); the note explains a later AUTH_REQUIRED.
 */
export async function resolveRegistryAuth(registry: string, opts: RegistryAuthEnv): Promise<ResolvedAuth> {
  const server = authServerFor(registry);
  const file = dockerConfigPath(opts.env, opts.homeDir);
  let cfg: DockerConfigFile | null;
  try {
    cfg = await readConfig(file);
  } catch (err) {
    opts.log?.warn('Could not read the Docker config for registry credentials', { file, reason: (err as Error).message });
    return { auth: null, source: 'none', note: (err as Error).message };
  }
  if (!cfg) return { auth: null, source: 'none' };
  const host = hostnameOf(server);
  const helper = Object.entries(cfg.credHelpers ?? {}).find(([k]) => hostnameOf(k) === host)?.[1] ?? cfg.credsStore;
  if (helper) {
    try {
      const auth = await fromHelper(helper, server, opts);
      opts.log?.info(auth ? `Using registry credentials for ${host} from docker-credential-${helper}` : `docker-credential-${helper} has no credentials for ${host}`);
      return { auth, source: `helper:${helper}` };
    } catch (err) {
      const reason = err instanceof BerthError || err instanceof Error ? err.message : String(err);
      opts.log?.warn(`Could not get registry credentials for ${host} from docker-credential-${helper}`, { reason });
      return { auth: null, source: 'none', note: `docker-credential-${helper}: ${reason}` };
    }
  }
  const auth = fromAuths(cfg, server);
  if (auth) opts.log?.info(`Using registry credentials for ${host} from ${file}`);
  return { auth, source: auth ? 'config' : 'none' };
}
