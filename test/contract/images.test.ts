import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, TEST_LABEL, useEngine, type TestCore } from '../support/engine';
import { imagesEngine, type ImagesEngine } from './images-engine';
import { expectError, uniq } from './images-support';

describeEngine('images: list, inspect, history, tag, remove', () => {
  let t: TestCore;
  let eng: ImagesEngine;
  const repo = uniq('berth-test/img');
  const tagged = `${repo}:1`;
  const danglingTag = `${repo}:dangling`;
  let taggedId = '';
  let danglingId = '';
  const containers: Array<{ id: string; name: string }> = [];
  const extraImages: string[] = [];

  beforeAll(async () => {
    t = await createTestCore();
    eng = imagesEngine();
    taggedId = await eng.buildSmall(tagged, ['RUN echo one > /one', 'ENV MODE=test', 'EXPOSE 8080/tcp', 'CMD ["sh", "-c", "sleep 1000"]']);
    // A dangling image (no name), made the engine's way (see danglingImage).
    const dangling = await eng.danglingImage(danglingTag, [`RUN echo ${repo} > /dangling`]);
    danglingId = dangling.id;
    extraImages.push(danglingId, ...dangling.extra);
  });
  afterAll(async () => {
    await eng?.cleanup({ containers: containers.map((c) => c.id), images: [tagged, `${repo}:2`, `${repo}:latest`, taggedId, ...extraImages] });
    await t?.dispose();
  });

  it('lists images with tags, size, created, labels, and what uses them', async () => {
    containers.push(await eng.createContainer(tagged, uniq('berth-img-user')));
    const all = await t.client.call('images.list', {});
    const mine = all.find((i) => i.id === taggedId);
    // containerd gives every image the digest of its manifest, pushed or not: nerdctl lists it as a repo digest.
    const repoDigests = eng.kind === 'docker' ? [] : [`${repo}@${taggedId}`];
    expect(mine).toMatchObject({ repoTags: [tagged], repoDigests, containers: 1, inUse: true, dangling: false, labels: { [TEST_LABEL]: '1' } });
    expect(mine?.size).toBeGreaterThan(1_000_000);
    expect(Date.parse(mine?.created ?? '')).toBeGreaterThan(Date.now() - 3_600_000);
    const dangling = all.find((i) => i.id === danglingId);
    expect(dangling).toMatchObject({ repoTags: [], containers: 0, inUse: false, dangling: true });

    const ids = async (filter: 'inUse' | 'unused' | 'dangling') => (await t.client.call('images.list', { filter })).map((i) => i.id);
    expect(await ids('inUse')).toContain(taggedId);
    expect(await ids('inUse')).not.toContain(danglingId);
    expect(await ids('unused')).toContain(danglingId);
    expect(await ids('unused')).not.toContain(taggedId);
    expect(await ids('dangling')).toContain(danglingId);
    expect(await ids('dangling')).not.toContain(taggedId);
  });

  it('inspects an image by reference, by ID and by short ID', async () => {
    const d = await t.client.call('images.inspect', { ref: tagged });
    expect(d).toMatchObject({
      id: taggedId,
      repoTags: [tagged],
      os: 'linux',
      config: { cmd: ['sh', '-c', 'sleep 1000'], exposedPorts: ['8080/tcp'], labels: { [TEST_LABEL]: '1' } },
    });
    expect(d.config.env).toContain('MODE=test');
    expect(d.layers.length).toBeGreaterThanOrEqual(3);
    // The engine's own document (Docker: Id is this id; nerdctl's dockercompat: Id is the config digest, RepoDigests name this one).
    expect(JSON.stringify(d.raw)).toContain(taggedId);
    expect((await t.client.call('images.inspect', { ref: taggedId })).id).toBe(taggedId);
    expect((await t.client.call('images.inspect', { ref: taggedId.slice(7, 19) })).id).toBe(taggedId);
  });

  it('gives the history newest first, with sizes and the instruction of each step', async () => {
    const h = await t.client.call('images.history', { ref: tagged });
    // The newest step: dockerd's test build adds the label as a last step (a build option); nerdctl builds the Dockerfile as written.
    expect(h[0]?.createdBy).toContain(eng.kind === 'docker' ? `LABEL ${TEST_LABEL}=1` : 'CMD ["sh" "-c" "sleep 1000"]');
    expect(h[0]?.id).toBe(taggedId);
    expect(h[0]?.tags).toEqual([tagged]);
    expect(h.findIndex((e) => e.createdBy.includes(eng.kind === 'docker' ? 'CMD ["sh" "-c" "sleep 1000"]' : `LABEL ${TEST_LABEL}=1`))).toBeGreaterThan(0);
    const run = h.find((e) => e.createdBy.includes('echo one > /one'));
    // Docker counts the layer's bytes; nerdctl, the disk its snapshot takes (whole blocks).
    if (eng.kind === 'docker') expect(run?.size).toBe(4);
    else expect(run?.size).toSatisfy((n: number) => n >= 4 && n <= 16_384);
    const copy = h.find((e) => e.createdBy.includes('COPY') && e.createdBy.includes('/bin/busybox'));
    expect(copy?.size).toBeGreaterThan(1_000_000);
    expect(Date.parse(h[h.length - 1]?.created ?? '')).toBeGreaterThan(0);
  });

  it('tags an image (":latest" when no tag is given)', async () => {
    expect(await t.client.call('images.tag', { source: tagged, target: `${repo}:2` })).toEqual({ target: `${repo}:2` });
    expect(await t.client.call('images.tag', { source: taggedId, target: repo })).toEqual({ target: `${repo}:latest` });
    const d = await t.client.call('images.inspect', { ref: tagged });
    expect(d.repoTags.sort()).toEqual([tagged, `${repo}:2`, `${repo}:latest`].sort());
  });

  it('refuses to remove by ID an image with several names, unless forced: CONFLICT', async () => {
    const err = await expectError(t.client.call('images.remove', { ref: taggedId }), 'CONFLICT', /has several names; removing it by ID needs force/);
    expect(err.hint).toMatch(/Remove its tags one by one/);
  });

  it('untags one name of an image with several', async () => {
    expect(await t.client.call('images.remove', { ref: `${repo}:2` })).toEqual({ untagged: [`${repo}:2`], deleted: [] });
    expect(await t.client.call('images.remove', { ref: `${repo}:latest` })).toEqual({ untagged: [`${repo}:latest`], deleted: [] });
  });

  it('refuses to remove an image a container uses: CONFLICT naming the container', async () => {
    const { id: userId, name } = containers[0] as { id: string; name: string };
    const err = await expectError(t.client.call('images.remove', { ref: tagged }), 'CONFLICT', `The image "${tagged}" is used by container "${name}" (${userId.slice(0, 12)}).`);
    expect(err.hint).toMatch(/Remove that container first, or remove the image with force/);
    // dockerd's own words (nerdctl's message differs; Berth's message above is the same on both).
    if (eng.kind === 'docker') expect(err.details?.engineMessage).toMatch(/^conflict: unable to remove repository reference .* \(must force\) - container [0-9a-f]{12} is using its referenced image/);
    const byId = await expectError(t.client.call('images.remove', { ref: taggedId }), 'CONFLICT', new RegExp(`is used by container "${name}"`));
    if (eng.kind === 'docker') expect(byId.details?.engineMessage).toMatch(/image is being used by stopped container/);
    // Nothing changed.
    expect((await t.client.call('images.inspect', { ref: tagged })).repoTags).toEqual([tagged]);
  });

  it('removes an image with force and reports what went', async () => {
    const id = await eng.buildSmall(`${repo}:gone`, [`RUN echo gone-${repo} > /g`]);
    extraImages.push(id);
    const c = await eng.createContainer(`${repo}:gone`, uniq('berth-img-user'));
    containers.push(c);
    const r = await t.client.call('images.remove', { ref: `${repo}:gone`, force: true, confirm: true });
    expect(r.untagged).toEqual([`${repo}:gone`]);
    expect(r.deleted).toContain(id);
    await expectError(t.client.call('images.inspect', { ref: id }), 'IMAGE_NOT_FOUND');
    // The (stopped) container that used it is kept.
    expect(await eng.containerExists(c.id)).toBe(true);
  });

  it('IMAGE_NOT_FOUND for inspect, history, tag and remove of a missing image, suggesting a pull', async () => {
    const missing = `${uniq('berth-test/missing')}:x`;
    const e = await expectError(t.client.call('images.inspect', { ref: missing }), 'IMAGE_NOT_FOUND', `The image "${missing}" was not found.`);
    expect(e.hint).toBe('Pull it first, or check the name and tag.');
    expect(e.details?.engineMessage).toMatch(/No such image|not found/i);
    await expectError(t.client.call('images.history', { ref: missing }), 'IMAGE_NOT_FOUND', `The image "${missing}" was not found.`);
    await expectError(t.client.call('images.remove', { ref: missing }), 'IMAGE_NOT_FOUND', `The image "${missing}" was not found.`);
    await expectError(t.client.call('images.tag', { source: missing, target: `${repo}:nope` }), 'IMAGE_NOT_FOUND', `The image "${missing}" was not found.`);
  });

  it('INVALID_REFERENCE for bad references, and nothing changes', async () => {
    const e = await expectError(t.client.call('images.inspect', { ref: 'Upper/Case' }), 'INVALID_REFERENCE', '"Upper/Case" is not a valid image reference: the repository name must be lowercase.');
    expect(e.hint).toMatch(/name\[:tag\]\[@digest\]/);
    await expectError(t.client.call('images.tag', { source: tagged, target: 'bad tag' }), 'INVALID_REFERENCE', /contains spaces/);
    await expectError(t.client.call('images.tag', { source: tagged, target: `${repo}@sha256:${'0'.repeat(64)}` }), 'INVALID_REFERENCE', /a tag cannot include one/);
    await expectError(t.client.call('images.remove', { ref: 'x:-bad' }), 'INVALID_REFERENCE', /not a valid tag/);
    expect((await t.client.call('images.inspect', { ref: tagged })).repoTags).toEqual([tagged]);
  });

  it('checks references before touching the engine (an unreachable engine is never asked)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-nosock-'));
    const off = await createTestCore(`unix://${path.join(dir, 'none.sock')}`);
    try {
      await expectError(off.client.call('images.inspect', { ref: 'NOPE' }), 'INVALID_REFERENCE');
      await expectError(off.client.call('images.remove', { ref: 'a b' }), 'INVALID_REFERENCE');
      await expectError(off.client.call('images.tag', { source: useEngine().images.busybox, target: 'X' }), 'INVALID_REFERENCE');
      // And a valid one does reach (the missing) engine.
      await expectError(off.client.call('images.inspect', { ref: 'busybox' }), 'ENGINE_UNREACHABLE', /none\.sock/);
    } finally {
      await off.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
