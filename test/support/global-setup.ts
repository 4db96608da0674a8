import type { TestProject } from 'vitest/node';
import { dockerdUnavailable, startDockerd } from './dockerd';
import { registryUnavailable, startRegistry } from './registry';
import { busyboxUnavailable, buildBusybox } from './images';
import type { EngineProvided } from './engine-provided';

/**
 * Starts one private dockerd, one local registry and the offline busybox image for every
 * engine-backed test file. Without the binaries the suites skip with the reason, unless
 * BERTH_REQUIRE_ENGINE=1 (CI), where that is a failure.
 */
export default async function setup(project: TestProject) {
  const why = dockerdUnavailable() ?? registryUnavailable() ?? busyboxUnavailable();
  if (why) {
    if (process.env.BERTH_REQUIRE_ENGINE === '1') throw new Error(`BERTH_REQUIRE_ENGINE=1 but the engine suites cannot run: ${why}`);
    process.stderr.write(`\n[berth] Engine-backed suites are SKIPPED: ${why}.\n\n`);
    project.provide('engine', { skip: why } satisfies EngineProvided);
    return;
  }
  const dockerd = await startDockerd();
  let registry: Awaited<ReturnType<typeof startRegistry>> | null = null;
  try {
    registry = await startRegistry();
    const busybox = await buildBusybox(dockerd.dockerHost);
    project.provide('engine', {
      dockerHost: dockerd.dockerHost,
      socketPath: dockerd.socketPath,
      registry: registry.host,
      images: { busybox },
    } satisfies EngineProvided);
  } catch (err) {
    await registry?.stop();
    await dockerd.dispose();
    throw err;
  }
  return async () => {
    await registry?.stop();
    await dockerd.dispose();
  };
}
