import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BuildItem } from '../../app/contract/images';
import { createTestCore, describeEngine, rawDocker, TEST_LABEL, useEngine, type TestCore } from '../support/engine';
import { cleanup, expectError, runToEnd, sleep, subscribe, uniq } from './images-support';

const logOf = (items: BuildItem[]) => items.flatMap((i) => (i.kind === 'log' ? [i.text] : [])).join('');
const stepsOf = (items: BuildItem[]) => items.flatMap((i) => (i.kind === 'step' ? [`${i.index}/${i.total} ${i.instruction}`] : []));

describeEngine('images: build from a folder', () => {
  let t: TestCore;
  let dir: string;
  const docker = () => rawDocker();
  const repo = uniq('berth-test/built');
  const made: string[] = [];

  /** Writes a context folder; `files` maps relative paths to contents. */
  const context = (name: string, files: Record<string, string>) => {
    const root = path.join(dir, name);
    for (const [rel, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    }
    return root;
  };

  beforeAll(async () => {
    // The classic builder (Docker's own switch): dockerd would build with its BuildKit otherwise
    // (images-build-dockerd-buildkit.test.ts); Podman builds with Buildah either way.
    t = await createTestCore(undefined, { ...process.env, DOCKER_BUILDKIT: '0' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-build-'));
  });
  afterAll(async () => {
    await cleanup(docker(), { images: made });
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds with a Dockerfile in a subfolder, build args, target, labels and tags; .dockerignore is honoured', async () => {
    const { busybox } = useEngine().images;
    const root = context('full', {
      'docker/Dockerfile.app': [
        `FROM ${busybox} AS base`,
        'ARG GREETING',
        'RUN echo "greeting=$GREETING"',
        'COPY . /ctx',
        'RUN find /ctx -type f | sort',
        'FROM base AS extra',
        'RUN echo this-stage-is-not-built',
      ].join('\n'),
      'docker/other.txt': 'excluded with its folder',
      '.dockerignore': ['# test', 'secret.txt', 'logs/', '**/*.tmp', '!keep.tmp', 'docker', 'Dockerfile*'].join('\n'),
      'app/main.sh': 'echo main',
      'app/deep/x.tmp': 'tmp',
      'keep.tmp': 'kept',
      'secret.txt': 'do not send',
      'logs/a.log': 'log',
    });
    const items = await runToEnd(t.client, 'images.build', {
      contextDir: root,
      dockerfile: 'docker/Dockerfile.app',
      tags: [`${repo}:full`, repo],
      buildArgs: { GREETING: 'hello' },
      target: 'base',
      labels: { [TEST_LABEL]: '1', 'berth.purpose': 'build-test' },
    });
    made.push(`${repo}:full`, `${repo}:latest`);
    const done = items.at(-1);
    expect(done).toEqual({ kind: 'done', id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), tags: [`${repo}:full`, `${repo}:latest`], builder: 'classic' });
    // The classic builder adds the labels as steps of its own.
    expect(stepsOf(items)).toEqual([
      `1/7 FROM ${busybox} AS base`,
      '2/7 ARG GREETING',
      '3/7 RUN echo "greeting=$GREETING"',
      '4/7 COPY . /ctx',
      '5/7 RUN find /ctx -type f | sort',
      '6/7 LABEL berth.purpose=build-test',
      `7/7 LABEL ${TEST_LABEL}=1`,
    ]);
    const log = logOf(items);
    expect(log).toContain('greeting=hello\n');
    expect(log).not.toContain('this-stage-is-not-built');
    const files = log.split('\n').filter((l) => l.startsWith('/ctx/'));
    // The Dockerfile is sent (the build found it) but, being excluded, COPY does not see it: dockerd
    // drops it after reading it, as with the Docker CLI.
    expect(files).toEqual(['/ctx/.dockerignore', '/ctx/app/main.sh', '/ctx/keep.tmp']);
    const img = await t.client.call('images.inspect', { ref: `${repo}:full` });
    expect(img.id).toBe(done && done.kind === 'done' ? done.id : '');
    expect(img.repoTags.sort()).toEqual([`${repo}:full`, `${repo}:latest`]);
    expect(img.config.labels).toMatchObject({ [TEST_LABEL]: '1', 'berth.purpose': 'build-test' });
  });

  it('uses the cache, unless noCache', async () => {
    const root = context('cache', { Dockerfile: `FROM ${useEngine().images.busybox}\nLABEL ${TEST_LABEL}=1\nRUN echo cached-${repo}\n` });
    made.push(`${repo}:cache`);
    await runToEnd(t.client, 'images.build', { contextDir: root, tags: [`${repo}:cache`] });
    const second = await runToEnd(t.client, 'images.build', { contextDir: root, tags: [`${repo}:cache`] });
    expect(logOf(second)).toContain(' ---> Using cache');
    const third = await runToEnd(t.client, 'images.build', { contextDir: root, tags: [`${repo}:cache`], noCache: true });
    expect(logOf(third)).not.toContain('Using cache');
    expect(logOf(third)).toContain(`cached-${repo}\n`);
  });

  it('a failing step: COMMAND_FAILED with the step, its message, exit code and output', async () => {
    const root = context('fails', { Dockerfile: `FROM ${useEngine().images.busybox}\nRUN echo before\nRUN echo out; echo err >&2; exit 3\n` });
    const sub = subscribe(t.client, 'images.build', { contextDir: root, tags: [`${repo}:fails`] });
    await sub.settled;
    expect(sub.error?.code).toBe('COMMAND_FAILED');
    expect(sub.error?.message).toBe("The build failed at step 3/3 (RUN echo out; echo err >&2; exit 3): The command '/bin/sh -c echo out; echo err >&2; exit 3' returned a non-zero code: 3");
    expect(sub.error?.details).toMatchObject({ exitCode: 3, step: { index: 3, total: 3 } });
    const tail = String(sub.error?.details?.outputTail).split('\n');
    expect(tail).toContain('out');
    expect(tail).toContain('err');
    expect(logOf(sub.items)).toContain('before\n');
    await expectError(t.client.call('images.inspect', { ref: `${repo}:fails` }), 'IMAGE_NOT_FOUND');
  });

  it('a Dockerfile the engine cannot parse: INVALID_INPUT with its message', async () => {
    const root = context('parse', { Dockerfile: `FROM ${useEngine().images.busybox}\nFOO bar\n` });
    await expectError(runToEnd(t.client, 'images.build', { contextDir: root, tags: [`${repo}:parse`] }), 'INVALID_INPUT', /dockerfile parse error line 2: unknown instruction: FOO/);
  });

  it('checks the folder and the Dockerfile before the engine: INVALID_INPUT', async () => {
    const root = context('checks', { Dockerfile: 'FROM scratch\n', 'file.txt': 'x' });
    await expectError(runToEnd(t.client, 'images.build', { contextDir: 'relative/dir' }), 'INVALID_INPUT', 'The build folder must be an absolute path ("relative/dir" is not).');
    await expectError(runToEnd(t.client, 'images.build', { contextDir: path.join(root, 'nope') }), 'INVALID_INPUT', `The build folder ${path.join(root, 'nope')} does not exist.`);
    await expectError(runToEnd(t.client, 'images.build', { contextDir: path.join(root, 'file.txt') }), 'INVALID_INPUT', `${path.join(root, 'file.txt')} is not a folder.`);
    await expectError(runToEnd(t.client, 'images.build', { contextDir: root, dockerfile: 'Missing.df' }), 'INVALID_INPUT', `There is no Dockerfile at ${path.join(root, 'Missing.df')}.`);
    await expectError(runToEnd(t.client, 'images.build', { contextDir: root, dockerfile: '../Dockerfile' }), 'INVALID_INPUT', /must be inside the build folder/);
    await expectError(runToEnd(t.client, 'images.build', { contextDir: root, tags: ['Bad:Tag:x'] }), 'INVALID_REFERENCE');
  });

  it('cancels a build: it stops, the step container goes away and no image is tagged', async () => {
    const root = context('cancel', { Dockerfile: `FROM ${useEngine().images.busybox}\nRUN echo started-${repo}; sleep 60\n` });
    const sub = subscribe(t.client, 'images.build', { contextDir: root, tags: [`${repo}:cancel`] });
    await sub.until((items) => logOf(items).includes(`started-${repo}`));
    const running = /Running in ([0-9a-f]{12})/.exec(logOf(sub.items))?.[1];
    expect(running).toBeTruthy();
    const t0 = Date.now();
    sub.cancel();
    let gone = false;
    while (!gone && Date.now() - t0 < 30_000) {
      gone = await docker()
        .getContainer(running as string)
        .inspect()
        .then(() => false)
        .catch((e: { statusCode?: number }) => e.statusCode === 404);
      if (!gone) await sleep(100);
    }
    expect(gone).toBe(true);
    await sleep(200);
    expect(t.core.rpc.activeSubscriptions()).toBe(0);
    await expectError(t.client.call('images.inspect', { ref: `${repo}:cancel` }), 'IMAGE_NOT_FOUND');
  });
});
