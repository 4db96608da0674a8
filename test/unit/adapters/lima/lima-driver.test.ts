import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createLimaDriver, loadTemplateSources, renderLimaTemplate } from '../../../../app/adapters/lima';
import { createProcessRunner } from '../../../../app/adapters/process/runner';
import type { VmDriver } from '../../../../app/ports/vm';
import { defaultSettings } from '../../../../app/contract/settings';
import { resolveVm, resolvedFromConfig, settingsNeedingRestart, limaEditExpression, type HostFacts, type TemplateSources, type VmSettings } from '../../../../app/core/lima-template';
import type { Logger } from '../../../../app/ports/logger';
import { berthLimaUnavailable, startBerthLima, type BerthLima } from '../../../support/lima-berth';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };
const skip = berthLimaUnavailable();
const vm = (patch: Partial<VmSettings>): VmSettings => ({ ...defaultSettings().vm, ...patch });

describe.skipIf(skip !== null)(`the real limactl accepts every rendered template${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lima: BerthLima;
  let src: TemplateSources;
  let n = 0;
  // limactl expands ~ to the HOME it runs with (the unprivileged user's): so does Berth, which runs as that user in production.
  let linux: HostFacts;
  let rw: string;
  const driverFor = (instance: string): VmDriver =>
    createLimaDriver({
      limaHome: lima.limaHome,
      instance,
      runner: createProcessRunner(quiet),
      log: quiet,
      bundledDir: path.resolve('resources', 'bin', 'linux-x64'),
      platform: 'linux',
      env: { PATH: '/nonexistent' },
      configuredPath: () => lima.limactl,
    });

  beforeAll(async () => {
    lima = await startBerthLima();
    rw = path.join(lima.home.dir, 'work');
    fs.mkdirSync(rw);
    // The k3s cache folder the template always mounts read-only (issue 17).
    linux = { platform: 'linux', cpus: 8, home: lima.homeDir, k3sCacheDir: path.join(lima.home.dir, 'k3s') };
    fs.mkdirSync(linux.k3sCacheDir!);
    src = await loadTemplateSources(path.resolve('resources'), { images: lima.images, containerdArchives: lima.containerdArchives });
  }, 60_000);
  afterAll(async () => {
    await lima?.dispose();
  });

  const combos: { name: string; s: VmSettings; runtime: 'containerd' | 'moby' }[] = [];
  for (const mountType of ['', '9p', 'virtiofs', 'reverse-sshfs'] as const) {
    for (const [rt, rootful] of [['containerd', false], ['containerd', true], ['moby', false]] as const) {
      combos.push({ name: `qemu, mount ${mountType || 'default'}, ${rt}${rt === 'containerd' ? (rootful ? ' rootful' : ' rootless') : ''}`, s: vm({ vmType: 'qemu', mountType, containerdRootful: rootful }), runtime: rt });
    }
  }
  combos.push({ name: 'qemu, Kubernetes on, containerd rootful, API port 7443', s: vm({ vmType: 'qemu', containerdRootful: true, kubernetes: true, kubernetesPort: 7443 }), runtime: 'containerd' });
  combos.push({ name: 'qemu, Kubernetes on, moby', s: vm({ vmType: 'qemu', kubernetes: true }), runtime: 'moby' });
  combos.push({ name: 'qemu with a writable mount, 2 CPUs, 6 GiB, 50 GiB', s: vm({ vmType: 'qemu', cpus: 2, memoryGiB: 6, diskGiB: 50, mounts: [{ location: '@rw', writable: true }] }), runtime: 'containerd' });

  it.each(combos)('create: $name', async ({ s, runtime }) => {
    const d = driverFor(`b${++n}`);
    const resolved = resolveVm({ ...s, mounts: s.mounts.map((m) => ({ ...m, location: m.location === '@rw' ? rw : m.location })) }, runtime, linux);
    await d.create(renderLimaTemplate(resolved, src));
    const inst = await d.inspect();
    expect(inst).toMatchObject({ name: d.instance, status: 'Stopped', vmType: 'qemu' });
    // What limactl stored is what Berth asked for: nothing is pending right after create.
    expect(settingsNeedingRestart(resolvedFromConfig(inst!.config!, linux.home), resolved)).toEqual([]);
    await d.delete();
    expect(await d.inspect()).toBeNull();
  });

  // vz and wsl2 cannot be created on a Linux host; limactl's own validator still checks their templates.
  it.each([
    { name: 'vz, virtiofs, containerd (macOS)', host: { cpus: 8, home: '/Users/alice', platform: 'darwin' as const }, s: vm({}), runtime: 'containerd' as const },
    { name: 'vz, reverse-sshfs, moby (macOS)', host: { cpus: 8, home: '/Users/alice', platform: 'darwin' as const }, s: vm({ mountType: 'reverse-sshfs' }), runtime: 'moby' as const },
    { name: 'qemu, 9p (macOS)', host: { cpus: 8, home: '/Users/alice', platform: 'darwin' as const }, s: vm({ vmType: 'qemu', mountType: '9p' }), runtime: 'containerd' as const },
    { name: 'wsl2, containerd rootful (Windows)', host: { cpus: 8, home: '/Users/alice', platform: 'win32' as const }, s: vm({ containerdRootful: true }), runtime: 'containerd' as const },
    { name: 'wsl2, moby (Windows)', host: { cpus: 8, home: '/Users/alice', platform: 'win32' as const }, s: vm({}), runtime: 'moby' as const },
  ])('template validate: $name', async ({ host, s, runtime }) => {
    const resolved = resolveVm(s, runtime, host);
    const file = path.join(lima.homeDir, `t${++n}.yaml`);
    fs.writeFileSync(file, renderLimaTemplate(resolved, src));
    const r = await lima.home.limactlRun(['--tty=false', 'template', 'validate', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(parse(fs.readFileSync(file, 'utf8')).vmType).toBe(resolved.vmType);
  });

  it('switches Kubernetes on and off on a stopped moby instance with limactl edit (params, API forward first, socket forward kept)', async () => {
    const d = driverFor(`k${++n}`);
    await d.create(renderLimaTemplate(resolveVm(vm({ vmType: 'qemu' }), 'moby', linux), src));
    const on = resolveVm(vm({ vmType: 'qemu', kubernetes: true, kubernetesPort: 7443 }), 'moby', linux);
    await d.edit(limaEditExpression(on));
    const edited = (await d.inspect())!.config!;
    expect(edited.param).toEqual({ BERTH_KUBERNETES: 'true', BERTH_K3S_VERSION: on.kubernetes!.version, BERTH_K3S_PORT: '7443', BERTH_K3S_RUNTIME: 'docker' });
    // limactl list shows the rules with Lima's defaults filled in (ranges, proto) and its own catch-all rules last.
    type Rule = { guestPort?: number; hostPort?: number; hostIP?: string; guestSocket?: string };
    const rules = edited.portForwards as Rule[];
    expect(rules[0]).toMatchObject({ guestPort: 7443, hostPort: 7443, hostIP: '127.0.0.1' });
    expect(rules.some((r) => r.guestSocket === '/var/run/docker.sock')).toBe(true);
    expect(settingsNeedingRestart(resolvedFromConfig(edited, linux.home), on)).toEqual([]);
    const off = resolveVm(vm({ vmType: 'qemu' }), 'moby', linux);
    await d.edit(limaEditExpression(off));
    const back = (await d.inspect())!.config!;
    expect((back.portForwards as Rule[]).some((r) => r.hostPort === 7443)).toBe(false);
    expect((back.portForwards as Rule[]).some((r) => r.guestSocket === '/var/run/docker.sock')).toBe(true);
    expect(settingsNeedingRestart(resolvedFromConfig(back, linux.home), off)).toEqual([]);
    await d.delete();
  });

  it('edits a stopped instance, stops a stopped one without error, deletes only its own instance, and factory-resets its LIMA_HOME', async () => {
    const d = driverFor('berth');
    const other = driverFor('other');
    await other.create(renderLimaTemplate(resolveVm(vm({}), 'containerd', linux), src));
    await d.create(renderLimaTemplate(resolveVm(vm({ cpus: 1 }), 'containerd', linux), src));
    const wanted = resolveVm(vm({ cpus: 3, memoryGiB: 2, mounts: [{ location: rw, writable: true }] }), 'containerd', linux);
    await d.edit(limaEditExpression(wanted));
    const edited = await d.inspect();
    expect(edited).toMatchObject({ cpus: 3, memoryBytes: 2 * 1024 ** 3 });
    expect(settingsNeedingRestart(resolvedFromConfig(edited!.config!, linux.home), wanted)).toEqual([]);
    expect(await d.stop({ timeoutMs: 10_000 })).toEqual({ forced: false });
    expect(await d.hostAgentAlive()).toBe(false);
    expect(await d.diskUsage()).toBeGreaterThan(0);
    expect(await d.freeSpace()).toBeGreaterThan(0);
    expect(await d.logNames()).toEqual([]);
    await expect(d.readLog('../../etc/passwd' as never, 100)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await d.delete();
    expect(await d.inspect()).toBeNull();
    expect(await other.inspect()).toMatchObject({ name: 'other', status: 'Stopped' });
    await d.factoryReset();
    expect(fs.existsSync(lima.limaHome)).toBe(false);
    fs.mkdirSync(lima.limaHome);
  });

  it('says what to do when no limactl is found', async () => {
    const d = createLimaDriver({
      limaHome: lima.limaHome,
      instance: 'x',
      runner: createProcessRunner(quiet),
      log: quiet,
      bundledDir: '/nonexistent',
      platform: 'linux',
      env: { PATH: '/nonexistent' },
      configuredPath: () => '',
    });
    await expect(d.locate()).rejects.toMatchObject({ code: 'NOT_FOUND', hint: expect.stringMatching(/Native mode/) });
  });
});
