import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeSecurityView, runcBinaryName, runtimeName, securityContextFromOptions, type NativeContainer } from '../../../../app/core/posture/oci-view';
import { assess } from '../../../../app/core/posture/catalogue';

/** Real `nerdctl container inspect --mode=native` records (nerdctl 2 on the private containerd of test/peers). */
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/nerdctl-native', name), 'utf8')) as NativeContainer;
const ctx = securityContextFromOptions(['name=seccomp,profile=builtin', 'name=cgroupns'], false);

describe('nerdctl native inspect → security view', () => {
  it('nerdctl --privileged (labelled; the spec lacks SYS_RESOURCE on this host) is privileged and Unconfined', () => {
    const v = nativeSecurityView(fixture('privileged-created.json'), ctx);
    expect(v).toMatchObject({ privileged: true, seccomp: 'unconfined', runtime: 'runc', running: false, user: '0:0' });
    expect(assess(v, ctx).level).toBe('unconfined');
  });
  it('--user, no-new-privileges, --cap-drop ALL, --read-only, limits and restart come from the spec and labels', () => {
    const v = nativeSecurityView(fixture('hardened-created.json'), ctx);
    expect(v).toMatchObject({
      privileged: false,
      user: '1000:1000',
      noNewPrivileges: true,
      capabilities: [],
      readonlyRootfs: true,
      seccomp: 'default',
      limits: { memoryBytes: 64 << 20, cpus: 0.5, pidsLimit: 50 },
      restartPolicy: { name: 'always', maximumRetryCount: 0 },
      namespaces: { pid: 'private', network: 'private', networkName: 'bridge', ipc: 'private', uts: 'private' },
    });
    expect(v.mounts.map((m) => m.target)).not.toContain('/proc');
  });
  it('published ports come from the adapter when given', () => {
    const v = nativeSecurityView(fixture('hardened-created.json'), ctx, { ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }] });
    expect(assess(v, ctx).findings.map((f) => f.checkId)).toContain('ports-all-interfaces');
  });
  it('a label that is not JSON is an error naming it', () => {
    const doc = fixture('hardened-created.json');
    expect(() => nativeSecurityView({ ...doc, Labels: { ...doc.Labels, 'nerdctl/networks': '[bridge' } }, ctx)).toThrow(/nerdctl\/networks is not valid JSON/);
  });
  it('names runtimes by their shim', () => {
    expect(['io.containerd.runc.v2', 'io.containerd.runsc.v1', '/usr/bin/crun', undefined].map(runtimeName)).toEqual(['runc', 'runsc', 'crun', 'runc']);
  });
});

describe("the runtime of a container nerdctl runs through runc's shim with another binary (--runtime runsc)", () => {
  it('reads binary_name from the shim options (as nerdctl 2.3 stored it), and ignores other shims', () => {
    // containerd.runc.v1.Options{binary_name: "/tmp/s15/runsc-host"}, from a real container's native inspect.
    expect(runcBinaryName({ type_url: 'containerd.runc.v1.Options', value: 'MhMvdG1wL3MxNS9ydW5zYy1ob3N0' })).toBe('/tmp/s15/runsc-host');
    // field 1 (no_pivot_root, varint) before binary_name "runsc"
    expect(runcBinaryName({ type_url: 'containerd.runc.v1.Options', value: btoa(String.fromCharCode(0x08, 0x01, 0x32, 0x05, ...'runsc'.split('').map((c) => c.charCodeAt(0)))) })).toBe('runsc');
    expect(runcBinaryName({ type_url: 'containerd.runc.v1.Options', value: '' })).toBe('');
    expect(runcBinaryName({ type_url: 'io.containerd.runsc.v1.options', value: 'MhMvdG1wL3MxNS9ydW5zYy1ob3N0' })).toBe('');
    expect(runcBinaryName({ type_url: 'containerd.runc.v1.Options', value: btoa(String.fromCharCode(0x32, 0x7f)) })).toBe('');
    expect(runcBinaryName(null)).toBe('');
  });
});
