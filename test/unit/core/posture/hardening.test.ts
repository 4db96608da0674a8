import { describe, expect, it } from 'vitest';
import { planHardening, tmpfsPaths, type HardeningInput } from '../../../../app/core/posture/hardening';
import { classifyImage, parseOsRelease, RootfsIndex, sizeBand, type RootfsEntry } from '../../../../app/core/posture/minimality';
import { nativeCtx, plainView, vmCtx } from './view-fixture';

const input = (over: Partial<HardeningInput> = {}): HardeningInput => ({
  view: plainView({
    ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    env: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
    restartPolicy: { name: 'always', maximumRetryCount: 0 },
  }),
  ctx: nativeCtx,
  current: { image: 'nginx:1.27', name: 'web', ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }], env: [{ name: 'DB_PASSWORD', value: 'hunter2' }], security: { capDrop: ['SYS_CHROOT'] }, restartPolicy: { name: 'always' } },
  changedPaths: ['/var/cache/nginx/client_temp', '/run/nginx.pid', '/etc/hosts', '/data/x'],
  runtimes: ['runc', 'runsc'],
  ...over,
});

describe('hardening preview', () => {
  it('selects the recommended in-place and conservative items by default, strict ones are opt-in', () => {
    const p = planHardening(input());
    expect(p.selected).toEqual(['limit-memory', 'limit-cpu', 'limit-pids', 'restart-on-failure', 'no-new-privileges', 'drop-default-caps', 'loopback-ports']);
    expect(p.items.filter((i) => i.class === 'strict').map((i) => i.id)).toEqual(['drop-all-caps', 'read-only-rootfs', 'non-root-user', 'runtime-gvisor']);
    expect(p.update).toEqual({ limits: { memoryBytes: 512 << 20, cpus: 1, pidsLimit: 256 }, restartPolicy: { name: 'on-failure', maximumRetryCount: 5 } });
    // capDrop merges with what the container already drops; ports go to loopback.
    expect(p.recreate).toEqual({ security: { noNewPrivileges: true, capDrop: ['SYS_CHROOT', 'NET_RAW', 'MKNOD', 'AUDIT_WRITE'] }, ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }] });
    expect(p.levelBefore).toBe('baseline');
    expect(p.levelAfter).toBe('baseline'); // still root: Restricted needs a non-root user
  });
  it('diff, CLI line and compose snippet say the same, with secrets masked', () => {
    const p = planHardening(input());
    expect(p.diff).toEqual(expect.arrayContaining([{ op: '-', text: '-p 0.0.0.0:8080:80' }, { op: '+', text: '-p 127.0.0.1:8080:80' }, { op: '+', text: '--security-opt no-new-privileges' }, { op: '+', text: '--cap-drop NET_RAW' }, { op: '+', text: '--memory 512m' }]));
    expect(p.cli).toMatch(/^docker run -d --name web .*--cap-drop NET_RAW.*--security-opt no-new-privileges/);
    expect(p.cli).not.toContain('hunter2');
    expect(JSON.stringify(p.diff)).not.toContain('hunter2');
    expect(p.compose).toContain('"no-new-privileges:true"');
    expect(p.compose).toContain('cap_drop: ["SYS_CHROOT", "NET_RAW", "MKNOD", "AUDIT_WRITE"]');
    expect(p.compose).toContain('ports: !override');
    expect(p.compose).toContain('mem_limit: 512m');
    expect(p.compose).toContain('restart: "on-failure:5"');
  });
  it('strict items reach Restricted and Hardened when chosen', () => {
    const all = planHardening(input()).items.map((i) => i.id);
    const p = planHardening(input(), all);
    expect(p.recreate).toMatchObject({ user: '65534:65534', runtime: 'runsc', security: { readonlyRootfs: true, capDrop: ['ALL'] } });
    expect(p.recreate?.mounts?.filter((m) => m.type === 'tmpfs').map((m) => m.target)).toEqual(['/data', '/run', '/tmp', '/var/cache/nginx']);
    expect(p.levelAfter).toBe('baseline'); // the secret in the environment remains: it needs a file, Berth cannot move it
    const clean = input({ view: { ...input().view, env: [] }, current: { ...input().current, env: [] } });
    expect(planHardening(clean, all).levelAfter).toBe('hardened');
  });
  it('behind a VM ports are left alone; compose-managed containers are flagged with a warning', () => {
    expect(planHardening(input({ ctx: vmCtx })).items.map((i) => i.id)).not.toContain('loopback-ports');
    const p = planHardening(input({ view: plainView({ composeProject: 'shop', composeService: 'api' }) }));
    expect(p.composeManaged).toBe(true);
    expect(p.compose.startsWith('services:\n  api:\n')).toBe(true);
    expect(p.warnings.join(' ')).toMatch(/compose.override.yaml/);
  });
  it('reports unknown item ids', () => {
    expect(planHardening(input(), ['no-new-privileges', 'bogus']).unknown).toEqual(['bogus']);
  });
  it('learns tmpfs folders from the diff, skipping /etc and mount targets', () => {
    expect(tmpfsPaths(['/etc/hosts', '/var/lib/app/db', '/srv/data/x'], ['/srv/data'])).toEqual(['/tmp', '/var/lib/app']);
    // The folders above a change that the diff lists too (nerdctl: A /var, A /var/cache) get no tmpfs of their own.
    expect(tmpfsPaths(['/var', '/var/cache', '/var/cache/app', '/var/cache/app/x', '/run', '/run/app.pid', '/data'], ['/data'])).toEqual(['/run', '/tmp', '/var/cache/app']);
    expect(tmpfsPaths(['/root/.ash_history', '/root/.cache/x/y'], [])).toEqual(['/root', '/tmp']);
  });
});

