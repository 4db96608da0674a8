import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, rawDocker, randomSuffix, type TestCore } from '../support/engine';
import { busyboxContext } from '../support/images';
import { describePeer, useContainerd } from '../support/peers';
import { expectError, runToEnd } from '../contract/images-support';

const SECRET = `berth-dockerd-secret-${randomSuffix()}`;
const DOCKERFILE = `FROM scratch AS base
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]

FROM base AS deps
RUN --mount=type=cache,target=/cache,id=berth-docker-bk echo x >> /cache/runs && wc -l < /cache/runs > /runs

FROM base
COPY --from=deps /runs /runs
COPY app.txt /app.txt
RUN --mount=type=secret,id=token wc -c < /run/secrets/token > /tokenlen
LABEL berth.test=1
`;

/**
 * images.build on the private dockerd through the API, with a BuildKit daemon configured (BUILDKIT_HOST: the
 * private buildkitd of the containerd peer): buildctl exports a docker archive that is loaded into dockerd.
 */
describePeer('containerd', 'images.build on dockerd through BuildKit (through the API)', () => {
  let t: TestCore;
  let ctx: string;
  const repo = `berth-test/dbk-${randomSuffix()}`;

  beforeAll(async () => {
    const c = useContainerd();
    t = await createTestCore(undefined, { ...process.env, BUILDKIT_HOST: c.buildkitAddress, BERTH_BUILDCTL: c.buildctl });
    ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dbk-'));
    fs.writeFileSync(path.join(ctx, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), DOCKERFILE);
    fs.writeFileSync(path.join(ctx, 'app.txt'), 'v1\n');
    fs.writeFileSync(path.join(ctx, 'token'), SECRET);
  });
  afterAll(async () => {
    await rawDocker().getImage(`${repo}:1`).remove({ force: true }).catch(() => undefined);
    if (ctx) fs.rmSync(ctx, { recursive: true, force: true });
    await t?.dispose();
  });

  it('builds with BuildKit, streams the graph, loads the image into dockerd, keeps the secret out; a rebuild reuses steps', async () => {
    const input = { contextDir: ctx, tags: [`${repo}:1`], secrets: [{ id: 'token', src: path.join(ctx, 'token') }] };
    const items = await runToEnd(t.client, 'images.build', input);
    // Secrets need a session, which dockerd's own BuildKit is not given: the BuildKit daemon builds, and the item says why.
    expect(items[0]).toEqual({ kind: 'builder', builder: 'buildkit', via: 'daemon', reason: expect.stringMatching(/^secrets need a BuildKit daemon/) });
    const done = items.at(-1);
    expect(done).toMatchObject({ kind: 'done', builder: 'buildkit', tags: [`${repo}:1`], id: expect.stringMatching(/^sha256:/) });
    const graphs = items.flatMap((i) => (i.kind === 'graph' ? [i.graph] : []));
    expect(graphs.length).toBeGreaterThan(0);
    expect(graphs.at(-1)?.stages.map((s) => s.name)).toEqual(expect.arrayContaining(['base', 'deps', 'stage-2']));
    expect(JSON.stringify(items)).not.toContain(SECRET);
    const img = await t.client.call('images.inspect', { ref: `${repo}:1` });
    expect(done && done.kind === 'done' ? done.id : '').toBe(img.id);
    const history = await t.client.call('images.history', { ref: `${repo}:1` });
    expect(JSON.stringify(img) + JSON.stringify(history)).not.toContain(SECRET);

    fs.writeFileSync(path.join(ctx, 'app.txt'), `v2 ${Date.now()}\n`);
    const again = await runToEnd(t.client, 'images.build', input);
    const g = again.flatMap((i) => (i.kind === 'graph' ? [i.graph] : [])).at(-1);
    expect(g?.steps.find((s) => s.name.startsWith('[base 1/2]'))?.state).toBe('cached');
    expect(g?.steps.find((s) => s.name.startsWith('[deps 1/1]'))?.state).toBe('cached');
    expect(g?.steps.find((s) => s.name.includes('COPY app.txt'))?.state).toBe('done');
  });

  it('refuses a multi-platform build for dockerd, saying why', async () => {
    await expectError(runToEnd(t.client, 'images.build', { contextDir: ctx, platforms: ['linux/amd64', 'linux/arm64'] }), 'NOT_SUPPORTED', /one platform per image/);
  });
});

/** With DOCKER_BUILDKIT=0 the dockerd engine uses the classic builder even with a BuildKit daemon configured, and says so. */
describePeer('containerd', 'images.build on dockerd without BuildKit: the classic fallback', () => {
  let t: TestCore;
  beforeAll(async () => {
    const env = { ...process.env, BUILDKIT_HOST: useContainerd().buildkitAddress, DOCKER_BUILDKIT: '0' };
    t = await createTestCore(undefined, env);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('names the classic builder and why; BuildKit-only options are refused, not ignored', async () => {
    const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dclassic-'));
    const tag = `berth-test/classic-${randomSuffix()}:1`;
    try {
      fs.writeFileSync(path.join(ctx, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nLABEL berth.test=1\n');
      const items = await runToEnd(t.client, 'images.build', { contextDir: ctx, tags: [tag] });
      expect(items[0]).toEqual({ kind: 'builder', builder: 'classic', reason: 'DOCKER_BUILDKIT=0 asks for the classic builder' });
      expect(items.at(-1)).toMatchObject({ kind: 'done', builder: 'classic' });
      expect(items.some((i) => i.kind === 'graph')).toBe(false);
      await expectError(runToEnd(t.client, 'images.build', { contextDir: ctx, secrets: [{ id: 'x', env: 'HOME' }] }), 'NOT_SUPPORTED', /classic builder has no secrets/);
    } finally {
      fs.rmSync(ctx, { recursive: true, force: true });
      await rawDocker().getImage(tag).remove({ force: true }).catch(() => undefined);
    }
  });
});
