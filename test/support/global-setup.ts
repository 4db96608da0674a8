import type { TestProject } from 'vitest/node';
import { dockerdUnavailable, startDockerd } from './dockerd';
import { registryUnavailable, startRegistry } from './registry';
import { busyboxUnavailable, buildBusybox } from './images';
import type { EngineProvided } from './engine-provided';
import { peerDockerdOptions, providePeerSkips, startPeers } from './peers-setup';

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
    providePeerSkips(project, why);
    return;
  }
  const dockerd = await startDockerd(peerDockerdOptions());
  let registry: Awaited<ReturnType<typeof startRegistry>> | null = null;
  let peers: Awaited<ReturnType<typeof startPeers>> | null = null;
  try {
    registry = await startRegistry();
    const busybox = await buildBusybox(dockerd.dockerHost);
    project.provide('engine', {
      dockerHost: dockerd.dockerHost,
      socketPath: dockerd.socketPath,
      registry: registry.host,
      images: { busybox },
    } satisfies EngineProvided);
    peers = await startPeers(project, dockerd);
  } catch (err) {
    await peers?.dispose();
    await registry?.stop();
    await dockerd.dispose();
    throw err;
  }
  return async () => {
    await peers?.dispose();
    await registry?.stop();
    await dockerd.dispose();
  };
}
