import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startLimaHome, type LimaHome } from '../support/lima';
import { describePeer, useLima } from '../support/peers';
import { which } from '../support/proc';
import { defaultSettings } from '../../app/contract/settings';
import { resolveVm } from '../../app/core/lima-template';
import { loadTemplateSources, renderLimaTemplate } from '../../app/adapters/lima/template';

describePeer('lima', 'limactl against a private LIMA_HOME', () => {
  let lima: LimaHome;
  beforeAll(async () => {
    useLima();
    lima = await startLimaHome();
  });
  afterAll(async () => {
    await lima?.dispose();
  });

  it('reports its pinned version', async () => {
    const pinned = /^LIMA_VERSION=v?(.+)$/m.exec(fs.readFileSync(path.resolve('test/tools/versions.env'), 'utf8'))?.[1];
    const r = await lima.limactlRun(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`limactl version ${pinned}`);
  });

  it('lists nothing in an empty LIMA_HOME, then a created instance as Stopped JSON lines', async () => {
    const empty = await lima.limactlRun(['list', '--format', 'json']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('No instance found');

    // A local image (an empty qcow2) keeps `create` offline; nothing boots.
    const qemuImg = which('qemu-img');
    expect(qemuImg, 'qemu-img (Debian qemu-utils, installed by scripts/test-tools.sh)').toBeTruthy();
    const image = path.join(lima.home, 'disk.qcow2');
    execFileSync(qemuImg as string, ['create', '-q', '-f', 'qcow2', image, '64M']);
    fs.chownSync(image, lima.uid, lima.gid);
    const template = path.join(lima.home, 'berth-peer.yaml');
    fs.writeFileSync(template, `vmType: qemu\nimages:\n- location: ${image}\n  arch: x86_64\ncontainerd:\n  system: false\n  user: false\n`);
    fs.chownSync(template, lima.uid, lima.gid);
    const created = await lima.limactlRun(['create', '--tty=false', '--name=berth-peer', template]);
    expect(created.code, created.stderr).toBe(0);

    const listed = await lima.limactlRun(['list', '--format', 'json']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; status: string; dir: string; vmType: string });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: 'berth-peer', status: 'Stopped', vmType: 'qemu', dir: path.join(lima.limaHome, 'berth-peer') });

    const deleted = await lima.limactlRun(['delete', 'berth-peer']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await lima.limactlRun(['list', '--format', 'json'])).stdout).toBe('');
  });

  it("accepts the template Berth renders with its options on (gVisor, Kubernetes): limactl validate", async () => {
    const settings = { ...defaultSettings().vm, containerdRootful: true, gvisor: true, kubernetes: true };
    const host = { platform: 'linux' as const, cpus: 2, home: lima.home, k3sCacheDir: path.join(lima.home, 'k3s'), gvisorDir: path.join(lima.home, 'gvisor') };
    const template = path.join(lima.home, 'berth-options.yaml');
    fs.writeFileSync(template, renderLimaTemplate(resolveVm(settings, 'containerd', host), await loadTemplateSources(path.resolve('resources'))));
    fs.chownSync(template, lima.uid, lima.gid);
    const r = await lima.limactlRun(['validate', template]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(': OK');
  });
});
