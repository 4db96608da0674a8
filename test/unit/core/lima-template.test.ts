import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../app/contract/settings';
import { autoCpus, changesNeedingRecreate, limaEditExpression, renderLimaConfig, resolveVm, resolvedFromConfig, vmSettingsProblems, type HostFacts, type VmSettings } from '../../../app/core/lima-template';

const vm = (p: Partial<VmSettings> = {}): VmSettings => ({ ...defaultSettings().vm, ...p });
const mac: HostFacts = { platform: 'darwin', cpus: 10, home: '/Users/alice' };
const linux: HostFacts = { platform: 'linux', cpus: 2, home: '/home/al' };
const win: HostFacts = { platform: 'win32', cpus: 16, home: 'C:\\Users\\al' };
const src = { base: { minimumLimaVersion: '2.0.0', images: [{ location: 'https://x/img', arch: 'x86_64' }] }, moby: { containerd: { system: false, user: false }, portForwards: [{ guestSocket: '/var/run/docker.sock', hostSocket: '{{.Dir}}/sock/docker.sock' }] } };

describe('VM template', () => {
  it('defaults: half the host cores (at most 4), 4 GiB, 100 GiB, home read-only, containerd rootless, platform VM type', () => {
    expect([1, 2, 3, 8, 64].map(autoCpus)).toEqual([1, 1, 1, 4, 4]);
    const m = resolveVm(vm(), 'containerd', mac);
    expect(m).toEqual({ vmType: 'vz', mountType: 'virtiofs', cpus: 4, memoryGiB: 4, diskGiB: 100, runtime: 'containerd', rootful: false, mounts: [{ location: '~', writable: false }], kubernetes: { enabled: false, version: 'v1.33.5+k3s1', port: 6443, cacheDir: '' }, gvisor: false, gvisorDir: '' });
    const cfg = renderLimaConfig(m, src);
    expect(cfg).toMatchObject({ vmType: 'vz', cpus: 4, memory: '4GiB', disk: '100GiB', mountType: 'virtiofs', containerd: { system: false, user: true }, mounts: [{ location: '~', writable: false }] });
    expect(cfg.portForwards).toBeUndefined();
    expect(resolveVm(vm(), 'containerd', linux)).toMatchObject({ vmType: 'qemu', mountType: '9p', cpus: 1 });
    expect(resolveVm(vm(), 'containerd', win)).toMatchObject({ vmType: 'wsl2', mountType: null });
  });

  it('moby forwards the docker socket into sock/ and turns containerd off; rootful containerd is system-wide', () => {
    expect(renderLimaConfig(resolveVm(vm(), 'moby', mac), src)).toMatchObject({ containerd: { system: false, user: false }, portForwards: [{ hostSocket: '{{.Dir}}/sock/docker.sock' }] });
    expect(renderLimaConfig(resolveVm(vm({ containerdRootful: true }), 'containerd', mac), src).containerd).toEqual({ system: true, user: false });
  });

  it('the home folder is writable only when the user says so; other mounts follow it', () => {
    const m = resolveVm(vm({ mounts: [{ location: '/srv/data', writable: true }, { location: '/Users/alice', writable: true }] }), 'containerd', mac);
    expect(m.mounts).toEqual([{ location: '~', writable: true }, { location: '/srv/data', writable: true }]);
  });

  it('refuses what cannot work on this host, naming every problem, with INVALID_INPUT', () => {
    expect(vmSettingsProblems(vm({ vmType: 'vz' }), linux)).toEqual(['The vz VM type needs macOS; use qemu.']);
    expect(vmSettingsProblems(vm({ vmType: 'wsl2' }), mac)).toHaveLength(1);
    expect(vmSettingsProblems(vm({ mountType: '9p' }), mac)).toEqual(['9p mounts need the qemu VM type.']);
    expect(vmSettingsProblems(vm({ vmType: 'qemu', mountType: 'virtiofs' }), mac)).toHaveLength(1);
    expect(vmSettingsProblems(vm({ vmType: 'qemu', mountType: 'virtiofs' }), linux)).toEqual([]);
    expect(vmSettingsProblems(vm({ mountType: 'reverse-sshfs' }), win)).toEqual(['WSL2 shares files its own way: leave the mount type empty.']);
    expect(vmSettingsProblems(vm({ mounts: [{ location: 'rel/path', writable: false }, { location: '/a', writable: false }, { location: '/a', writable: true }] }), mac)).toEqual([
      'Mount "rel/path" is not an absolute path.',
      'Mount "/a" is listed twice.',
    ]);
    expect(() => resolveVm(vm({ vmType: 'vz', mountType: '9p' }), 'moby', linux)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { problems: expect.any(Array) } }));
  });

  it('reads an instance config back, and knows what limactl edit cannot change', () => {
    const m = resolveVm(vm({ cpus: 2, memoryGiB: 6 }), 'moby', mac);
    const cfg = { ...renderLimaConfig(m, src), mounts: [{ location: '/Users/alice', writable: false }] };
    expect(resolvedFromConfig(cfg, '/Users/alice')).toEqual(m);
    expect(changesNeedingRecreate(m, { ...m, vmType: 'qemu', diskGiB: 50, runtime: 'containerd' })).toEqual(['the VM type', 'a smaller disk', 'the container runtime']);
    expect(changesNeedingRecreate(m, { ...m, cpus: 4, diskGiB: 200 })).toEqual([]);
    expect(limaEditExpression(m).split(' | .param')[0]).toBe('.cpus = 2 | .memory = "6GiB" | .disk = "100GiB" | .mountType = "virtiofs" | .mounts = [{"location":"~","writable":false}]');
  });
});
