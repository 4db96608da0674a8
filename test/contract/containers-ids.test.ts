import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, rawDocker, randomSuffix, TEST_LABEL, useEngine, type TestCore } from '../support/engine';

describeEngine('containers.list with ids (what one change feed item names)', () => {
  let t: TestCore;
  const made: string[] = [];
  const sfx = randomSuffix();

  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(async () => {
    await Promise.all(made.map((id) => rawDocker().getContainer(id).remove({ force: true }).catch(() => undefined)));
    await t?.dispose();
  });

  it('lists only the containers asked for, in any state; ids that do not exist are left out', async () => {
    const mk = async (n: string) => {
      const c = await rawDocker().createContainer({ Image: useEngine().images.busybox, name: `berth-ids-${n}-${sfx}`, Cmd: ['sleep', '1000'], Labels: { [TEST_LABEL]: '1' } });
      made.push(c.id);
      return c;
    };
    const a = await mk('a');
    const b = await mk('b');
    await mk('c');
    await b.start();
    const got = await t.client.call('containers.list', { all: true, ids: [a.id, b.id, 'f'.repeat(64)] });
    expect(got.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(got.find((c) => c.id === b.id)?.state).toBe('running');
    expect(got.find((c) => c.id === a.id)?.state).toBe('created');
    await expect(t.client.call('containers.list', { all: true, ids: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
