import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultSettings, Settings } from '../../../app/contract/settings';
import { K3S_GUEST_CACHE, k3sArch, k3sAssetUrl, k3sAssets, k3sProvisionScript, k3sResetCommand, parseSha256Sums } from '../../../app/core/k3s';
import { changesNeedingRecreate, limaEditExpression, renderLimaConfig, resolveVm, resolvedFromConfig, settingsNeedingRestart, vmSettingsProblems, type HostFacts, type VmSettings } from '../../../app/core/lima-template';
import { renderLimaTemplate } from '../../../app/adapters/lima/template';

const vm = (p: Partial<VmSettings> = {}): VmSettings => ({ ...defaultSettings().vm, ...p });
const mac: HostFacts = { platform: 'darwin', cpus: 8, home: '/Users/alice', k3sCacheDir: '/Users/alice/Library/Application Support/Berth/k3s' };
const base = { minimumLimaVersion: '2.0.0', provision: [{ mode: 'system', script: '#!/bin/sh\ntrue\n' }] };
const src = { base, moby: { containerd: { system: false, user: false }, portForwards: [{ guestSocket: '/var/run/docker.sock', hostSocket: '{{.Dir}}/sock/docker.sock' }] } };
const on = (p: Partial<VmSettings> = {}) => vm({ kubernetes: true, containerdRootful: true, ...p });

