import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultSettings } from '../../../app/contract/settings';
import { GVISOR_GUEST_DIR, gvisorContainerdConfig, gvisorProvisionScript } from '../../../app/core/gvisor-vm';
import { k3sProvisionScript } from '../../../app/core/k3s';
import { changesNeedingRecreate, limaEditExpression, renderLimaConfig, resolveVm, resolvedFromConfig, settingsNeedingRestart, vmSettingsProblems, type HostFacts, type VmSettings } from '../../../app/core/lima-template';
import { renderLimaTemplate } from '../../../app/adapters/lima/template';

const vm = (p: Partial<VmSettings> = {}): VmSettings => ({ ...defaultSettings().vm, ...p });
const linux: HostFacts = { platform: 'linux', cpus: 4, home: '/home/al', k3sCacheDir: '/home/al/.berth/k3s', gvisorDir: '/opt/berth/resources/gvisor' };
const base = { minimumLimaVersion: '2.0.0', provision: [{ mode: 'system', script: '#!/bin/sh\ntrue\n' }] };
const src = { base, moby: { containerd: { system: false, user: false }, portForwards: [{ guestSocket: '/var/run/docker.sock', hostSocket: '{{.Dir}}/sock/docker.sock' }] } };
const on = (p: Partial<VmSettings> = {}) => vm({ gvisor: true, containerdRootful: true, ...p });

describe('gVisor for containerd in the VM template', () => {
  it('off by default: no script, no param, no mount', () => {
    expect(defaultSettings().vm.gvisor).toBe(false);
    const cfg = renderLimaConfig(resolveVm(vm(), 'containerd', linux), src);
    expect(JSON.stringify(cfg)).not.toMatch(/gvisor|runsc/i);
  });

  it('on: the host folder mounted read-only, the param, and the set-up script after the others', () => {
    const cfg = renderLimaConfig(resolveVm(on(), 'containerd', linux), src) as { mounts: unknown[]; param: Record<string, string>; provision: unknown[]; containerd: unknown };
    expect(cfg.containerd).toEqual({ system: true, user: false });
    expect(cfg.mounts).toContainEqual({ location: linux.gvisorDir, mountPoint: GVISOR_GUEST_DIR, writable: false });
    expect(cfg.param).toMatchObject({ BERTH_GVISOR: 'true' });
    expect(cfg.provision).toEqual([base.provision[0], { mode: 'system', script: k3sProvisionScript() }, { mode: 'system', script: gvisorProvisionScript() }]);
    // The text Lima reads keeps the script byte for byte.
    const text = renderLimaTemplate(resolveVm(on(), 'containerd', linux), src);
    expect((parse(text) as { provision: Array<{ script: string }> }).provision[2]?.script).toBe(gvisorProvisionScript());
  });

  it('the script installs both binaries from the mount, registers the runtime in conf.d, restarts containerd only on change, and is valid sh', () => {
    const s = gvisorProvisionScript();
    expect(s).toContain(`for b in runsc containerd-shim-runsc-v1; do`);
    expect(s).toContain(`"${GVISOR_GUEST_DIR}/$b"`);
    expect(s).toContain('/etc/containerd/conf.d/berth-gvisor.toml');
    expect(s).toContain('runtime_type = "io.containerd.runsc.v1"');
    expect(s).toMatch(/if \[ "\$changed" = true \] && systemctl is-active --quiet containerd.service; then systemctl restart containerd.service; fi/);
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-gvisor-')), 'provision.sh');
    fs.writeFileSync(f, s);
    execFileSync('sh', ['-n', f]);
    expect(gvisorContainerdConfig()).toMatch(/^# Written by Berth.*\nversion = 2\n\[plugins\."io\.containerd\.grpc\.v1\.cri"\.containerd\.runtimes\.runsc\]\n {2}runtime_type = "io\.containerd\.runsc\.v1"\n$/);
  });

  it('problems: moby, rootless containerd, no gVisor folder on this host', () => {
    expect(vmSettingsProblems(on(), linux, 'containerd')).toEqual([]);
    expect(vmSettingsProblems(on(), linux, 'moby').join(' ')).toMatch(/choose the containerd runtime/);
    expect(vmSettingsProblems(on({ containerdRootful: false }), linux, 'containerd').join(' ')).toMatch(/needs it rootful/);
    const { gvisorDir: _none, ...bare } = linux;
    expect(vmSettingsProblems(on(), bare, 'containerd').join(' ')).toMatch(/gVisor folder/);
    expect(() => resolveVm(on(), 'moby', linux)).toThrow(/containerd runtime/);
  });

  it('read back from the instance config; switching it is a restart and a recreate (the script is part of the template); edits keep the mount', () => {
    const wanted = resolveVm(on(), 'containerd', linux);
    expect(wanted).toMatchObject({ gvisor: true, gvisorDir: linux.gvisorDir });
    const back = resolvedFromConfig(renderLimaConfig(wanted, src), linux.home);
    expect(back).toMatchObject({ gvisor: true, gvisorDir: linux.gvisorDir });
    expect(back.mounts.map((m) => m.location)).toEqual(['~']);
    expect(settingsNeedingRestart(back, wanted)).toEqual([]);
    const off = resolveVm(vm({ containerdRootful: true }), 'containerd', linux);
    expect(off.gvisorDir).toBe('');
    expect(resolvedFromConfig(renderLimaConfig(off, src), linux.home)).toMatchObject({ gvisor: false, gvisorDir: '' });
    expect(settingsNeedingRestart(off, wanted)).toEqual(['gvisor']);
    expect(changesNeedingRecreate(off, wanted)).toEqual(['gVisor (its set-up is part of the VM’s template)']);
    expect(changesNeedingRecreate(wanted, off)).toEqual(['removing gVisor']);
    expect(limaEditExpression(wanted)).toContain(JSON.stringify({ location: linux.gvisorDir, mountPoint: GVISOR_GUEST_DIR, writable: false }));
    expect(limaEditExpression(off)).not.toContain(GVISOR_GUEST_DIR);
  });
});
