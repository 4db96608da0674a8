import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngine, randomSuffix, testNerdctl } from '../support/engine';
import { nerdctlRaw } from '../support/nerdctl-raw';
import { browserUnavailable, type OpenedPage } from './support/browser';
import { buildFlowContext, checkReproducibleBuild, runBuildFlow } from './support/build-flow';
import { ImagesUi } from './support/images-page';
import { openBerthPage, type BerthSession } from './support/session';

const SECRET_VAR = 'BERTH_E2E_NERDCTL_BUILD_TOKEN';
const SECRET = `e2e-nerdctl-secret-${randomSuffix()}-never-shown`;
const why = browserUnavailable() ?? (testNerdctl() ? null : 'runs in the nerdctl project only');

/*
 * The build dialog on the nerdctl engine (vitest project `nerdctl`: the core drives the private containerd's
 * nerdctl, which builds through its buildkitd): the multi-stage build with a cache mount and a secret, the graph's
 * stages, the rebuild's reused steps (the flow shared with the dockerd test), and the secret absent from the
 * image's files, config and history as well as from the page. In the Docker-API projects it is skipped.
 */
describeEngine('build dialog on containerd: nerdctl build through BuildKit (browser)', () => {
  let session: BerthSession | undefined;
  let opened: OpenedPage;
  let ui: ImagesUi;
  let dir = '';
  const tag = `berth-e2e/bkn:${randomSuffix()}`;
  const saved = process.env[SECRET_VAR];

  beforeAll(async () => {
    if (why) return;
    // nerdctl reads the secret from the environment it inherits from the core.
    process.env[SECRET_VAR] = SECRET;
    session = await openBerthPage('images');
    opened = session.opened;
    ui = new ImagesUi(session.app, opened.page);
    await ui.table.waitFor();
    dir = buildFlowContext();
  });
  afterAll(async () => {
    await session?.close();
    const n = testNerdctl();
    if (n) await nerdctlRaw(n, 'rmi', '-f', tag).catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env[SECRET_VAR];
    else process.env[SECRET_VAR] = saved;
  });

  it.skipIf(why)('builds from the dialog with a secret; the graph shows the stages; a rebuild shows the reused steps; a reproducible build gives the same digest twice; the secret is in no layer nor history', async () => {
    expect(await opened.page.getByTestId('engine-kind').textContent()).toContain('containerd via nerdctl');
    const dlg = await runBuildFlow({ opened, ui, dir, tag, secretVar: SECRET_VAR, secret: SECRET, shot: 'images-build-nerdctl' });
    await checkReproducibleBuild(dlg, opened.page, 'images-build-nerdctl');
    const n = testNerdctl()!;
    const { stdout: inspect } = await nerdctlRaw(n, 'image', 'inspect', tag);
    const { stdout: history } = await nerdctlRaw(n, 'history', '--no-trunc', tag);
    expect(inspect + history).not.toContain(SECRET);
    const { stdout: files } = await nerdctlRaw(n, 'run', '--rm', '--net', 'none', tag, 'sh', '-c', `grep -rl "${SECRET}" / --exclude-dir=proc --exclude-dir=sys 2>/dev/null | wc -l; test -e /run/secrets/token && echo present || echo absent`);
    expect(files.trim().split('\n')).toEqual(['0', 'absent']);
  });
});
