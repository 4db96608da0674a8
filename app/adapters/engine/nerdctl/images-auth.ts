import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BerthError } from '../../../contract/errors';
import type { RegistryAuth } from '../../../contract/images';
import { parseImageRef, registryOf } from '../../../core/image-ref';
import type { NerdctlContext } from './context';

/**
 * Runs a pull or push with credentials given with the request. nerdctl has no credential flags: it reads
 * `$DOCKER_CONFIG/config.json`, so the credentials go into a private config folder (0700, the file 0600) made
 * for this one command and removed after it; the user's own Docker config is never written. Only where
 * nerdctl sees the core's files (a local nerdctl); in the VM this is NOT_SUPPORTED (log in there once).
 * Without credentials, `fn` runs as is (nerdctl then uses its own Docker config and credential helpers).
 */
export async function withRequestCredentials<T>(ctx: NerdctlContext, ref: string, auth: RegistryAuth | undefined, what: string, fn: (env?: Record<string, string>) => Promise<T>): Promise<T> {
  if (!auth) return fn();
  if (!ctx.runner.sharesHostFiles) {
    throw new BerthError('NOT_SUPPORTED', `Credentials given to ${what} cannot be passed to nerdctl in the VM.`, {
      hint: 'Log in once with `nerdctl login <registry>` in the VM; nerdctl then uses the stored credentials.',
    });
  }
  const registry = auth.serverAddress ?? registryOf(parseImageRef(ref));
  const key = registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-registry-auth-'));
  try {
    const config = { auths: { [key]: { auth: Buffer.from(`${auth.username}:${auth.password}`).toString('base64') } } };
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    ctx.log.info(`Using registry credentials for ${registry} given with the request`);
    return await fn({ DOCKER_CONFIG: dir });
  } catch (err) {
    if (err instanceof BerthError && err.code === 'AUTH_REQUIRED') {
      throw new BerthError('AUTH_REQUIRED', err.message, { hint: `The credentials given were refused by ${registry}.`, ...(err.details ? { details: err.details } : {}) });
    }
    throw err;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
