import os from 'node:os';
import { beforeAll, expect, it } from 'vitest';
import Docker from 'dockerode';
import { BUSYBOX_IMAGE, TEST_LABEL } from '../support/images';
import { describePeer, useGvisor, type GvisorPeer } from '../support/peers';

describePeer('gvisor', 'gVisor (runsc) as a runtime of the private dockerd', () => {
  let g: GvisorPeer;
  let docker: Docker;
  beforeAll(() => {
    g = useGvisor();
    docker = new Docker({ socketPath: g.socketPath });
  });

  /** Runs `cmd` to completion under `runtime`, returns its output. */
  const runWith = async (runtime: string, cmd: string): Promise<string> => {
    const c = await docker.createContainer({ Image: BUSYBOX_IMAGE, Cmd: ['sh', '-c', cmd], Labels: { [TEST_LABEL]: '1' }, HostConfig: { Runtime: runtime } });
    try {
      await c.start();
      const { StatusCode } = (await c.wait()) as { StatusCode: number };
      const out = (await c.logs({ stdout: true, stderr: true })).toString('utf8');
      expect(StatusCode, out).toBe(0);
      return out;
    } finally {
      await c.remove({ force: true });
    }
  };

  it('lists runsc among the engine runtimes', async () => {
    const info = (await docker.info()) as { Runtimes?: Record<string, unknown> };
    expect(Object.keys(info.Runtimes ?? {})).toContain(g.runtime);
  });

  it("runs a container on gVisor's kernel, not the host's", async () => {
    const sandboxed = await runWith(g.runtime, 'uname -r; dmesg');
    expect(sandboxed).toContain('Starting gVisor');
    // gVisor's own kernel version: 4.4.0 in older releases, '4.19.0-gvisor' in the one the test tools build.
    expect(sandboxed).toMatch(/\b4\.4\.0\b|-gvisor\b/);
    const plain = await runWith('runc', 'uname -r');
    expect(plain).toContain(os.release());
    expect(sandboxed).not.toContain(os.release());
  });
});
