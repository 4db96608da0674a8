import { describe, expect, it } from 'vitest';
import { assess, CHECKS, evaluate, levelOf } from '../../../../app/core/posture/catalogue';
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES } from '../../../../app/core/posture/capabilities';
import { CheckGroup } from '../../../../app/contract/security';
import { hardenedView, nativeCtx, plainView, vmCtx } from './view-fixture';

const ids = (v: Parameters<typeof evaluate>[0], ctx = nativeCtx) => evaluate(v, ctx).map((f) => f.checkId);

describe('the catalogue', () => {
  it('has about 45 checks in every group, unique ids, each with a fix and a level or info', () => {
    expect(CHECKS.length).toBeGreaterThanOrEqual(45);
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
    for (const g of CheckGroup.options) expect(CHECKS.some((c) => c.group === g), g).toBe(true);
    for (const c of CHECKS) expect(c.fix.length, c.id).toBeGreaterThan(5);
    expect(CHECKS.filter((c) => c.cis).length).toBeGreaterThan(30);
    expect(CHECKS.filter((c) => c.pss).length).toBeGreaterThan(15);
  });
});

describe('levels: the weakest link', () => {
  it('a plain docker run is Baseline (runs as root, no-new-privileges off, NET_RAW)', () => {
    const p = assess(plainView(), nativeCtx);
    expect(p.level).toBe('baseline');
    expect(ids(plainView())).toEqual(expect.arrayContaining(['root-user', 'no-new-privileges', 'cap-net-raw', 'no-memory-limit', 'no-pids-limit', 'writable-rootfs']));
  });
  it('a fully hardened container is Hardened', () => {
    const p = assess(hardenedView({ hasHealthcheck: true }), nativeCtx);
    expect(p.findings.filter((f) => f.blocks)).toEqual([]);
    expect(p.level).toBe('hardened');
  });
  it('one baseline finding makes it Unconfined, however good the rest is (never additive)', () => {
    expect(assess(hardenedView({ namespaces: { ...hardenedView().namespaces, pid: 'host' } }), nativeCtx).level).toBe('unconfined');
  });
  it('hardened-level findings alone leave it Restricted', () => {
    expect(assess(hardenedView({ limits: { memoryBytes: null, cpus: null, pidsLimit: null } }), nativeCtx).level).toBe('restricted');
  });
  it('informational findings do not change the level', () => {
    expect(levelOf([{ blocks: null }, { blocks: null }])).toBe('hardened');
    expect(levelOf([{ blocks: 'hardened' }, { blocks: 'baseline' }, { blocks: 'restricted' }])).toBe('unconfined');
  });
  it('acknowledged findings still count for the level but not as open', () => {
    const v = plainView();
    const all = assess(v, nativeCtx);
    const acks = Object.fromEntries(all.findings.map((f) => [f.checkId, { reason: 'dev box', at: '2026-01-01T00:00:00Z' }]));
    const acked = assess(v, nativeCtx, acks);
    expect(acked.level).toBe(all.level);
    expect(acked.open).toBe(0);
    expect(all.open).toBeGreaterThan(0);
  });
});

describe('effective state', () => {
  it('privileged is reported once, not again as seccomp/AppArmor/devices/each capability', () => {
    const v = plainView({ privileged: true, capabilities: [...ALL_CAPABILITIES], seccomp: 'unconfined', apparmor: 'unconfined', devices: ['every host device (privileged)'] });
    const f = ids(v);
    expect(f).toContain('privileged');
    for (const x of ['seccomp-unconfined', 'apparmor-unconfined', 'devices', 'cap-sys-admin', 'cap-all', 'cap-other-added']) expect(f).not.toContain(x);
    expect(evaluate(v, nativeCtx).find((x) => x.checkId === 'privileged')?.severity).toBe('critical');
  });
  it('root under a user namespace or rootless engine is softer', () => {
    expect(evaluate(plainView(), nativeCtx).find((f) => f.checkId === 'root-user')?.severity).toBe('medium');
    expect(evaluate(plainView(), { ...nativeCtx, rootless: true }).find((f) => f.checkId === 'root-user')?.severity).toBe('low');
    expect(ids(plainView(), { ...nativeCtx, rootless: true })).not.toContain('userns');
  });
  it('--userns host on a remapping engine is a finding', () => {
    expect(ids(plainView(), { ...nativeCtx, userns: true })).toContain('host-userns');
    expect(ids(plainView({ namespaces: { ...plainView().namespaces, user: 'private' } }), { ...nativeCtx, userns: true })).not.toContain('host-userns');
  });
  it('added capabilities are named with what they allow', () => {
    const v = plainView({ capabilities: [...DEFAULT_CAPABILITIES, 'SYS_ADMIN', 'NET_ADMIN', 'SYS_TIME'].sort(), addedCapabilities: ['NET_ADMIN', 'SYS_ADMIN', 'SYS_TIME'] });
    const f = evaluate(v, nativeCtx);
    expect(f.find((x) => x.checkId === 'cap-sys-admin')).toMatchObject({ severity: 'critical', blocks: 'baseline', cis: '5.3' });
    expect(f.find((x) => x.checkId === 'cap-net-admin')?.severity).toBe('high');
    expect(f.find((x) => x.checkId === 'cap-other-added')?.reason).toMatch(/SYS_TIME: set the host clock/);
  });
});

