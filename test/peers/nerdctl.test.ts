import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { randomSuffix, rawDocker } from '../support/engine';
import { BUSYBOX_IMAGE, TEST_LABEL } from '../support/images';
import { describePeer, useContainerd, type ContainerdPeer } from '../support/peers';

const execFileP = promisify(execFile);

describePeer('containerd', 'nerdctl on the private containerd', () => {
  let c: ContainerdPeer;
  const nerdctl = (...args: string[]) => execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 64 << 20 });
  const name = `berth-peer-${randomSuffix()}`;

  beforeAll(() => {
    c = useContainerd();
  });
  afterAll(async () => {
    if (c) await nerdctl('rm', '-f', name).catch(() => undefined);
  });

  it('runs, lists, logs and removes a container on the private bridge', async () => {
    await nerdctl('run', '-d', '--name', name, '--label', `${TEST_LABEL}=1`, c.images.busybox, 'sh', '-c', 'echo hello from nerdctl; ip -4 addr show eth0; sleep 300');

    const ps = (await nerdctl('ps', '-a', '--format', 'json')).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Names: string; Status: string; ID: string });
    const row = ps.find((p) => p.Names === name);
    expect(row?.Status).toMatch(/^Up/);

    await expect.poll(async () => (await nerdctl('logs', name)).stdout, { timeout: 10_000 }).toContain('hello from nerdctl');
    const { stdout: logs } = await nerdctl('logs', name);
    // The container's address comes from the private default network, not nerdctl's machine-wide 10.4.0.0/24.
    expect(logs).toContain(`inet ${c.subnet.replace(/\.0\/24$/, '.')}`);

    await nerdctl('rm', '-f', name);
    const after = (await nerdctl('ps', '-a', '--format', '{{.Names}}')).stdout.split('\n');
    expect(after).not.toContain(name);
  });

  it('loads an image saved by the private dockerd and runs it', async () => {
    const repo = `berth-test/loaded-${randomSuffix()}`;
    const tag = `${repo}:latest`;
    const docker = rawDocker();
    // A namespace of its own: nerdctl names what a load made from the namespace's images, so a load another suite runs
    // at the same moment on this containerd (images.load's contract tests) could be reported here, and this one there.
    const ns = `berth-peer-load-${randomSuffix()}`;
    const inNs = (...args: string[]) => nerdctl('--namespace', ns, ...args);
    await docker.getImage(BUSYBOX_IMAGE).tag({ repo, tag: 'latest' });
    try {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-save-')), 'image.tar');
      await pipeline(await docker.getImage(tag).get(), fs.createWriteStream(file));
      try {
        const { stdout: out } = await inNs('load', '-i', file);
        expect(out).toContain(`Loaded image: docker.io/${tag}`);
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
      const { stdout } = await inNs('run', '--rm', tag, 'echo', 'loaded image runs');
      expect(stdout.trim()).toBe('loaded image runs');
    } finally {
      await docker.getImage(tag).remove().catch(() => undefined);
      await inNs('rmi', '-f', tag).catch(() => undefined);
      await nerdctl('namespace', 'remove', ns).catch(() => undefined);
      await nerdctl('rmi', tag).catch(() => undefined);
    }
  });
});
