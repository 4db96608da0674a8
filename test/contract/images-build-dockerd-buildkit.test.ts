import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tarStream from 'tar-stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BuildItem } from '../../app/contract/images';
import type { BuildGraph } from '../../app/contract/images-build';
import { busyboxContext } from '../support/images';
import { createTestCore, describeEngine, rawDocker, TEST_LABEL, useEngine, type TestCore } from '../support/engine';
import { waitFor } from '../support/proc';
import { cleanup, expectError, runToEnd, sleep, subscribe, uniq } from './images-support';

const graphs = (items: BuildItem[]): BuildGraph[] => items.flatMap((i) => (i.kind === 'graph' ? [i.graph] : []));
const logOf = (items: BuildItem[]) => items.flatMap((i) => (i.kind === 'log' ? [i.text] : [])).join('\n');
const stepState = (g: BuildGraph | undefined, prefix: string) => g?.steps.find((s) => s.name.startsWith(prefix))?.state;
/** Host processes whose command line contains `text` (dockerd's BuildKit runs RUN steps with runc on this host). */
const processesWith = (text: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(text) && !l.includes('ps -eo'));

/** The paths under `dir` in an image (a container is created, never started, and its folder read as a tar). */
async function filesIn(image: string, dir: string): Promise<string[]> {
  const c = await rawDocker().createContainer({ Image: image, Cmd: ['/none'], Labels: { [TEST_LABEL]: '1' } });
  try {
    const archive = await c.getArchive({ path: dir });
    const names: string[] = [];
    const extract = tarStream.extract();
    extract.on('entry', (h, body, next) => {
      if (h.type === 'file') names.push(h.name);
      body.on('end', next);
      body.resume();
    });
    await new Promise((resolve, reject) => {
      extract.on('finish', resolve);
      extract.on('error', reject);
      archive.pipe(extract);
    });
    return names.sort();
  } finally {
    await c.remove({ force: true });
  }
}

/** Bytes BuildKit reported for `transferring context:` (the folder synced from the session) in a build's last graph. */
const contextBytes = (g: BuildGraph | undefined) => {
  const status = g?.steps.find((s) => s.name === '[internal] load build context')?.status ?? '';
  const m = /^transferring context: (\d+)/.exec(status);
  return m ? Number(m[1]) : null;
};

/**
 * A proxy in front of the test engine on a unix socket: requests pass through (`onRequest` sees each one), sessions
 * (Upgrade requests: Node hands those to 'upgrade') are tunnelled. `onUpgrade` may refuse one with a 403, as Docker socket
 * proxies do by default, or hold it until a promise settles. `tunnels()` counts the sessions open through it.
 */
