import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PruneResult } from '../../app/contract/images';
import { startDockerd, type Dockerd } from '../support/dockerd';
import { buildImage, createTestCore, describeEngine, TEST_LABEL, useEngine, type TestCore } from '../support/engine';
import { buildBusyboxOn, expectError, runToEnd, subscribe, uniq } from './images-support';

/** Push/pull helpers on a raw dockerode, to arrange state. */
async function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<Array<{ error?: string; aux?: { Digest?: string } }>> {
  return new Promise((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => (err ? reject(err) : resolve(out))));
}

const summary = (r: PruneResult) => ({ removed: r.removed.map((x) => x.id).sort(), untagged: [...r.untagged].sort(), spaceReclaimed: r.spaceReclaimed });

/**
 * Prune and disk-full run on a private dockerd of their own (prune would take other test files'
 * images; a full disk would break them). Its data-root is a 48 MB tmpfs: overlay2 works on tmpfs
 * (dockerd reports "Backing Filesystem: tmpfs").
 */
describeEngine('images: prune (dry run = real run) and a full disk, on a private engine', () => {
  let d: Dockerd;
  let docker: Docker;
  let t: TestCore;
  const containers: string[] = [];

  beforeAll(async () => {
    d = await startDockerd({ dataRootSizeMb: 48 });
    docker = new Docker({ socketPath: d.socketPath });
    await buildBusyboxOn(docker);
    t = await createTestCore(d.dockerHost);
  });
  afterAll(async () => {
    await t?.dispose();
    await d?.dispose();
  });

  const small = async (tag: string, lines: string[]) => {
    await buildImage(docker, tag, { Dockerfile: [`FROM ${useEngine().images.busybox}`, ...lines].join('\n') });
    return (await docker.getImage(tag).inspect()).Id;
  };
  const used = async (image: string) => {
    const c = await docker.createContainer({ Image: image, Cmd: ['true'], Labels: { [TEST_LABEL]: '1' } });
    containers.push(c.id);
  };

  it('prunes what the dry run said it would, dangling first, then all unused', async () => {
    const kept = await small('keep/a:1', ['RUN head -c 800000 /dev/urandom > /a']);
    await used('keep/a:1');
    const oldB = await small('x/b:1', ['RUN head -c 600000 /dev/urandom > /b']);
    await small('x/b:1', ['RUN head -c 500000 /dev/urandom > /b2']); // x/b:1 moves on: the first one dangles
    const c = await small('x/c:1', ['RUN head -c 400000 /dev/urandom > /c']);
    const dImg = await small('x/d:1', ['RUN echo d > /d']);
    await docker.getImage('x/d:1').tag({ repo: 'x/d', tag: '2' });
    await used('x/d:1');
    // An image known only by its digest (pulled by digest), which prune counts as dangling.
    const repo = `${useEngine().registry}/${uniq('berth-test/prune')}`;
    await small(`${repo}:1`, ['RUN head -c 300000 /dev/urandom > /e']);
    const pushed = await follow(docker, await docker.getImage(repo).push({ tag: '1' }));
    const digest = pushed.find((m) => m.aux?.Digest)?.aux?.Digest as string;
    await docker.getImage(`${repo}:1`).remove();
    await follow(docker, await docker.createImage({ fromImage: repo, tag: digest }));
    const eId = (await docker.getImage(`${repo}@${digest}`).inspect()).Id;

    const dry = await t.client.call('images.prune', { dryRun: true });
    expect(dry.dryRun).toBe(true);
    const dryIds = dry.removed.map((r) => r.id);
    expect(dryIds).toEqual(expect.arrayContaining([oldB, eId]));
    for (const id of [kept, c, dImg]) expect(dryIds).not.toContain(id);
    expect(dry.untagged).toEqual([`${repo}@${digest}`]);
    // The two layers written by RUN: 600000 bytes (old x/b) and 300000 (the digest-only image).
    expect(dry.spaceReclaimed).toBe(600_000 + 300_000);
    // A dry run changes nothing.
    expect((await docker.getImage(oldB).inspect()).Id).toBe(oldB);

    const real = await t.client.call('images.prune', {});
    expect(real.dryRun).toBe(false);
    expect(summary(real)).toEqual(summary(dry));
    await expectError(t.client.call('images.inspect', { ref: oldB }), 'IMAGE_NOT_FOUND');

    const dryAll = await t.client.call('images.prune', { all: true, dryRun: true });
    const allIds = dryAll.removed.map((r) => r.id);
    expect(allIds).toContain(c);
    expect(allIds).not.toContain(kept);
    expect(allIds).not.toContain(dImg);
    expect(dryAll.removed.find((r) => r.id === c)?.tags).toEqual(['x/c:1']);
    // dockerd untags one of the two names of an image a container uses, and keeps the image.
    expect(dryAll.untagged).toContain('x/d:1');
    expect(dryAll.untagged).not.toContain('x/d:2');
    const realAll = await t.client.call('images.prune', { all: true, confirm: true });
    expect(summary(realAll)).toEqual(summary(dryAll));
    // x/c's layer, and the busybox layers only x/c and the untagged base still used.
    expect(realAll.spaceReclaimed).toBeGreaterThanOrEqual(400_000);
    expect((await t.client.call('images.inspect', { ref: 'keep/a:1' })).id).toBe(kept);
    expect((await t.client.call('images.inspect', { ref: dImg })).repoTags).toEqual(['x/d:2']);

    // Nothing left to prune.
    expect(summary(await t.client.call('images.prune', { all: true, dryRun: true }))).toEqual({ removed: [], untagged: [], spaceReclaimed: 0 });
  });

  it('DISK_FULL when a build step fills the disk', async () => {
    for (const id of containers) await docker.getContainer(id).remove({ force: true });
    await buildBusyboxOn(docker);
    const { dir } = d;
    const contextDir = `${dir}/ctx`;
    const fs = await import('node:fs');
    fs.mkdirSync(contextDir);
    fs.writeFileSync(`${contextDir}/Dockerfile`, `FROM ${useEngine().images.busybox}\nRUN dd if=/dev/zero of=/big bs=1M count=80\n`);
    const sub = subscribe(t.client, 'images.build', { contextDir, tags: ['berth-test/big:1'] });
    await sub.settled;
    expect(sub.error?.code).toBe('DISK_FULL');
    // The classic builder names "step 2/2 (RUN …)", BuildKit its vertex "[2/2] RUN …" and the Dockerfile line.
    expect(sub.error?.message).toMatch(
      /^Could not build image "berth-test\/big:1": the engine's disk is full\. It failed at (step 2\/2 \(RUN dd if=\/dev\/zero of=\/big bs=1M count=80\)|\[2\/2\] RUN dd if=\/dev\/zero of=\/big bs=1M count=80 \(Dockerfile line 2\))\.$/,
    );
    expect(sub.error?.hint).toMatch(/prune unused images/);
    expect(String(sub.error?.details?.outputTail)).toMatch(/No space left on device/);
    await expectError(t.client.call('images.inspect', { ref: 'berth-test/big:1' }), 'IMAGE_NOT_FOUND');
  });

  it('DISK_FULL when a pull does not fit', async () => {
    // A 60 MB layer made and pushed by the shared engine, pulled into the 48 MB one.
    const shared = new Docker({ socketPath: useEngine().socketPath });
    const repo = `${useEngine().registry}/${uniq('berth-test/huge')}`;
    const ref = `${repo}:1`;
    await buildImage(shared, ref, { Dockerfile: `FROM ${useEngine().images.busybox}\nRUN head -c 62914560 /dev/urandom > /huge\n` });
    try {
      await follow(shared, await shared.getImage(repo).push({ tag: '1' }));
    } finally {
      await shared.getImage(ref).remove({ force: true });
    }
    const e = await expectError(runToEnd(t.client, 'images.pull', { ref }), 'DISK_FULL', `Could not pull image "${ref}": the engine's disk is full.`);
    expect(String(e.details?.engineMessage)).toMatch(/no space left on device/);
  });
});
