import { expect, it } from 'vitest';
import { describeEngine, randomSuffix } from '../support/engine';
import { screenshot } from '../e2e/support/browser';
import { useNerdctlPage } from '../e2e/support/nerdctl-page';
import { distrolessKit } from '../contract/files-engine';

/*
 * The Files tab on nerdctl in the browser (the whole flow — view, download, upload, Changed — is
 * test/e2e/files.test.ts on dockerd; the calls behind it are test/contract/files.test.ts on both):
 * a distroless container's root with a link target, and the note saying a helper container reads it.
 */
const sfx = randomSuffix();
const NAME = `berth-e2e-nfiles-${sfx}`;
const TAG = `berth-test/distroless-nfiles-${sfx}:1`;

describeEngine('Files tab on nerdctl (browser)', () => {
  const kit = distrolessKit();
  const { why, session } = useNerdctlPage([NAME]);

  it.skipIf(why)('lists a distroless container’s root through a helper container, and says so', async () => {
    await kit.build(TAG);
    try {
      const id = await kit.run(TAG, NAME);
      const page = session().opened.page;
      await page.evaluate((h) => {
        (globalThis as unknown as { location: { hash: string } }).location.hash = h;
      }, `#/containers/${id}/files`);
      const table = page.getByRole('table', { name: 'Files in /' });
      await table.getByRole('button', { name: 'busybox', exact: true }).waitFor({ timeout: 30_000 });
      await table.getByText('→ /busybox').waitFor();
      expect(await table.getByRole('row').filter({ has: page.getByRole('button', { name: 'busybox', exact: true }) }).textContent()).toMatch(/-rwxr-xr-x/);
      await page.getByTestId('files-via').filter({ hasText: 'short-lived Berth helper container' }).waitFor();
      await screenshot(page, 'nerdctl-files-tab');
      // The helper is never among the containers.
      await page.evaluate(() => {
        (globalThis as unknown as { location: { hash: string } }).location.hash = '#/containers';
      });
      await session().ui.row(NAME).waitFor();
      expect(await page.getByText('berth-files-', { exact: false }).count()).toBe(0);
    } finally {
      await kit.remove(NAME).catch(() => undefined);
      await kit.removeImage(TAG).catch((e: unknown) => console.warn(`could not remove ${TAG}: ${String(e)}`));
    }
  });
});
