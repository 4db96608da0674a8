import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultSettings } from '../../app/contract/settings';
import { GVISOR_RUNTIME_TYPE, gvisorContainerdConfig } from '../../app/core/gvisor-vm';
import { localNerdctlEngine } from '../../app/adapters/engine/nerdctl/local-config';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { Logger } from '../../app/ports/logger';
import { startContainerd, type Containerd, type ContainerdInfo } from '../support/containerd';
import { describePeer, useContainerd } from '../support/peers';

/** A logger that keeps the warnings (the runtimes list says in the log why containerd's configuration was not read). */
function recordingLog(warnings: string[]): Logger {
  const log: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {}, command() {}, child: () => log };
  return log;
}

/** Berth's local nerdctl engine, configured through the environment as for tests and development (local-config.ts). */
function localEngine(c: ContainerdInfo, log: Logger, containerdConfig?: string): ContainerEngine {
  const env = {
    ...process.env,
    BERTH_NERDCTL: c.nerdctl,
    BERTH_NERDCTL_ARGS: JSON.stringify(c.nerdctlArgs),
    BERTH_NERDCTL_ENV: JSON.stringify(c.env),
    BERTH_NERDCTL_NAMESPACE: c.namespace,
    ...(containerdConfig ? { BERTH_CONTAINERD_CONFIG: containerdConfig } : {}),
  };
  const made = localNerdctlEngine({ settings: defaultSettings().engine, env, processes: createProcessRunner(log), log });
  if (!made || !('engine' in made)) throw new Error(`no local nerdctl engine: ${made && 'warning' in made ? made.warning : 'not configured'}`);
  return made.engine;
}

/**
 * The runtimes Berth offers on containerd come from containerd's own configuration (`containerd config dump`,
 * imports merged): a private containerd 2 importing the piece the VM's gVisor option writes offers gVisor's
 * shim before any container used it; one without the piece does not. (The shim itself runs in the real-VM
 * suite, test/vm/gvisor.ts: on this machine it cannot start, see there.)
 */
describePeer('containerd', "the runtimes list reads containerd's configuration (the VM's gVisor piece)", () => {
  let c: Containerd;
  const conf = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-gvisor-confd-'));

  beforeAll(async () => {
    fs.writeFileSync(path.join(conf, 'berth-gvisor.toml'), gvisorContainerdConfig());
    c = await startContainerd({ imports: [path.join(conf, '*.toml')] });
  }, 180_000);

  afterAll(async () => {
    await c?.dispose();
    fs.rmSync(conf, { recursive: true, force: true });
  });

  it('offers gVisor (io.containerd.runsc.v1) when the configuration registers it, before any container uses it', async () => {
    const warnings: string[] = [];
    const engine = localEngine(c, recordingLog(warnings), path.join(c.dir, 'containerd.toml'));
    expect((await engine.containers.list({ all: true })).length).toBe(0);
    const runtimes = await (engine.security as NonNullable<ContainerEngine['security']>).runtimes();
    expect(runtimes).toContainEqual({ name: GVISOR_RUNTIME_TYPE, label: 'gVisor', path: null, default: false, sandboxed: true });
    expect(runtimes).toContainEqual(expect.objectContaining({ name: 'io.containerd.runc.v2', default: true, sandboxed: false }));
    expect(warnings).toEqual([]);
  });

  it('does not offer it for a containerd whose configuration does not register it', async () => {
    const shared = useContainerd();
    const warnings: string[] = [];
    const engine = localEngine(shared, recordingLog(warnings), path.join(shared.dir, 'containerd.toml'));
    const runtimes = await (engine.security as NonNullable<ContainerEngine['security']>).runtimes();
    expect(runtimes.map((r) => r.name)).not.toContain(GVISOR_RUNTIME_TYPE);
    expect(warnings).toEqual([]);
  });

  it('a configuration that cannot be read leaves the list with the default and says why in the log', async () => {
    const warnings: string[] = [];
    const broken = path.join(conf, 'broken.toml.txt');
    fs.writeFileSync(broken, 'version = 3\n[plugins\n');
    const engine = localEngine(c, recordingLog(warnings), broken);
    const runtimes = await (engine.security as NonNullable<ContainerEngine['security']>).runtimes();
    expect(runtimes.map((r) => r.name)).toEqual(['io.containerd.runc.v2']);
    expect(warnings).toEqual([expect.stringMatching(/^containerd's configuration was not read for its runtimes \(nerdctl:\/\/.*\): containerd config dump exited with 1: /)]);
  });
});
