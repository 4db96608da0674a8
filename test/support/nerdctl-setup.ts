import type { TestProject } from 'vitest/node';
import { busyboxUnavailable } from './images';
import { containerdUnavailable, startContainerd, type Containerd } from './containerd';
import { buildBusyboxInto } from './peers-setup';
import { registryUnavailable, startRegistry } from './registry';
import type { EngineProvided } from './engine-provided';

/**
 * Global setup of the `nerdctl` project: the engine contract suites again, against Berth's nerdctl
 * adapter on a private containerd 2 + buildkitd (test/support/containerd.ts), with the same local
 * registry and busybox image. createTestCore builds its core on that nerdctl (BERTH_NERDCTL*).
 * Without root or the built tools the suites skip with the reason, unless BERTH_REQUIRE_ENGINE=1.
 */
export default async function setup(project: TestProject) {
  const why = containerdUnavailable() ?? registryUnavailable() ?? busyboxUnavailable();
  if (why) {
    if (process.env.BERTH_REQUIRE_ENGINE === '1') throw new Error(`BERTH_REQUIRE_ENGINE=1 but the nerdctl suites cannot run: ${why}`);
    process.stderr.write(`\n[berth] nerdctl suites are SKIPPED: ${why}.\n\n`);
    project.provide('engine', { skip: why } satisfies EngineProvided);
    return;
  }
  const registry = await startRegistry();
  let c: Containerd | null = null;
  try {
    c = await startContainerd();
    const busybox = await buildBusyboxInto(c);
    project.provide('engine', {
      // No Docker API here: a core built by createTestCore uses the nerdctl below.
      dockerHost: '',
      socketPath: '',
      registry: registry.host,
      images: { busybox },
      nerdctl: { program: c.nerdctl, args: c.nerdctlArgs, env: c.env, namespace: c.namespace, address: c.address, ctr: c.ctr },
    } satisfies EngineProvided);
  } catch (err) {
    await c?.dispose();
    await registry.stop();
    throw err;
  }
  return async () => {
    await c?.dispose();
    await registry.stop();
  };
}
