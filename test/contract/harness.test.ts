import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, rawDocker, useEngine, type TestCore } from '../support/engine';

describeEngine('engine harness', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(() => t?.dispose());

  it('runs a private dockerd that Berth reports as up, with its socket', async () => {
    const [engine] = await t.client.call('engines.list', {});
    expect(engine?.status).toBe('up');
    expect(engine?.endpoint).toBe(useEngine().dockerHost);
    expect(engine?.version?.apiVersion).toMatch(/^1\.\d+$/);
    expect(engine?.version?.os).toBe('linux');
  });

  it('has the offline busybox image', async () => {
    const img = await rawDocker().getImage(useEngine().images.busybox).inspect();
    expect(img.Config.Labels?.['berth.test']).toBe('1');
  });

  it('has a local registry on loopback', async () => {
    expect(useEngine().registry).toMatch(/^127\.0\.0\.1:\d+$/);
    const res = await fetch(`http://${useEngine().registry}/v2/`);
    expect(res.status).toBe(200);
  });
});
