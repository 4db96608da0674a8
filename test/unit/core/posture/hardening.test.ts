import { describe, expect, it } from 'vitest';
import { planHardening, tmpfsPaths, type HardeningInput } from '../../../../app/core/posture/hardening';
import { classifyImage, parseOsRelease, sizeBand } from '../../../../app/core/posture/minimality';
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
