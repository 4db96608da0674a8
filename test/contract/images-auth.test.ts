import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRegistry, type Registry } from '../support/registry';
import { createTestCore, describeEngine, rawDocker, type TestCore } from '../support/engine';
import { buildSmall, cleanup, expectError, runToEnd, uniq } from './images-support';

/**
 * A registry that wants a password. What dockerd 20.10 says without credentials is "no basic
 * auth credentials" (pull: HTTP 500 before streaming; push: in the stream), and with wrong ones
 * "unauthorized: authentication required": both are AUTH_REQUIRED. (PULL_DENIED is Docker Hub's
 * "pull access denied …", which a local registry never says.) Credentials come from the request,
 * the Docker config (a temp DOCKER_CONFIG for this test file's worker), or a credential helper
 * (a script first on PATH).
 */
describeEngine('images: registries that need credentials', () => {
  const user = 'berth';
  const password = `pw-${Math.random().toString(36).slice(2, 10)}`;
  let t: TestCore;
  let reg: Registry;
  let dir: string;
  let ref: string;
  const saved = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };
  const docker = () => rawDocker();
  const writeConfig = (cfg: unknown) => fs.writeFileSync(path.join(dir, 'config', 'config.json'), JSON.stringify(cfg));
  const logText = async () => {
    await t.core.log.flush?.();
    return fs.readFileSync(path.join(t.dataDir, 'logs', 'berth.log'), 'utf8');
  };

  beforeAll(async () => {
    reg = await startRegistry({ auth: { user, password } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-img-auth-'));
    fs.mkdirSync(path.join(dir, 'config'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(
      path.join(dir, 'bin', 'docker-credential-berthtest'),
      ['#!/bin/sh', 'read -r server', `[ "$server" = "${reg.host}" ] || { echo "credentials not found in native keychain"; exit 1; }`, `printf '{"ServerURL":"%s","Username":"${user}","Secret":"${password}"}' "$server"`, ''].join('\n'),
      { mode: 0o755 },
    );
    process.env.DOCKER_CONFIG = path.join(dir, 'config');
    process.env.PATH = `${path.join(dir, 'bin')}:${saved.PATH ?? '/usr/bin:/bin'}`;
    writeConfig({});
    t = await createTestCore();
    ref = `${reg.host}/${uniq('berth-test/private')}:1`;
    await buildSmall(docker(), ref, [`RUN echo ${ref} > /private`]);
  });
  afterAll(async () => {
    await cleanup(docker(), { images: [ref] });
    await t?.dispose();
    await reg?.stop();
    process.env.DOCKER_CONFIG = saved.DOCKER_CONFIG;
    process.env.PATH = saved.PATH;
    if (saved.DOCKER_CONFIG === undefined) delete process.env.DOCKER_CONFIG;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('push without credentials: AUTH_REQUIRED, saying none were found', async () => {
    const e = await expectError(runToEnd(t.client, 'images.push', { ref }), 'AUTH_REQUIRED', `The registry asked for credentials to push image "${ref}".`);
    expect(e.details?.engineMessage).toBe('no basic auth credentials');
    expect(e.hint).toContain(`No credentials for ${reg.host} were found in the Docker config.`);
  });

  it('push with wrong credentials given once: AUTH_REQUIRED, saying they were refused', async () => {
    const e = await expectError(runToEnd(t.client, 'images.push', { ref, auth: { username: user, password: 'wrong' } }), 'AUTH_REQUIRED');
    expect(e.details?.engineMessage).toBe('unauthorized: authentication required');
    expect(e.hint).toContain('The credentials given were refused.');
  });

  it('push with the right credentials given once works, and the password is never logged', async () => {
    const items = await runToEnd(t.client, 'images.push', { ref, auth: { username: user, password } });
    expect(items.at(-1)).toMatchObject({ done: true, ref, digest: expect.stringMatching(/^sha256:/) });
    expect(await logText()).toContain(`Using registry credentials for ${reg.host} given with the request`);
    expect(await logText()).not.toContain(password);
  });

  it('pull without credentials: AUTH_REQUIRED', async () => {
    await docker().getImage(ref).remove();
    const e = await expectError(runToEnd(t.client, 'images.pull', { ref }), 'AUTH_REQUIRED', `The registry asked for credentials to pull image "${ref}".`);
    expect(e.details?.engineMessage).toMatch(/no basic auth credentials$/);
    await expectError(t.client.call('images.inspect', { ref }), 'IMAGE_NOT_FOUND');
  });

  it('pull with wrong credentials from the Docker config: AUTH_REQUIRED naming the config', async () => {
    writeConfig({ auths: { [`http://${reg.host}`]: { auth: Buffer.from(`${user}:nope`).toString('base64') } } });
    const e = await expectError(runToEnd(t.client, 'images.pull', { ref }), 'AUTH_REQUIRED');
    expect(e.details?.engineMessage).toBe('unauthorized: authentication required');
    expect(e.hint).toContain('The credentials from the Docker config were refused.');
  });

  it('pull with credentials from the Docker config (auths) works', async () => {
    writeConfig({ auths: { [reg.host]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } });
    const items = await runToEnd(t.client, 'images.pull', { ref });
    expect(items.at(-1)).toMatchObject({ done: true, ref });
    expect(await logText()).toContain(`Using registry credentials for ${reg.host} from ${path.join(dir, 'config', 'config.json')}`);
    expect(await logText()).not.toContain(password);
  });

  it('pull and push with credentials from a credential helper (credHelpers) work', async () => {
    writeConfig({ auths: {}, credHelpers: { [reg.host]: 'berthtest' } });
    await docker().getImage(ref).remove();
    const pulled = await runToEnd(t.client, 'images.pull', { ref });
    expect(pulled.at(-1)).toMatchObject({ done: true, ref });
    const target = `${reg.host}/${uniq('berth-test/helper')}:2`;
    await t.client.call('images.tag', { source: ref, target });
    try {
      const pushed = await runToEnd(t.client, 'images.push', { ref: target });
      expect(pushed.at(-1)).toMatchObject({ done: true, ref: target });
    } finally {
      await docker().getImage(target).remove();
    }
    const log = await logText();
    expect(log).toContain('> docker-credential-berthtest get');
    expect(log).toContain(`Using registry credentials for ${reg.host} from docker-credential-berthtest`);
    expect(log).not.toContain(password);
  });

  it('a credsStore helper that is missing: AUTH_REQUIRED explaining why', async () => {
    writeConfig({ credsStore: 'not-installed' });
    await docker().getImage(ref).remove();
    const e = await expectError(runToEnd(t.client, 'images.pull', { ref }), 'AUTH_REQUIRED');
    expect(e.hint).toContain('The program "docker-credential-not-installed" was not found.');
  });
});
