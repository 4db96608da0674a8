import { beforeAll, beforeEach, inject, type TestContext } from 'vitest';
import { createDockerEngine } from '../../app/adapters/engine/docker-api';
import { createProcessRunner } from '../../app/adapters/process/runner';
import { parseDockerHost } from '../../app/core/docker-host';
import type { EngineCapabilities } from '../../app/contract/engines';
import type { Logger } from '../../app/ports/logger';
import { podmanDifference } from './podman-differences';

/**
 * setupFiles of the `podman` project: a test that meets a known Podman difference is skipped, naming it.
 * Where the difference is a product capability flag, the skip asks the product: Berth's Docker-API adapter
 * connects to the private Podman, reads its version (which is how it learns it is Podman) and reports its
 * capabilities; the test is skipped only while that flag is false, so a wrong flag fails the test.
 */
function fullName(task: TestContext['task']): string {
  const names: string[] = [];
  for (let t: { name: string; suite?: unknown } | undefined = task; t; t = t.suite as typeof t) if (t.name) names.unshift(t.name);
  return names.join(' > ');
}

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, command: () => undefined, child: () => quiet };
let capabilities: EngineCapabilities | null = null;

beforeAll(async () => {
  const p = inject('engine');
  if ('skip' in p) return;
  const engine = createDockerEngine({ id: 'podman-skip', name: 'podman', host: parseDockerHost(p.dockerHost), log: quiet, runner: createProcessRunner(quiet), env: process.env });
  try {
    await engine.system.version(AbortSignal.timeout(10_000));
    capabilities = engine.capabilities;
  } finally {
    await engine.dispose();
  }
});

beforeEach((ctx) => {
  const d = podmanDifference(ctx.task.file.name, fullName(ctx.task));
  if (!d) return;
  if (!d.flag) {
    ctx.skip(`Podman 4.3 differs ("${d.key}", not a product flag): ${d.reason}`);
    return;
  }
  if (capabilities?.[d.flag] === false) ctx.skip(`the engine reports capability "${d.flag}" false (Podman): ${d.reason}`);
});
