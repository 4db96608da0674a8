import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngine, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import { nerdctlRaw } from '../support/nerdctl-raw';
import { pushRandomImage } from '../contract/registry-push';
import { openBerthPage, type BerthSession } from './support/session';
import { browserUnavailable, screenshot } from './support/browser';
import { slowProxy } from './support/images-page';

/*
 * The Pull dialog on the nerdctl engine (vitest project `nerdctl`), which lacks the layerProgress capability:
 * no layer list, a note saying the engine reports totals only, and the total moved once the pull is done.
 * The Docker-API view (per-layer bars) is test/e2e/images-transfer.test.ts. Skipped in the Docker-API projects.
 */
const why = browserUnavailable() ?? (testNerdctl() ? null : 'runs in the nerdctl project only');

describeEngine('pull dialog on nerdctl: totals only (browser)', () => {
  let session: BerthSession | undefined;
  const made: string[] = [];

  beforeAll(async () => {
    if (why) return;
    session = await openBerthPage('images');
  });
  afterAll(async () => {
    await session?.close();
    const n = testNerdctl();
    if (n) for (const ref of made) await nerdctlRaw(n, 'rmi', '-f', ref).catch(() => undefined);
  });

  it.skipIf(why)('shows the running total and says per-layer progress is not reported, then the total moved', async () => {
    if (!session) throw new Error('no page');
    const { page } = session.opened;
    const { registry } = useEngine();
    const repo = `berth-e2e/nerdctl-pull-${randomSuffix()}`;
    // Straight into the registry, so containerd has none of its blobs and really downloads them through the proxy.
    await pushRandomImage(registry, repo, '1', 3_000_000);
    const proxy = await slowProxy(registry, 1_000_000);
    const ref = `${proxy.host}/${repo}:1`;
    made.push(ref);
    try {
      await page.getByRole('button', { name: 'Pull…' }).click();
      const dlg = page.getByRole('dialog', { name: 'Pull an image' });
      await dlg.waitFor();
      await dlg.getByLabel('Image reference').fill(ref);
      await dlg.getByRole('button', { name: 'Pull', exact: true }).click();
      await dlg.getByTestId('transfer-totals-only').waitFor({ timeout: 20_000 });
      expect(await dlg.locator('.xfer-layer').count()).toBe(0);

      const result = dlg.locator('.img-result');
      await result.waitFor({ timeout: 60_000 });
      expect(await result.textContent()).toContain(`Pulled ${ref}`);
      // The end is known once it is done: what was moved, of itself (the 3 MB layer at least).
      expect(await dlg.getByTestId('transfer-total').textContent()).toMatch(/^(\d+(\.\d)? MB) of \1$/);
      expect(await dlg.getByTestId('transfer-totals-only').textContent()).toBe('This engine reports the bytes moved so far, not each layer.');
      await screenshot(page, 'nerdctl-pull-done-totals');
    } finally {
      await proxy.close();
    }
  });
});