describe('k3s in the VM template', () => {
  it('off by default: the script and the params are there (a later switch is an edit); no cache mount, no API forward', () => {
    const cfg = renderLimaConfig(resolveVm(vm(), 'containerd', mac), src);
    expect(cfg.param).toEqual({ BERTH_KUBERNETES: 'false', BERTH_K3S_VERSION: 'v1.33.5+k3s1', BERTH_K3S_PORT: '6443', BERTH_K3S_RUNTIME: 'containerd' });
    expect(cfg.mounts).toEqual([{ location: '~', writable: false }]);
    expect(renderLimaConfig(resolveVm(on(), 'containerd', mac), src).mounts).toContainEqual({ location: mac.k3sCacheDir, mountPoint: K3S_GUEST_CACHE, writable: false });
    expect(cfg.provision).toEqual([base.provision[0], { mode: 'system', script: k3sProvisionScript() }]);
    expect(cfg.portForwards).toBeUndefined();
  });

  it('on: the API port is forwarded explicitly to 127.0.0.1, before moby’s socket forward', () => {
    const cfg = renderLimaConfig(resolveVm(on({ kubernetesPort: 7443 }), 'moby', mac), src);
    expect(cfg.param).toMatchObject({ BERTH_KUBERNETES: 'true', BERTH_K3S_PORT: '7443', BERTH_K3S_RUNTIME: 'docker' });
    expect(cfg.portForwards).toEqual([{ guestPort: 7443, hostPort: 7443, hostIP: '127.0.0.1' }, src.moby.portForwards[0]]);
    const text = renderLimaTemplate(resolveVm(on(), 'containerd', mac), src);
    expect(parse(text)).toMatchObject({ containerd: { system: true, user: false }, portForwards: [{ guestPort: 6443, hostPort: 6443, hostIP: '127.0.0.1' }] });
  });

  it('refuses Kubernetes on rootless containerd and without a cache folder, naming why', () => {
    expect(vmSettingsProblems(vm({ kubernetes: true }), mac, 'containerd')).toEqual([expect.stringContaining('turn on rootful containerd')]);
    expect(vmSettingsProblems(vm({ kubernetes: true }), mac, 'moby')).toEqual([]);
    expect(vmSettingsProblems(on(), { ...mac, k3sCacheDir: undefined }, 'containerd')).toEqual([expect.stringContaining('cache folder')]);
    expect(() => resolveVm(vm({ kubernetes: true }), 'containerd', mac)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(defaultSettings().vm.kubernetesPort).toBe(6443);
    expect(Settings.safeParse({ vm: { kubernetesVersion: 'latest' } }).success).toBe(false);
    expect(Settings.safeParse({ vm: { kubernetesPort: 80 } }).success).toBe(false);
  });

  it('reads Kubernetes back from the instance; switching it is a restart with an edit, and an old VM without it needs recreating', () => {
    const offVm = resolveVm(vm({ containerdRootful: true }), 'containerd', mac);
    const onVm = resolveVm(on({ kubernetesPort: 7443 }), 'containerd', mac);
    const cfg = renderLimaConfig(onVm, src);
    expect(resolvedFromConfig(cfg, mac.home)).toEqual(onVm);
    expect(settingsNeedingRestart(offVm, onVm)).toEqual(['kubernetes']);
    expect(changesNeedingRecreate(offVm, onVm)).toEqual([]);
    const old = { ...renderLimaConfig(offVm, src) } as Record<string, unknown>;
    delete old.param;
    expect(resolvedFromConfig(old, mac.home).kubernetes).toBeNull();
    expect(changesNeedingRecreate(resolvedFromConfig(old, mac.home), onVm)).toEqual(['Kubernetes (this VM was created before Berth could run it)']);
    // Without Berth's Kubernetes set-up and with Kubernetes off, nothing is pending, and an edit sets no Kubernetes param
    // (limactl refuses a param no provision script uses; the real-VM suite's template has none).
    expect(settingsNeedingRestart(resolvedFromConfig(old, mac.home), offVm)).toEqual([]);
    const plain = limaEditExpression({ ...offVm, cpus: 4 }, resolvedFromConfig(old, mac.home));
    expect(plain).toContain('.cpus = 4');
    expect(plain).not.toContain('.param');
    expect(plain).not.toContain('.portForwards');
    const expr = limaEditExpression(onVm);
    expect(expr).toContain(`{"location":${JSON.stringify(mac.k3sCacheDir)},"mountPoint":"${K3S_GUEST_CACHE}","writable":false}`);
    expect(expr).toContain('.param = {"BERTH_KUBERNETES":"true","BERTH_K3S_VERSION":"v1.33.5+k3s1","BERTH_K3S_PORT":"7443","BERTH_K3S_RUNTIME":"containerd"}');
    expect(expr).toContain('.portForwards = [{"guestPort":7443,"hostPort":7443,"hostIP":"127.0.0.1"}] + ((.portForwards // []) | map(select(has("guestSocket"))))');
  });

  it('assets, URLs and checksum files of a release', () => {
    expect(k3sArch('x64')).toBe('amd64');
    expect(k3sArch('aarch64')).toBe('arm64');
    expect(() => k3sArch('riscv64')).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }));
    expect(k3sAssets('arm64')).toEqual({ binary: 'k3s-arm64', images: 'k3s-airgap-images-arm64.tar.zst', checksums: 'sha256sum-arm64.txt' });
    expect(k3sAssetUrl('https://example.invalid/dl/', 'v1.33.5+k3s1', 'k3s')).toBe('https://example.invalid/dl/v1.33.5%2Bk3s1/k3s');
    expect(() => k3sAssetUrl('https://x', '../../etc', 'k3s')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const h = 'a'.repeat(64);
    expect(parseSha256Sums(`${h}  k3s\n${'B'.repeat(64)} *k3s-airgap-images-amd64.tar.zst\n\n`)).toEqual(new Map([['k3s', h], ['k3s-airgap-images-amd64.tar.zst', 'b'.repeat(64)]]));
    expect(() => parseSha256Sums('not a checksum\n')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('the provision script and the reset command are valid sh (sh -n), and the script installs only from the cache', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-k3s-sh-'));
    try {
      const file = path.join(dir, 'p.sh');
      fs.writeFileSync(file, k3sProvisionScript());
      execFileSync('sh', ['-n', file]);
      fs.writeFileSync(file, k3sResetCommand()[2]!);
      execFileSync('sh', ['-n', file]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const script = k3sProvisionScript();
    expect(script).not.toMatch(/curl|wget|get\.k3s\.io/);
    expect(script).toContain('sock=/run/containerd/containerd.sock');
    expect(script).toContain('runtime="container-runtime-endpoint: unix://$sock"');
    expect(script).toContain("runtime='docker: true'");
    expect(script).toContain('--namespace k8s.io load');
    expect(script).toContain('sha256sum -c');
  });
});
