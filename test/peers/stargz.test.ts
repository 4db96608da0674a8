import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { startContainerd, type Containerd } from '../support/containerd';
import { buildBusyboxInto } from '../support/peers-setup';
import { describePeer } from '../support/peers';
import { startRegistry, type Registry } from '../support/registry';
import { randomSuffix } from '../support/engine';

const execFileP = promisify(execFile);

describePeer('containerd', 'the stargz snapshotter on a private containerd', () => {
  let c: Containerd;
  let registry: Registry;
  const nerdctl = (...args: string[]) => execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 64 << 20 });

  beforeAll(async () => {
    registry = await startRegistry();
    c = await startContainerd({ stargz: true });
  });
  afterAll(async () => {
    await c?.dispose();
    await registry?.stop();
  });

  it('pulls an eStargz image lazily (its layers are FUSE mounts) and runs it', async () => {
    const busybox = await buildBusyboxInto(c);
    const ref = `${registry.host}/berth-test/esgz-${randomSuffix()}:1`;
    await nerdctl('image', 'convert', '--estargz', '--oci', busybox, ref);
    await nerdctl('push', '--insecure-registry', ref);
    await nerdctl('rmi', ref);

    await nerdctl('--snapshotter', 'stargz', 'pull', '--insecure-registry', ref);
    const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(c.dir) && l.includes('fuse'));
    expect(mounts.length, 'remote layers mounted through FUSE').toBeGreaterThan(0);

    const { stdout } = await nerdctl('--snapshotter', 'stargz', 'run', '--rm', '--net', 'none', ref, 'echo', 'lazily pulled');
    expect(stdout.trim()).toBe('lazily pulled');
  });
});
