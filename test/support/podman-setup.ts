import type { TestProject } from 'vitest/node';
import { busyboxUnavailable, buildBusybox } from './images';
import { podmanUnavailable, startPodman } from './podman';
import { registryUnavailable, startRegistry } from './registry';
import type { EngineProvided } from './engine-provided';

/**
 * Global setup of the `podman` project: the Docker-API contract suites again, against a private
 * Podman service instead of the private dockerd (same `engine` shape: socket, registry, busybox).
 * Without Podman the suites skip with the reason, unless BERTH_REQUIRE_ENGINE=1 (CI).
 */
export default async function setup(project: TestProject) {
  const why = podmanUnavailable() ?? registryUnavailable() ?? busyboxUnavailable();
  if (why) {
    if (process.env.BERTH_REQUIRE_ENGINE === '1') throw new Error(`BERTH_REQUIRE_ENGINE=1 but the Podman suites cannot run: ${why}`);
    process.stderr.write(`\n[berth] Podman suites are SKIPPED: ${why}.\n\n`);
    project.provide('engine', { skip: why } satisfies EngineProvided);
    return;
  }
  const registry = await startRegistry();
  let podman: Awaited<ReturnType<typeof startPodman>> | null = null;
  try {
    podman = await startPodman({ insecureRegistries: [registry.host] });
    const busybox = await buildBusybox(podman.dockerHost);
    project.provide('engine', {
      dockerHost: podman.dockerHost,
      socketPath: podman.socketPath,
      registry: registry.host,
      images: { busybox },
    } satisfies EngineProvided);
  } catch (err) {
    await podman?.dispose();
    await registry.stop();
    throw err;
  }
  return async () => {
    await podman?.dispose();
    await registry.stop();
  };
}
