import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRegistry, type Registry } from '../support/registry';
import { createTestCore, describeEngine, testNerdctl, type TestCore } from '../support/engine';
import { imagesEngine, type ImagesEngine } from '../contract/images-engine';
import { expectError, runToEnd, uniq } from '../contract/images-support';

/**
 * Registry credentials on nerdctl (the Docker-API projects run images-auth.test.ts). nerdctl has no
 * credential flags: credentials given with a request go into a private Docker config made for that one
 * command; without them nerdctl reads the user's Docker config ($DOCKER_CONFIG, here a temp folder).
 */
describeEngine('nerdctl: registries that need credentials', () => {
  const user = 'berth';
  const password = `pw-${Math.random().toString(36).slice(2, 10)}`;
  let t: TestCore;
  let reg: Registry;
  let eng: ImagesEngine;
  let dir: string;
  let ref: string;
  const saved = process.env.DOCKER_CONFIG;
  const writeConfig = (cfg: unknown) => fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(cfg));
  const leftovers = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('berth-registry-auth-')).length;
  const logText = async () => {
    await t.core.log.flush?.();
    return fs.readFileSync(path.join(t.dataDir, 'logs', 'berth.log'), 'utf8');
  };

  beforeAll(async () => {
    if (!testNerdctl()) throw new Error('this suite runs in the nerdctl project only');
    reg = await startRegistry({ auth: { user, password } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-nerdctl-auth-'));
    process.env.DOCKER_CONFIG = dir;
    writeConfig({});
    t = await createTestCore();
    eng = imagesEngine();
    ref = `${reg.host}/${uniq('berth-test/private')}:1`;
    await eng.buildSmall(ref, [`RUN echo ${ref} > /private`]);
  });
  afterAll(async () => {
    await eng?.cleanup({ images: [ref] });
    await t?.dispose();
    await reg?.stop();
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('push without credentials: AUTH_REQUIRED', async () => {
    const e = await expectError(runToEnd(t.client, 'images.push', { ref }), 'AUTH_REQUIRED', `The registry asked for credentials to push the image "${ref}".`);
    expect(String(e.details?.stderr)).toMatch(/no basic auth credentials/);
  });

  it('push with wrong credentials given once: AUTH_REQUIRED, saying they were refused; nothing is left on disk', async () => {
    const before = leftovers();
    const e = await expectError(runToEnd(t.client, 'images.push', { ref, auth: { username: user, password: 'wrong' } }), 'AUTH_REQUIRED');
    expect(e.hint).toBe(`The credentials given were refused by ${reg.host}.`);
    expect(leftovers()).toBe(before);
  });

  it('push and pull with the right credentials given once work; the password is never logged nor kept', async () => {
    const before = leftovers();
    const pushed = await runToEnd(t.client, 'images.push', { ref, auth: { username: user, password } });
    expect(pushed.at(-1)).toMatchObject({ done: true, ref, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    await eng.removeImage(ref);
    await expectError(runToEnd(t.client, 'images.pull', { ref }), 'AUTH_REQUIRED', `The registry asked for credentials to pull the image "${ref}".`);
    const pulled = await runToEnd(t.client, 'images.pull', { ref, auth: { username: user, password } });
    expect(pulled.at(-1)).toMatchObject({ done: true, ref });
    expect(await eng.imageId(ref)).toMatch(/^sha256:/);
    expect(await logText()).toContain(`Using registry credentials for ${reg.host} given with the request`);
    expect(await logText()).not.toContain(password);
    expect(leftovers()).toBe(before);
    // The user's own Docker config was not written.
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual({});
  });

  it('pull with credentials from the Docker config works (nerdctl reads it itself)', async () => {
    await eng.removeImage(ref);
    writeConfig({ auths: { [reg.host]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } });
    const pulled = await runToEnd(t.client, 'images.pull', { ref });
    expect(pulled.at(-1)).toMatchObject({ done: true, ref });
  });
});
