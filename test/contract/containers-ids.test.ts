import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, randomSuffix, useEngine, type TestCore } from '../support/engine';
import { engineObjects, type EngineObjects } from './objects-engine';

describeEngine('containers.list with ids (what one change feed item names)', () => {
  let t: TestCore;
  let eng: EngineObjects;
  const sfx = randomSuffix();

  beforeAll(async () => {
    t = await createTestCore();
    // Arranged engine-neutrally: dockerode on the Docker-API projects, the test's own nerdctl on the nerdctl project.
    eng = engineObjects(useEngine().images.busybox, 'containers-ids');
  });
  afterAll(async () => {
    await eng?.cleanup();
    await t?.dispose();
  });

  it('lists only the containers asked for, in any state; ids that do not exist are left out', async () => {
    const mk = (n: string, start: boolean) => eng.container({ name: `berth-ids-${n}-${sfx}`, cmd: ['sleep', '1000'], start });
    const a = await mk('a', false);
    const b = await mk('b', true);
    await mk('c', false);
    const got = await t.client.call('containers.list', { all: true, ids: [a.id, b.id, 'f'.repeat(64)] });
    expect(got.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(got.find((c) => c.id === b.id)?.state).toBe('running');
    expect(got.find((c) => c.id === a.id)?.state).toBe('created');
    await expect(t.client.call('containers.list', { all: true, ids: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
