import fs from 'node:fs';
import { afterAll, beforeAll, it } from 'vitest';
import { randomSuffix, rawDocker } from '../support/engine';
import { describePeer, useContainerd } from '../support/peers';
import { browserUnavailable, type OpenedPage } from './support/browser';
import { buildFlowContext, checkReproducibleBuild, runBuildFlow } from './support/build-flow';
import { ImagesUi } from './support/images-page';
import { openBerthPage, type BerthSession } from './support/session';

const SECRET_VAR = 'BERTH_E2E_BUILD_TOKEN';
const SECRET = `e2e-secret-${randomSuffix()}-never-shown`;

/**
 * The build dialog on dockerd through BuildKit (BUILDKIT_HOST = the containerd peer's buildkitd): a multi-stage
 * build with a cache mount and a secret from an environment variable, the live step graph with its stages,
 * the secret nowhere on the page, and a rebuild after a one-file change showing the reused steps.
 * The same flow on the nerdctl engine: images-buildkit-nerdctl.test.ts.
 */
describePeer('containerd', 'build dialog: BuildKit step graph (dockerd through BuildKit)', () => {
  let session: BerthSession | undefined;
  let opened: OpenedPage;
  let ui: ImagesUi;
  let dir = '';
  const tag = `berth-e2e/bk:${randomSuffix()}`;
  const saved = { host: process.env.BUILDKIT_HOST, ctl: process.env.BERTH_BUILDCTL, secret: process.env[SECRET_VAR] };

  beforeAll(async () => {
    const why = browserUnavailable();
    if (why) throw new Error(why);
    const c = useContainerd();
    // The core reads its environment when it starts: this file's worker only.
    process.env.BUILDKIT_HOST = c.buildkitAddress;
    process.env.BERTH_BUILDCTL = c.buildctl;
    process.env[SECRET_VAR] = SECRET;
    session = await openBerthPage('images');
    opened = session.opened;
    ui = new ImagesUi(session.app, opened.page);
    await ui.table.waitFor();
    dir = buildFlowContext();
  });
  afterAll(async () => {
    await session?.close();
    await rawDocker().getImage(tag).remove({ force: true }).catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of [['BUILDKIT_HOST', saved.host], ['BERTH_BUILDCTL', saved.ctl], [SECRET_VAR, saved.secret]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('builds from the dialog with a secret; the graph shows the stages; a rebuild shows the reused steps; a reproducible build gives the same digest twice', async () => {
    // The secret needs a session, which dockerd's own BuildKit is not given: the dialog names the BuildKit daemon and why.
    const builder = { before: /^Builds with the BuildKit daemon: secrets need it/, running: /^BuildKit daemon \(secrets need a BuildKit daemon: dockerd's own BuildKit takes them only through a client session\)$/ };
    const dlg = await runBuildFlow({ opened, ui, dir, tag, secretVar: SECRET_VAR, secret: SECRET, shot: 'images-build', builder });
    await checkReproducibleBuild(dlg, opened.page, 'images-build');
  });
});
