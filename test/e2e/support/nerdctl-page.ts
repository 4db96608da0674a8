import { afterAll, beforeAll } from 'vitest';
import { testNerdctl } from '../../support/engine';
import { nerdctlRaw } from '../../support/nerdctl-raw';
import { browserUnavailable } from './browser';
import { openContainersPage, type ContainersSession } from './containers-page';

/**
 * A Containers page on the nerdctl engine for a browser suite of the `nerdctl` project: opened before the
 * tests, closed after them, and the named containers removed through the test's own nerdctl. `why` says
 * why the suite cannot run here (no browser, or a Docker-API project), else null.
 */
export function useNerdctlPage(names: readonly string[]): { why: string | null; session(): ContainersSession } {
  const why = browserUnavailable() ?? (testNerdctl() ? null : 'runs in the nerdctl project only');
  let s: ContainersSession | undefined;
  beforeAll(async () => {
    if (why) return;
    s = await openContainersPage();
  });
  afterAll(async () => {
    const n = testNerdctl();
    if (n) for (const name of names) await nerdctlRaw(n, 'rm', '-f', name).catch(() => undefined);
    await s?.close();
  });
  return {
    why,
    session() {
      if (!s) throw new Error('the Containers page is not open');
      return s;
    },
  };
}
