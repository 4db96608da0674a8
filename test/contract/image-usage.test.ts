import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, type TestCore } from '../support/engine';
import { imagesEngine, type ImagesEngine } from './images-engine';
import { uniq } from './images-support';
import { eventually } from './streams-support';

describeEngine('images: usage counts follow the change feed', () => {
  let t: TestCore;
  let eng: ImagesEngine;
  const tag = `${uniq('berth-test/usage')}:1`;
  let imageId = '';
  const containers: string[] = [];

  beforeAll(async () => {
    t = await createTestCore();
    eng = imagesEngine();
    imageId = await eng.buildSmall(tag, ['CMD ["sh", "-c", "sleep 1000"]']);
  });
  afterAll(async () => {
    await eng?.cleanup({ containers, images: [tag, imageId] });
    await t?.dispose();
  });

  const countOf = async () => (await t.client.call('images.list', {})).find((i) => i.id === imageId)?.containers;

  it('counts containers created and removed outside Berth without listing every container again', async () => {
    // The feed must be up before the first count, or counting lists the containers each time.
    await eventually('the change feed to be up', async () => (await t.client.call('engines.list', {}))[0]?.status === 'up');
    expect(await countOf()).toBe(0);
    const listings = t.core.services.imageUsage.listings;

    const a = await eng.createContainer(tag, uniq('berth-usage-a'));
    const b = await eng.createContainer(tag, uniq('berth-usage-b'));
    containers.push(a.id, b.id);
    await eventually('both containers to be counted', async () => (await countOf()) === 2);
    expect((await t.client.call('images.list', { filter: 'inUse' })).map((i) => i.id)).toContain(imageId);

    await eng.removeContainer(a.id);
    await eventually('the removed container to be dropped', async () => (await countOf()) === 1);
    await eng.removeContainer(b.id);
    await eventually('no container to be counted', async () => (await countOf()) === 0);
    expect((await t.client.call('images.list', { filter: 'unused' })).map((i) => i.id)).toContain(imageId);
    expect(t.core.services.imageUsage.listings).toBe(listings);
  });
});