async function engineProxy(sock: string, hooks: { onRequest?(req: http.IncomingMessage): void; onUpgrade?(req: http.IncomingMessage): 'refuse' | Promise<void> | void } = {}) {
  const engineSocket = useEngine().dockerHost.replace(/^unix:\/\//, '');
  let open = 0;
  const proxy = http.createServer((req, res) => {
    hooks.onRequest?.(req);
    const up = http.request({ socketPath: engineSocket, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  proxy.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const verdict = hooks.onUpgrade?.(req);
    if (verdict === 'refuse') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nforbidden');
      return;
    }
    open++;
    let closed = false;
    let up: net.Socket | null = null;
    const close = () => {
      if (closed) return;
      closed = true;
      open--;
      socket.destroy();
      up?.destroy();
    };
    socket.on('close', close);
    socket.on('error', close);
    void Promise.resolve(verdict).then(() => {
      if (closed) return;
      up = net.connect(engineSocket, () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        up?.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length) up?.write(head);
        if (up) socket.pipe(up).pipe(socket);
      });
      up.on('close', close);
      up.on('error', close);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(sock, resolve));
  return { tunnels: () => open, close: () => new Promise((resolve) => proxy.close(resolve)) };
}

// NONCE (a default per run) keeps the first build cold: BuildKit's cache is content-addressed across folders, and
// other suites on this dockerd build the same busybox base.
const TWO_STAGE = `FROM scratch AS base
COPY busybox /bin/busybox
ARG NONCE=${crypto.randomUUID()}
RUN ["/bin/busybox", "--install", "-s", "/bin"]

FROM base AS deps
ARG GREETING
RUN echo "deps say $GREETING" && echo dep > /dep

FROM base AS final
COPY --from=deps /dep /dep
COPY app.txt /app.txt
RUN cat /app.txt

FROM final AS unused
RUN echo this-stage-is-not-built
`;

/**
 * images.build on dockerd through dockerd's own BuildKit (POST /build?version=2, no BuildKit daemon configured):
 * the step graph from its protobuf trace, the cache on a rebuild, typed failures with the step's log, cancel.
 * Podman builds with Buildah (classic route, images-build.test.ts), so this suite is not in the podman project.
 */
describeEngine("images: build on dockerd's own BuildKit", () => {
  let t: TestCore;
  let dir: string;
  const repo = uniq('berth-test/ebk');
  const made: string[] = [];

  const context = (name: string, files: Record<string, string | Buffer>) => {
    const root = path.join(dir, name);
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
    for (const [rel, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    }
    return root;
  };

  beforeAll(async () => {
    const env = { ...process.env };
    delete env.BUILDKIT_HOST;
    delete env.DOCKER_BUILDKIT;
    t = await createTestCore(undefined, env);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ebk-'));
  });
  afterAll(async () => {
    await cleanup(rawDocker(), { images: made });
    await t?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the engine says it has its own BuildKit and no BuildKit daemon', async () => {
    const engines = await t.client.call('engines.list', {});
    expect(engines.find((e) => e.kind === 'docker-api')?.capabilities.buildkit).toEqual({ engine: true, daemon: false });
  });

  it('a two-stage build streams the step graph, the image lands in dockerd with its tags, labels and args; a rebuild reuses the unchanged steps', async () => {
    const root = context('two', {
      'docker/Dockerfile.app': TWO_STAGE,
      'app.txt': 'v1\n',
      '.dockerignore': 'secret.txt\n',
      'secret.txt': 'not sent',
    });
    const input = {
      contextDir: root,
      dockerfile: 'docker/Dockerfile.app',
      tags: [`${repo}:two`, repo],
      buildArgs: { GREETING: 'hello' },
      target: 'final',
      labels: { [TEST_LABEL]: '1', 'berth.purpose': 'ebk' },
    };
    made.push(`${repo}:two`, `${repo}:latest`);
    const items = await runToEnd(t.client, 'images.build', input);
    expect(items[0]).toEqual({ kind: 'builder', builder: 'buildkit', via: 'engine', reason: "dockerd's own, straight into its image store" });
    const done = items.at(-1);
    expect(done).toEqual({ kind: 'done', id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), tags: [`${repo}:two`, `${repo}:latest`], builder: 'buildkit' });
    const g = graphs(items).at(-1);
    expect(g?.stages.map((s) => [s.name, s.state])).toEqual([
      ['base', 'done'],
      ['deps', 'done'],
      ['final', 'done'],
      ['internal', 'done'],
    ]);
    expect(g?.steps.find((s) => s.stage === 'deps')?.logs).toEqual(['deps say hello']);
    expect(g?.steps.find((s) => s.instruction === 'RUN cat /app.txt')?.durationMs).toBeGreaterThan(0);
    expect(items).toContainEqual({ kind: 'step', index: 3, total: 3, instruction: 'RUN cat /app.txt' });
    expect(logOf(items)).not.toContain('this-stage-is-not-built');
    const img = await t.client.call('images.inspect', { ref: `${repo}:two` });
    expect(img.id).toBe(done?.kind === 'done' ? done.id : '');
    expect(img.repoTags.sort()).toEqual([`${repo}:latest`, `${repo}:two`]);
    expect(img.config.labels).toMatchObject({ [TEST_LABEL]: '1', 'berth.purpose': 'ebk' });

    fs.writeFileSync(path.join(root, 'app.txt'), 'v2\n');
    const again = await runToEnd(t.client, 'images.build', input);
    const g2 = graphs(again).at(-1);
    expect(stepState(g2, '[base 1/2]')).toBe('cached');
    expect(stepState(g2, '[base 2/2]')).toBe('cached');
    expect(stepState(g2, '[deps 1/1]')).toBe('cached');
    expect(stepState(g2, '[final 2/3] COPY app.txt')).toBe('done');
    expect(g2?.steps.find((s) => s.instruction === 'RUN cat /app.txt')?.logs).toEqual(['v2']);
    expect(g2?.cachedCount).toBe(4);
    expect(logOf(again)).toContain('CACHED [deps 1/1]');

    const fresh = await runToEnd(t.client, 'images.build', { ...input, noCache: true });
    expect(graphs(fresh).at(-1)?.cachedCount).toBe(0);
  });

  it('the folder goes up through a BuildKit session: .dockerignore is honoured, and a rebuild sends only the changed file', async () => {
    const root = context('session', {
      Dockerfile: 'FROM scratch\nCOPY . /ctx/\n',
      'keep.txt': 'v1\n',
      'big.bin': crypto.randomBytes(3 << 20),
      '.dockerignore': 'ignored.txt\nlogs/\n!logs/keep.log\n',
      'ignored.txt': 'never sent',
      'logs/drop.log': 'never sent',
      'logs/keep.log': 'sent',
      'sub/a.txt': 'a',
    });
    const tag = `${repo}:session`;
    made.push(tag);
    const first = await runToEnd(t.client, 'images.build', { contextDir: root, tags: [tag] });
    const g1 = graphs(first).at(-1);
    // BuildKit read the folder from the session (not "load remote build context" + "copy /context /" of a tar body).
    expect(g1?.steps.map((s) => s.name)).not.toContain('copy /context /');
    expect(contextBytes(g1)).toBeGreaterThan(3 << 20);
    expect(await filesIn(tag, '/ctx')).toEqual(['ctx/.dockerignore', 'ctx/Dockerfile', 'ctx/big.bin', 'ctx/busybox', 'ctx/keep.txt', 'ctx/logs/keep.log', 'ctx/sub/a.txt']);

    fs.writeFileSync(path.join(root, 'keep.txt'), 'v2, changed\n');
    const again = await runToEnd(t.client, 'images.build', { contextDir: root, tags: [tag] });
    const sent = contextBytes(graphs(again).at(-1));
    // Only keep.txt's content goes up again (BuildKit kept its copy of the rest), plus the file list.
    expect(sent).not.toBeNull();
    expect(sent).toBeLessThan(64 << 10);
    const c = await rawDocker().createContainer({ Image: tag, Cmd: ['/none'], Labels: { [TEST_LABEL]: '1' } });
    try {
      const archive = await c.getArchive({ path: '/ctx/keep.txt' });
      const extract = tarStream.extract();
      let text = '';
      extract.on('entry', (_h, body, next) => {
        body.on('data', (d: Buffer) => (text += d.toString()));
        body.on('end', next);
      });
      await new Promise((resolve, reject) => {
        extract.on('finish', resolve);
        extract.on('error', reject);
        archive.pipe(extract);
      });
      expect(text).toBe('v2, changed\n');
    } finally {
      await c.remove({ force: true });
    }

    // BuildKit asks only for what the Dockerfile copies; a copied symlink brings its target along.
    fs.symlinkSync('sub/a.txt', path.join(root, 'alias.txt'));
    fs.writeFileSync(path.join(root, 'Dockerfile.link'), 'FROM scratch\nCOPY alias.txt /alias.txt\n');
    made.push(`${repo}:link`);
    await runToEnd(t.client, 'images.build', { contextDir: root, dockerfile: 'Dockerfile.link', tags: [`${repo}:link`] });
    expect(await filesIn(`${repo}:link`, '/alias.txt')).toEqual(['alias.txt']);
  });

  it('an engine socket that refuses sessions (as Docker socket proxies do by default): the folder goes up as a tar body', async () => {
    const proxyPath = path.join(dir, 'refuses-sessions.sock');
    const refused: string[] = [];
    const proxy = await engineProxy(proxyPath, {
      onUpgrade: (req) => {
        refused.push(`${req.method} ${req.url}`);
        return 'refuse';
      },
    });
    const viaProxy = await createTestCore(`unix://${proxyPath}`, { ...process.env, BUILDKIT_HOST: '', DOCKER_BUILDKIT: '' });
    try {
      const root = context('no-session', { Dockerfile: 'FROM scratch\nCOPY . /ctx/\n', 'keep.txt': 'kept', '.dockerignore': 'ignored.txt\n', 'ignored.txt': 'never sent' });
      const tag = `${repo}:no-session`;
      made.push(tag);
      const items = await runToEnd(viaProxy.client, 'images.build', { contextDir: root, tags: [tag] });
      expect(refused).toEqual([expect.stringMatching(/^POST \/(v[\d.]+\/)?session$/)]);
      expect(items[0]).toMatchObject({ kind: 'builder', builder: 'buildkit', via: 'engine' });
      expect(graphs(items).at(-1)?.steps.map((s) => s.name)).toContain('copy /context /');
      expect(await filesIn(tag, '/ctx')).toEqual(['ctx/.dockerignore', 'ctx/Dockerfile', 'ctx/busybox', 'ctx/keep.txt']);
    } finally {
      await viaProxy.dispose();
      await proxy.close();
    }
  });

  it('the folder and the Dockerfile are checked before anything reaches the engine: bad input is INVALID_INPUT, no session, no build', async () => {
    // A proxy to the engine that passes everything (sessions too, as a tunnel) and records what went through.
    const proxyPath = path.join(dir, 'records.sock');
    const requests: string[] = [];
    const record = (req: http.IncomingMessage) => void requests.push(`${req.method} ${req.url}`);
    const proxy = await engineProxy(proxyPath, { onRequest: record, onUpgrade: record });
    const viaProxy = await createTestCore(`unix://${proxyPath}`, { ...process.env, BUILDKIT_HOST: '', DOCKER_BUILDKIT: '' });
    try {
      const root = context('checked', { Dockerfile: 'FROM scratch\nCOPY busybox /bin/busybox\n', 'file.txt': 'not a folder' });
      const bad: Array<[{ contextDir: string; dockerfile?: string }, string | RegExp]> = [
        [{ contextDir: 'relative/dir' }, 'The build folder must be an absolute path ("relative/dir" is not).'],
        [{ contextDir: path.join(root, 'nope') }, `The build folder ${path.join(root, 'nope')} does not exist.`],
        [{ contextDir: path.join(root, 'file.txt') }, `${path.join(root, 'file.txt')} is not a folder.`],
        [{ contextDir: root, dockerfile: 'Missing.df' }, `There is no Dockerfile at ${path.join(root, 'Missing.df')}.`],
        [{ contextDir: root, dockerfile: '../Dockerfile' }, /must be inside the build folder/],
      ];
      for (const [input, message] of bad) {
        const sub = subscribe(viaProxy.client, 'images.build', { tags: [`${repo}:checked`], ...input });
        await sub.settled;
        expect(sub.error?.code).toBe('INVALID_INPUT');
        expect(sub.error?.message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
        // Nothing was announced: the build never started.
        expect(sub.items).toEqual([]);
      }
      expect(requests.filter((r) => /\/(build|session)\b/.test(r))).toEqual([]);
      expect(proxy.tunnels()).toBe(0);
      // The same core still builds through the proxy (the session is served), after all that.
      const items = await runToEnd(viaProxy.client, 'images.build', { contextDir: root, tags: [`${repo}:checked`] });
      made.push(`${repo}:checked`);
      expect(items.at(-1)).toMatchObject({ kind: 'done', builder: 'buildkit' });
      expect(graphs(items).at(-1)?.steps.map((s) => s.name)).not.toContain('copy /context /');
    } finally {
      await viaProxy.dispose();
      await proxy.close();
    }
  });

  it('POST /build goes while POST /session is being answered, as the Docker CLI sends them: the build still reads the folder from the session', async () => {
    // A proxy that opens each session only once a build request naming it has come through (5 s at most: then it is late).
    const proxyPath = path.join(dir, 'holds-sessions.sock');
    const named = new Set<string>();
    const release = new Map<string, () => void>();
    const outcome = { beforeAnswer: 0, late: 0 };
    const proxy = await engineProxy(proxyPath, {
      onRequest: (req) => {
        const id = new URL(req.url ?? '', 'http://engine').searchParams.get('session');
        if (!id) return;
        named.add(id);
        release.get(id)?.();
      },
      onUpgrade: (req) => {
        const id = String(req.headers['x-docker-expose-session-uuid']);
        if (named.has(id)) {
          outcome.beforeAnswer++;
          return;
        }
        return new Promise<void>((resolve) => {
          const late = setTimeout(() => {
            outcome.late++;
            resolve();
          }, 5000);
          release.set(id, () => {
            clearTimeout(late);
            outcome.beforeAnswer++;
            resolve();
          });
        });
      },
    });
    const viaProxy = await createTestCore(`unix://${proxyPath}`, { ...process.env, BUILDKIT_HOST: '', DOCKER_BUILDKIT: '' });
    try {
      const root = context('pipelined', { Dockerfile: 'FROM scratch\nCOPY busybox /bin/busybox\nCOPY app.txt /app.txt\n', 'app.txt': crypto.randomUUID() });
      const tag = `${repo}:pipelined`;
      made.push(tag);
      const items = await runToEnd(viaProxy.client, 'images.build', { contextDir: root, tags: [tag] });
      expect(items.at(-1)).toMatchObject({ kind: 'done', builder: 'buildkit' });
      expect(outcome).toEqual({ beforeAnswer: 1, late: 0 });
      // The folder came from the session, not as a tar body.
      expect(graphs(items).at(-1)?.steps.map((s) => s.name)).not.toContain('copy /context /');
      expect(await filesIn(tag, '/app.txt')).toEqual(['app.txt']);
    } finally {
      await viaProxy.dispose();
      await proxy.close();
    }
  });

  it('a cancel as soon as the build is announced (session opening, build request in flight) leaves no session, no build and no image', async () => {
    const proxyPath = path.join(dir, 'early-cancel.sock');
    const proxy = await engineProxy(proxyPath);
    const viaProxy = await createTestCore(`unix://${proxyPath}`, { ...process.env, BUILDKIT_HOST: '', DOCKER_BUILDKIT: '' });
    try {
      // A step that cannot finish by itself: an image could only come from a build the cancel did not stop.
      const secs = 900 + Math.floor(Math.random() * 99);
      const root = context('early-cancel', { Dockerfile: `FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nRUN sleep ${secs}\n` });
      const tag = `${repo}:early-cancel`;
      const sub = subscribe(viaProxy.client, 'images.build', { contextDir: root, tags: [tag], noCache: true });
      await sub.until((items) => items.some((i) => i.kind === 'builder'));
      sub.cancel();
      await waitFor('the session to be closed', async () => proxy.tunnels() === 0, 15_000, 20);
      await waitFor('the build to stop', async () => viaProxy.core.rpc.activeSubscriptions() === 0 && processesWith(`sleep ${secs}`).length === 0, 30_000, 50);
      await expectError(t.client.call('images.inspect', { ref: tag }), 'IMAGE_NOT_FOUND');
    } finally {
      await viaProxy.dispose();
      await proxy.close();
    }
  });

  it('a failing RUN: COMMAND_FAILED naming the step, with its log; no image is tagged', async () => {
    const root = context('fails', { Dockerfile: 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nRUN echo out-before; echo err-line >&2; exit 3\n' });
    const sub = subscribe(t.client, 'images.build', { contextDir: root, tags: [`${repo}:fails`] });
    await sub.settled;
    expect(sub.error?.code).toBe('COMMAND_FAILED');
    expect(sub.error?.message).toMatch(/^The build failed at \[3\/3\] RUN echo out-before; echo err-line >&2; exit 3 \(Dockerfile line 4\): .*exit code: 3/);
    expect(sub.error?.details).toMatchObject({ step: '[3/3] RUN echo out-before; echo err-line >&2; exit 3', line: 4 });
    // stdout and stderr come as separate streams: either order.
    expect(String(sub.error?.details?.log).split('\n').sort()).toEqual(['err-line', 'out-before']);
    // The graph's failure opens on the step with its Dockerfile line and excerpt, as on the buildctl route.
    const g = graphs(sub.items).at(-1);
    expect(g?.failure).toMatchObject({ stepId: g?.steps.find((s) => s.state === 'failed')?.id, line: 4, file: 'Dockerfile' });
    expect(g?.failure?.excerpt).toContain('   4 | >>> RUN echo out-before; echo err-line >&2; exit 3');
    await expectError(t.client.call('images.inspect', { ref: `${repo}:fails` }), 'IMAGE_NOT_FOUND');
  });

  it('a Dockerfile BuildKit cannot read, or a missing target stage: INVALID_INPUT with its message', async () => {
    const root = context('parse', { Dockerfile: 'FROM scratch\nFOO bar\n' });
    await expectError(runToEnd(t.client, 'images.build', { contextDir: root }), 'INVALID_INPUT', /unknown instruction: FOO/i);
    const ok = context('target', { Dockerfile: 'FROM scratch AS one\nCOPY busybox /bin/busybox\n' });
    await expectError(runToEnd(t.client, 'images.build', { contextDir: ok, target: 'nope' }), 'INVALID_INPUT', /target stage nope could not be found/);
  });

  it('options that need a BuildKit daemon are refused, naming them and BUILDKIT_HOST, when none is configured', async () => {
    const root = context('needs', { Dockerfile: 'FROM scratch\nCOPY busybox /bin/busybox\n' });
    const err = await expectError(runToEnd(t.client, 'images.build', { contextDir: root, secrets: [{ id: 'x', env: 'HOME' }] }), 'NOT_SUPPORTED', /own BuildKit cannot take secrets/);
    expect(err.hint).toMatch(/BUILDKIT_HOST/);
  });

  it('cancel stops the build in dockerd: the RUN process goes away and no image is tagged', async () => {
    const secs = 900 + Math.floor(Math.random() * 99);
    const root = context('cancel', { Dockerfile: `FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nRUN echo started-${secs}; sleep ${secs}\n` });
    const sub = subscribe(t.client, 'images.build', { contextDir: root, tags: [`${repo}:cancel`], noCache: true });
    // The step's own output line (its name, announced first, holds the same text).
    await sub.until((items) => items.some((i) => i.kind === 'log' && i.text === `started-${secs}`));
    const sleeping = () => processesWith(`sleep ${secs}`);
    expect(sleeping().length).toBeGreaterThan(0);
    sub.cancel();
    const t0 = Date.now();
    while (sleeping().length && Date.now() - t0 < 30_000) await sleep(100);
    expect(sleeping()).toEqual([]);
    await sleep(200);
    expect(t.core.rpc.activeSubscriptions()).toBe(0);
    await expectError(t.client.call('images.inspect', { ref: `${repo}:cancel` }), 'IMAGE_NOT_FOUND');
  });

  it('DOCKER_BUILDKIT=0 asks for the classic builder, and the build says so', async () => {
    const classic = await createTestCore(undefined, { ...process.env, DOCKER_BUILDKIT: '0', BUILDKIT_HOST: '' });
    try {
      const engines = await classic.client.call('engines.list', {});
      expect(engines.find((e) => e.kind === 'docker-api')?.capabilities.buildkit).toEqual({ engine: false, daemon: false });
      const root = context('classic', { Dockerfile: 'FROM scratch\nCOPY busybox /bin/busybox\n' });
      made.push(`${repo}:classic`);
      const items = await runToEnd(classic.client, 'images.build', { contextDir: root, tags: [`${repo}:classic`] });
      expect(items[0]).toEqual({ kind: 'builder', builder: 'classic', reason: 'DOCKER_BUILDKIT=0 asks for the classic builder' });
      expect(items.at(-1)).toMatchObject({ kind: 'done', builder: 'classic' });
    } finally {
      await classic.dispose();
    }
  });
});
