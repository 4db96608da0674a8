import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { containerdUnavailable, startContainerd, type Containerd, type ContainerdInfo } from './containerd';
import type { Dockerd, DockerdOptions } from './dockerd';
import { BUSYBOX_IMAGE, busyboxContext } from './images';
import { execFileP, which } from './proc';
import { TOOLS_INSTALL, testTools, testToolsUnavailable } from './tools';
import type { ContainerdProvided, GvisorProvided, LimaProvided } from './peers-provided';

/**
 * gVisor in this sandbox: runsc refuses its own network stack here ("cannot run with network enabled in
 * root network namespace"), so it uses the container's network namespace as it is (`--network=host`:
 * dockerd still gives each container its own namespace on the private bridge).
 */
export const RUNSC_ARGS = ['--network=host'];

/**
 * gVisor's runsc: the one the test tools build from gvisor.dev/gvisor (beside its containerd shim, the same version), else
 * one on PATH (a machine that has gVisor installed).
 */
export function runscPath(): string | null {
  const tools = testTools();
  const built = tools?.path('runsc');
  return built && fs.existsSync(built) ? built : which('runsc');
}

export function gvisorUnavailable(): string | null {
  return runscPath() ? null : `missing runsc, gVisor's runtime (run ${TOOLS_INSTALL}, which builds it)`;
}

/** Options for the shared private dockerd: runsc registered as the `runsc` runtime when it is installed. */
export function peerDockerdOptions(): DockerdOptions {
  const runsc = runscPath();
  return runsc ? { runtimes: { runsc: { path: runsc, runtimeArgs: RUNSC_ARGS } } } : {};
}

function skipOrFail(peer: string, why: string): { skip: string } {
  if (process.env.BERTH_REQUIRE_ENGINE === '1') throw new Error(`BERTH_REQUIRE_ENGINE=1 but the ${peer} suites cannot run: ${why}`);
  process.stderr.write(`[berth] ${peer} suites are SKIPPED: ${why}.\n`);
  return { skip: why };
}

/** Builds the offline busybox image straight into the private containerd (buildctl, containerd worker, same namespace). */
export async function buildBusyboxInto(c: ContainerdInfo): Promise<string> {
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ctx-'));
  try {
    for (const [name, content] of Object.entries(busyboxContext())) fs.writeFileSync(path.join(ctx, name), content, { mode: name === 'busybox' ? 0o755 : 0o644 });
    await execFileP(
      c.buildctl,
      ['--addr', c.buildkitAddress, 'build', '--frontend', 'dockerfile.v0', '--local', `context=${ctx}`, '--local', `dockerfile=${ctx}`,
        '--output', `type=image,name=docker.io/${BUSYBOX_IMAGE},unpack=true`],
      { env: { ...process.env, ...c.env }, maxBuffer: 16 << 20 },
    );
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
  }
  return BUSYBOX_IMAGE;
}

/** Without the private dockerd (no root, no binaries) no peer runs either: the same reason skips them all. */
export function providePeerSkips(project: TestProject, why: string): void {
  for (const peer of ['containerd', 'gvisor', 'lima'] as const) project.provide(peer, { skip: why });
}

/**
 * Starts the peers beside the shared dockerd (a private containerd with buildkitd; gVisor is a
 * runtime of that dockerd; Lima needs no daemon) and provides them to the suites. A missing peer
 * skips its suites with the install command, or fails the run under BERTH_REQUIRE_ENGINE=1.
 */
export async function startPeers(project: TestProject, dockerd: Dockerd): Promise<{ dispose(): Promise<void> }> {
  const gvisorWhy = gvisorUnavailable();
  const runsc = runscPath();
  project.provide(
    'gvisor',
    (gvisorWhy || !runsc
      ? skipOrFail('gVisor', gvisorWhy ?? 'missing runsc')
      : { runtime: 'runsc', runtimePath: runsc, runtimeArgs: RUNSC_ARGS, dockerHost: dockerd.dockerHost, socketPath: dockerd.socketPath }) satisfies GvisorProvided,
  );

  const limaWhy = testToolsUnavailable(['limactl']);
  const tools = testTools();
  project.provide(
    'lima',
    (limaWhy || !tools ? skipOrFail('Lima', limaWhy ?? 'no test tools') : { limactl: tools.path('limactl'), shareDir: path.join(tools.dir, 'share', 'lima') }) satisfies LimaProvided,
  );

  let containerd: Containerd | null = null;
  const why = containerdUnavailable();
  if (why) project.provide('containerd', skipOrFail('containerd/nerdctl', why) satisfies ContainerdProvided);
  else {
    containerd = await startContainerd();
    try {
      const busybox = await buildBusyboxInto(containerd);
      const { dispose: _dispose, ...info } = containerd;
      project.provide('containerd', { ...info, images: { busybox } } satisfies ContainerdProvided);
    } catch (err) {
      await containerd.dispose();
      throw err;
    }
  }
  return {
    async dispose() {
      await containerd?.dispose();
    },
  };
}
