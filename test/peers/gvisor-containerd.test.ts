import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gvisorContainerdConfig } from '../../app/core/gvisor-vm';
import { assess } from '../../app/core/posture/catalogue';
import { createLocalNerdctlRunner, createNerdctlEngine } from '../../app/adapters/engine/nerdctl';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { Logger } from '../../app/ports/logger';
import { randomSuffix } from '../support/engine';
import { TEST_LABEL } from '../support/images';
import { testTools } from '../support/tools';
import { describePeer, useContainerd, useGvisor, type ContainerdPeer } from '../support/peers';

const execFileP = promisify(execFile);
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

/**
 * What the VM template's gVisor option sets up, checked with the real tools: the containerd configuration
 * piece it writes is read by containerd 2 (through the conf.d import) as a `runsc` runtime, and nerdctl
 * on the private containerd runs a container under runsc, which Berth's posture then reports as gVisor.
 * Here the container runs through containerd's runc shim with Debian's runsc as its binary, as dockerd does.
 * gVisor's own shim (containerd-shim-runsc-v1, built by scripts/test-tools.sh) cannot start on this machine
 * (it lowers its oom_score_adj, which needs CAP_SYS_RESOURCE): it runs in the real-VM suite (test/vm/gvisor.ts);
 * the runtimes list's reading of the piece is in gvisor-runtimes.test.ts.
 */
describePeer('containerd', 'gVisor for containerd (the VM option, checked on the private containerd)', () => {
  it("containerd reads the template's configuration piece as the runsc runtime (io.containerd.runsc.v1)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-gvisor-conf-'));
    try {
      fs.mkdirSync(path.join(dir, 'conf.d'));
      fs.writeFileSync(path.join(dir, 'conf.d', 'berth-gvisor.toml'), gvisorContainerdConfig());
      fs.writeFileSync(path.join(dir, 'config.toml'), `version = 2\nimports = [${JSON.stringify(path.join(dir, 'conf.d', '*.toml'))}]\n`);
      const containerd = testTools()?.path('containerd') as string;
      const { stdout } = await execFileP(containerd, ['--config', path.join(dir, 'config.toml'), 'config', 'dump'], { maxBuffer: 16 << 20 });
      const table = /\[plugins\.'io\.containerd\.cri\.v1\.runtime'\.containerd\.runtimes\.runsc\]\n\s+runtime_type = '([^']+)'/.exec(stdout);
      expect(table?.[1]).toBe('io.containerd.runsc.v1');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describePeer('gvisor', 'a container under runsc through nerdctl', () => {
    let c: ContainerdPeer;
    let engine: ContainerEngine;
    const name = `berth-gvisor-${randomSuffix()}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-runsc-'));
    const nerdctl = async (...args: string[]) => (await execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 16 << 20 })).stdout;

    beforeAll(() => {
      c = useContainerd();
      const runner = createLocalNerdctlRunner(createProcessRunner(quiet), { program: c.nerdctl, globalArgs: c.nerdctlArgs, env: c.env });
      engine = createNerdctlEngine({ id: 'nerdctl', name: 'nerdctl', runner, log: quiet, env: process.env, namespace: c.namespace });
    });
    afterAll(async () => {
      if (c) await nerdctl('rm', '-f', name).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('runs under gVisor (its kernel log), and the posture says gVisor, sandboxed', async () => {
      const g = useGvisor();
      // runsc with the sandbox's arguments (its own network stack cannot start here: see RUNSC_ARGS).
      const wrapper = path.join(dir, 'runsc');
      fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${g.runtimePath} ${g.runtimeArgs.join(' ')} "$@"\n`, { mode: 0o755 });
      await nerdctl('run', '-d', '--name', name, '--label', `${TEST_LABEL}=1`, '--runtime', wrapper, c.images.busybox, 'sh', '-c', 'dmesg > /dmesg; exec sleep 1000');
      const dmesg = await nerdctl('exec', name, 'cat', '/dmesg');
      expect(dmesg).toMatch(/Starting gVisor/);
      const sec = engine.security as NonNullable<ContainerEngine['security']>;
      const view = await sec.view(name);
      expect(view.runtime).toBe('runsc');
      expect(assess(view, await sec.context())).toMatchObject({ runtime: 'runsc', runtimeLabel: 'gVisor', sandboxed: true });
    });
  });
});
