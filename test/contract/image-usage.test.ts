import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, rawDocker, TEST_LABEL, type TestCore } from '../support/engine';
import { buildSmall, cleanup, uniq } from './images-support';
import { eventually } from './streams-support';

describeEngine('images: usage counts follow the change feed', () => {
  let t: TestCore;
  const docker = () => rawDocker();
  const tag = `${uniq('berth-test/usage')}:1`;
  let imageId = '';
  const containers: string[] = [];

  beforeAll(async () => {
    t = await createTestCore();
    imageId = await buildSmall(docker(), tag, ['CMD ["sh", "-c", "sleep 1000"]']);
  });
  afterAll(async () => {
    await cleanup(docker(), { containers, images: [tag, imageId] });
    await t?.dispose();
  });

  const countOf = async () => (await t.client.call('images.list', {})).find((i) => i.id === imageId)?.containers;

  it('counts containers created and removed outside Berth without listing every container again', async () => {
    // The feed must be up before the first count, or counting lists the containers each time.
    await eventually('the change feed to be up', async () => (await t.client.call('engines.list', {}))[0]?.status === 'up');
    expect(await countOf()).toBe(0);
    const listings = t.core.services.imageUsage.listings;

    const a = await docker().createContainer({ Image: tag, name: uniq('berth-usage-a'), Labels: { [TEST_LABEL]: '1' } });
    const b = await docker().createContainer({ Image: tag, name: uniq('berth-usage-b'), Labels: { [TEST_LABEL]: '1' } });
    containers.push(a.id, b.id);
    await eventually('both containers to be counted', async () => (await countOf()) === 2);
    expect((await t.client.call('images.list', { filter: 'inUse' })).map((i) => i.id)).toContain(imageId);

    await a.remove();
    await eventually('the removed container to be dropped', async () => (await countOf()) === 1);
    await b.remove();
    await eventually('no container to be counted', async () => (await countOf()) === 0);
    expect((await t.client.call('images.list', { filter: 'unused' })).map((i) => i.id)).toContain(imageId);
    expect(t.core.services.imageUsage.listings).toBe(listings);
  });
});