describe('context-dependent severity', () => {
  const published = plainView({ ports: [{ hostIp: '0.0.0.0', hostPort: 5432, containerPort: 5432, protocol: 'tcp' }] });
  it('a database on every interface of native Linux is a high, baseline finding', () => {
    const f = evaluate(published, nativeCtx);
    expect(f.find((x) => x.checkId === 'sensitive-port-exposed')).toMatchObject({ severity: 'high', blocks: 'baseline' });
    expect(f.find((x) => x.checkId === 'ports-all-interfaces')).toMatchObject({ severity: 'medium', blocks: 'restricted' });
  });
  it('behind a VM that forwards to loopback the same port is informational', () => {
    const f = evaluate(published, vmCtx);
    expect(f.find((x) => x.checkId === 'sensitive-port-exposed')).toBeUndefined();
    expect(f.find((x) => x.checkId === 'ports-all-interfaces')).toMatchObject({ severity: 'info', blocks: null });
  });
  it('a port on 127.0.0.1 is fine', () => {
    expect(ids(plainView({ ports: [{ hostIp: '127.0.0.1', hostPort: 5432, containerPort: 5432, protocol: 'tcp' }] }))).not.toContain('ports-all-interfaces');
  });
});

describe('mounts: graded by path, not banned', () => {
  const m = (source: string, readOnly = false) => ({ type: 'bind' as const, source, target: '/x', readOnly, propagation: 'rprivate' });
  it('the engine socket is critical, even read-only', () => {
    expect(evaluate(plainView({ mounts: [m('/var/run/docker.sock', true)] }), nativeCtx).find((f) => f.checkId === 'engine-socket')?.severity).toBe('critical');
    expect(ids(plainView({ mounts: [m('/run/containerd/containerd.sock')] }))).toContain('engine-socket');
  });
  it('/etc writable blocks baseline; read-only blocks restricted; a project folder is only informational', () => {
    expect(ids(plainView({ mounts: [m('/etc')] }))).toContain('sensitive-mount-rw');
    expect(ids(plainView({ mounts: [m('/etc', true)] }))).toContain('sensitive-mount-ro');
    const dev = evaluate(plainView({ mounts: [m('/home/ann/project')] }), nativeCtx);
    expect(dev.map((f) => f.checkId)).not.toContain('sensitive-mount-rw');
    expect(dev.find((f) => f.checkId === 'bind-mount-rw')?.severity).toBe('info');
  });
});

describe('secrets in the environment', () => {
  it('names secret-looking variables without ever showing their values', () => {
    const v = plainView({ env: [{ name: 'DB_PASSWORD', value: 's3cr3t-value' }, { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db' }, { name: 'GITHUB', value: `ghp_${'a'.repeat(36)}` }] });
    const f = evaluate(v, nativeCtx);
    const names = f.find((x) => x.checkId === 'secret-env-names');
    const creds = f.find((x) => x.checkId === 'secret-env-values');
    expect(names?.reason).toContain('DB_PASSWORD');
    expect(names?.reason).not.toContain('DB_PASSWORD_FILE');
    expect(creds?.reason).toMatch(/GITHUB holds a GitHub token/);
    expect(JSON.stringify(f)).not.toMatch(/s3cr3t|ghp_a/);
  });
  it('placeholders and file paths are not secrets', () => {
    expect(ids(plainView({ env: [{ name: 'PASSWORD', value: '' }, { name: 'API_KEY', value: '/run/secrets/key' }] }))).not.toContain('secret-env-names');
  });
});

describe('runtime and image', () => {
  it('gVisor counts as a sandbox, runc does not (informational)', () => {
    expect(assess(plainView({ runtime: 'runsc' }), nativeCtx)).toMatchObject({ runtimeLabel: 'gVisor', sandboxed: true });
    expect(evaluate(plainView(), nativeCtx).find((f) => f.checkId === 'sandbox-runtime')).toMatchObject({ blocks: null, severity: 'info' });
  });
  it('a full distribution with a package manager keeps it below Hardened', () => {
    const v = hardenedView({ imageInfo: { imageId: 'x', class: 'full', distro: 'debian', shell: '/bin/bash', packageManager: 'apt', user: '', nonRootUser: false, sizeBytes: 500e6, sizeBand: 'large' } });
    expect(ids(v)).toEqual(expect.arrayContaining(['image-full-distro', 'image-package-manager', 'image-shell', 'image-root-user', 'image-size']));
    expect(assess(v, nativeCtx).level).toBe('restricted');
  });
});