describe('image minimality', () => {
  const probe = { imageId: 'sha256:1', user: '', sizeBytes: 5e6, distro: null, present: [] as string[] };
  it('no shell and no package manager is distroless', () => {
    expect(classifyImage({ ...probe, user: 'nonroot' })).toMatchObject({ class: 'distroless', shell: null, packageManager: null, nonRootUser: true, sizeBand: 'tiny' });
  });
  it('alpine is slim; debian with apt at 120 MB is full', () => {
    expect(classifyImage({ ...probe, distro: 'alpine', present: ['/bin/sh', '/sbin/apk'] })).toMatchObject({ class: 'slim', packageManager: 'apk' });
    expect(classifyImage({ ...probe, sizeBytes: 420 * 2 ** 20, distro: 'debian', present: ['/bin/bash', '/bin/sh', '/usr/bin/apt-get', '/usr/bin/dpkg'] })).toMatchObject({ class: 'full', shell: '/bin/bash', packageManager: 'apt', nonRootUser: false });
  });
  it('reads os-release and bands sizes', () => {
    expect(parseOsRelease('NAME="Debian GNU/Linux"\nID=debian\n')).toBe('debian');
    expect(parseOsRelease('NAME="Alpine Linux"\n')).toBe('Alpine Linux');
    expect([1e6, 50e6, 300e6, 900e6, 2e9].map(sizeBand)).toEqual(['tiny', 'small', 'medium', 'large', 'huge']);
  });
});

describe('the ping sysctl where the engine does not open ping_group_range (containerd)', () => {
  const containerd = { ...nativeCtx, pingNeedsSysctl: true };
  const ping = { 'net.ipv4.ping_group_range': '0 2147483647' };
  it('dropping NET_RAW adds it, in the recreate, the CLI line and the compose snippet; other sysctls stay', () => {
    const p = planHardening(input({ ctx: containerd, current: { ...input().current, sysctls: { 'net.core.somaxconn': '1024' } } }));
    expect(p.recreate?.sysctls).toEqual({ 'net.core.somaxconn': '1024', ...ping });
    expect(p.items.find((i) => i.id === 'drop-default-caps')?.detail).toMatch(/ping_group_range/);
    expect(p.cli).toContain("--sysctl 'net.ipv4.ping_group_range=0 2147483647'");
    expect(p.compose).toContain('    sysctls:\n      net.core.somaxconn: "1024"\n      net.ipv4.ping_group_range: "0 2147483647"');
  });
  it('with ALL dropped too', () => {
    const p = planHardening(input({ ctx: containerd }), ['drop-all-caps']);
    expect(p.recreate?.sysctls).toEqual(ping);
  });
  it('not on dockerd (it sets the range itself), not in the host network, not when already set, not when NET_RAW stays', () => {
    expect(planHardening(input()).recreate?.sysctls).toBeUndefined();
    expect(planHardening(input({ ctx: containerd, view: plainView({ namespaces: { ...plainView().namespaces, network: 'host' } }) })).recreate?.sysctls).toBeUndefined();
    expect(planHardening(input({ ctx: containerd, view: plainView({ sysctls: { 'net.ipv4.ping_group_range': '0 0' } }) })).recreate?.sysctls).toBeUndefined();
    expect(planHardening(input({ ctx: containerd, view: plainView({ capabilities: ['CHOWN', 'MKNOD'] }) })).recreate?.sysctls).toBeUndefined();
  });
});

describe('looking into an exported root filesystem', () => {
  const fsOf = (entries: RootfsEntry[]) => {
    const i = new RootfsIndex();
    for (const e of entries) i.add(e);
    return i;
  };
  it('follows symlinked folders on the way (merged /usr), not the last link; dangling last links still exist', () => {
    const i = fsOf([
      { path: 'usr/', type: 'directory' },
      { path: './usr/bin', type: 'directory' },
      { path: 'usr/bin/bash', type: 'file' },
      { path: 'bin', type: 'symlink', linkTarget: 'usr/bin' },
      { path: 'usr/lib', type: 'directory' },
      { path: 'usr/lib/os-release', type: 'file' },
      { path: 'etc', type: 'directory' },
      { path: 'etc/os-release', type: 'symlink', linkTarget: '../usr/lib/os-release' },
      { path: 'sbin', type: 'symlink', linkTarget: '/usr/bin' },
      { path: 'usr/bin/sh', type: 'symlink', linkTarget: '/nowhere' },
      { path: 'loop', type: 'symlink', linkTarget: 'loop' },
    ]);
    expect(i.exists('/bin/bash')).toBe(true);
    expect(i.exists('/sbin/bash')).toBe(true);
    expect(i.exists('/bin/sh')).toBe(true);
    expect(i.exists('/bin/ash')).toBe(false);
    expect(i.exists('/loop/x')).toBe(false);
    expect(i.regularFile('/usr/lib/os-release')).toBe('/usr/lib/os-release');
    expect(i.regularFile('/etc/os-release')).toBeNull();
    expect(i.resolve('/bin/bash')).toBe('/usr/bin/bash');
  });
});
