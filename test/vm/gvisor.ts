import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Api } from '../../app/contract/api';
import type { Client } from '../../app/contract/client';
import { GVISOR_BINARIES, GVISOR_RUNTIME_TYPE } from '../../app/core/gvisor-vm';
import { addGvisor } from '../../app/core/lima-template';
import type { VmExecutor } from '../../app/ports/vm';
import { testTools, testToolsUnavailable } from '../support/tools';

/**
 * The VM's gVisor option in the real guest: the host folder Berth mounts (`<resources>/gvisor`, here the
 * runsc and containerd-shim-runsc-v1 that scripts/test-tools.sh built, static Linux binaries), the provision
 * script that installs them and registers the runtime with the guest's containerd. (The shim cannot start on
 * the test machine itself: it lowers its oom_score_adj to -999, which needs CAP_SYS_RESOURCE, withheld there.)
 */

/** A folder holding just the two binaries (hard links to the built tools), as `<resources>/gvisor` does. */
export function gvisorTestFolder(): string {
  const why = testToolsUnavailable([...GVISOR_BINARIES]);
  if (why) throw new Error(`The VM's gVisor option cannot be tested: ${why}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-realvm-gvisor-'));
  fs.chmodSync(dir, 0o755); // limactl runs as nobody
  for (const b of GVISOR_BINARIES) {
    const src = testTools()?.path(b) as string;
    try {
      fs.linkSync(src, path.join(dir, b));
    } catch {
      fs.copyFileSync(src, path.join(dir, b));
      fs.chmodSync(path.join(dir, b), 0o755);
    }
  }
  return dir;
}

/**
 * The suite's guest template with the option's set-up as Berth renders it (core/lima-template.ts addGvisor):
 * param, the folder's read-only mount, the provision script. The guest image's kernel has no 9p (Lima's
 * default for QEMU), so the folder comes over reverse-sshfs (sshfs is in the image).
 */
export function gvisorGuestTemplate(template: string, dir: string): string {
  const cfg = parse(template) as Record<string, unknown>;
  addGvisor(cfg, dir);
  cfg.mountType = 'reverse-sshfs';
  return stringify(cfg, { lineWidth: 0 });
}

/**
 * The option's set-up in the booted guest: the provisioning installed both binaries and registered the
 * runtime (containerd's own view of its configuration), and Berth's runtimes list offers gVisor's shim
 * before any container used it (read from the guest's `containerd config dump`).
 *
 * A container under the shim is not run here: in this guest (QEMU's software emulation) the shim starts
 * runsc's sandbox and gofer, but the task stays "created" and `nerdctl start` never returns (attached or
 * detached, systemd or cgroupfs cgroup manager; seen 2026-12-05, see notes 15b).
 */
export async function gvisorIsInstalled(client: Client<Api>, vm: VmExecutor): Promise<void> {
  const installed = await vm.run(['sh', '-c', 'ls /usr/local/bin/runsc /usr/local/bin/containerd-shim-runsc-v1 && /usr/local/bin/runsc --version && sudo containerd config dump'], { timeoutMs: 120_000 });
  expect(installed.exitCode, installed.stderr).toBe(0);
  expect(installed.stdout).toMatch(/runsc version /);
  expect(installed.stdout).toMatch(/containerd\.runtimes\.runsc\]\n\s+runtime_type = ['"]io\.containerd\.runsc\.v1['"]/);
  const runtimes = await client.call('security.runtimes', {});
  expect(runtimes).toContainEqual(expect.objectContaining({ name: GVISOR_RUNTIME_TYPE, label: 'gVisor', sandboxed: true, default: false }));
}
