import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerPosture } from '../../app/contract/security';
import { createTestCore, describeEngine, engineSkipReason, testNerdctl, useEngine, type TestCore } from '../support/engine';
import { containersKit, execIn, freeLocalPort, httpGet, rejection, waitFor } from './containers-support';

const ids = (p: ContainerPosture) => p.findings.map((f) => f.checkId);

/**
 * The posture suite arranges through dockerd's API (host PID, the engine's socket) and expects dockerd's default
 * capabilities: nerdctl's findings are covered by test/peers/security-nerdctl.test.ts. Hardening runs on dockerd
 * and on nerdctl (the `nerdctl` project). Podman grants other defaults (no NET_RAW, MKNOD, AUDIT_WRITE), so the
 * expected findings and hardening items differ.
 */
const podman = !engineSkipReason() && useEngine().socketPath.endsWith('podman.sock') ? "Podman's default capabilities differ from dockerd's" : null;
const otherEngine = testNerdctl() ? 'nerdctl over containerd: see test/peers/security-nerdctl.test.ts' : podman;
const describeDockerd = otherEngine ? (name: string, fn: () => void) => describe.skip(`${name} [skipped: ${otherEngine}]`, fn) : describeEngine;
const describeHardening = podman ? (name: string, fn: () => void) => describe.skip(`${name} [skipped: ${podman}]`, fn) : describeEngine;

describeDockerd('security posture (private dockerd)', () => {
  let t: TestCore;
  const k = containersKit('security');

  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(async () => {
    await k.cleanup();
    await t?.dispose();
  });

  const run = async (name: string, extra: Parameters<typeof k.opts>[0] = {}) => (await t.client.call('containers.run', { options: k.opts({ name: k.name(name), ...extra }) })).id;
  const posture = (id: string) => t.client.call('security.posture', { id });

  it('a plain container: root, no-new-privileges off, NET_RAW, no limits → Baseline, under runc', async () => {
    const p = await posture(await run('plain'));
    expect(p.level).toBe('baseline');
    expect(ids(p)).toEqual(expect.arrayContaining(['root-user', 'no-new-privileges', 'cap-net-raw', 'no-memory-limit', 'no-cpu-limit', 'no-pids-limit', 'writable-rootfs']));
    expect(ids(p)).not.toContain('privileged');
    expect(p).toMatchObject({ runtime: 'runc', runtimeLabel: 'runc', sandboxed: false });
    // The busybox image was looked into: a shell, no package manager.
    expect(ids(p)).toContain('image-shell');
    expect(ids(p)).not.toContain('image-package-manager');
  });

  it('privileged (created, not started: this sandbox cannot start one) → Unconfined, reported once', async () => {
    const { id } = await t.client.call('containers.create', { options: k.opts({ name: k.name('priv'), security: { privileged: true, capDrop: ['ALL'] } }) });
    const p = await posture(id);
    expect(p.level).toBe('unconfined');
    expect(p.findings.find((f) => f.checkId === 'privileged')).toMatchObject({ severity: 'critical', blocks: 'baseline', cis: '5.4' });
    // Privileged overrides the drop of ALL: every capability, so NET_RAW is still there; seccomp is not reported twice.
    expect(ids(p)).toContain('cap-net-raw');
    expect(ids(p)).not.toContain('seccomp-unconfined');
  });

  it('added capabilities, spelled any way, are found with their names', async () => {
    const { id } = await t.client.call('containers.create', { options: k.opts({ name: k.name('caps'), security: { capAdd: ['cap_sys_admin', 'NET_ADMIN', 'CAP_SYS_TIME'] } }) });
    const p = await posture(id);
    expect(p.level).toBe('unconfined');
    expect(ids(p)).toEqual(expect.arrayContaining(['cap-sys-admin', 'cap-net-admin', 'cap-other-added']));
    expect(p.findings.find((f) => f.checkId === 'cap-other-added')?.reason).toContain('SYS_TIME');
  });

  it('host PID and host network → Unconfined', async () => {
    const c = await k.raw().createContainer({ Image: useEngine().images.busybox, Cmd: ['sleep', '1000'], name: k.name('hostpid'), Labels: k.labels, HostConfig: { PidMode: 'host', NetworkMode: 'host' } });
    await c.start();
    const p = await posture(c.id);
    expect(p.level).toBe('unconfined');
    expect(ids(p)).toEqual(expect.arrayContaining(['host-pid', 'host-network']));
  });

  it("the engine's socket mounted (even read-only) → Unconfined, critical", async () => {
    const sock = useEngine().socketPath;
    const p = await posture(await run('sock', { mounts: [{ type: 'bind', source: sock, target: '/var/run/docker.sock', readOnly: true }] }));
    expect(p.level).toBe('unconfined');
    expect(p.findings.find((f) => f.checkId === 'engine-socket')).toMatchObject({ severity: 'critical', cis: '5.31' });
  });

  it('secrets in the environment are named, never shown', async () => {
    const p = await posture(await run('env', { env: ['DB_PASSWORD=hunter2-secret', `GH=ghp_${'x'.repeat(36)}`, 'MODE=dev'] }));
    expect(ids(p)).toEqual(expect.arrayContaining(['secret-env-names', 'secret-env-values']));
    expect(JSON.stringify(p)).not.toMatch(/hunter2|ghp_x/);
    expect(p.level).toBe('unconfined'); // a real credential pattern blocks Baseline
  });

  it('a non-root user with every hardening flag and limits reaches Restricted (the image keeps it below Hardened)', async () => {
    const p = await posture(
      await run('tight', {
        user: '1000:1000',
        security: { noNewPrivileges: true, capDrop: ['ALL'], readonlyRootfs: true },
        limits: { memoryBytes: 64 << 20, cpus: 0.5, pidsLimit: 50 },
        ports: [{ hostIp: '127.0.0.1', containerPort: 80 }],
      }),
    );
    expect(p.findings.filter((f) => f.blocks === 'baseline' || f.blocks === 'restricted')).toEqual([]);
    expect(['restricted', 'hardened']).toContain(p.level);
    expect(ids(p)).not.toContain('root-user');
  });

  it('a port on every interface is a finding on native Linux', async () => {
    const p = await posture(await run('wide', { ports: [{ containerPort: 80 }] }));
    expect(p.findings.find((f) => f.checkId === 'ports-all-interfaces')).toMatchObject({ severity: 'medium', blocks: 'restricted' });
  });

  it('badges for the list are computed once per change: an in-place update shows in the next call', async () => {
    const id = await run('badge');
    const before = (await t.client.call('security.badges', {})).find((b) => b.id === id);
    expect(before).toMatchObject({ level: 'baseline', runtime: 'runc' });
    const open = before?.open ?? 0;
    await t.client.call('containers.update', { id, limits: { memoryBytes: 64 << 20, cpus: 1, pidsLimit: 64 } });
    await waitFor('the badge to follow the update', async () => ((await t.client.call('security.badges', {})).find((b) => b.id === id)?.open ?? open) < open);
    const summary = await t.client.call('security.summary', {});
    expect(summary.context).toEqual({ rootless: false, userns: false, vmForwarded: false });
    expect(summary.containers.some((c) => c.id === id)).toBe(true);
  });

  it('an acknowledgement is remembered with its reason (in the data folder) and can be withdrawn', async () => {
    const id = await run('ack');
    const bad = await rejection(t.client.call('security.acknowledge', { id, checkId: 'root-user', reason: '  ' }));
    expect(bad.code).toBe('INVALID_INPUT');
    const unknown = await rejection(t.client.call('security.acknowledge', { id, checkId: 'nope', reason: 'because' }));
    expect(unknown.code).toBe('INVALID_INPUT');
    const p = await t.client.call('security.acknowledge', { id, checkId: 'root-user', reason: 'the image needs root to bind :80' });
    expect(p.findings.find((f) => f.checkId === 'root-user')?.acknowledged?.reason).toBe('the image needs root to bind :80');
    const file = JSON.parse(fs.readFileSync(path.join(t.dataDir, 'security-acks.json'), 'utf8')) as { acks: Record<string, Record<string, { reason: string }>> };
    expect(Object.values(file.acks).some((a) => a['root-user']?.reason === 'the image needs root to bind :80')).toBe(true);
    const back = await t.client.call('security.unacknowledge', { id, checkId: 'root-user' });
    expect(back.findings.find((f) => f.checkId === 'root-user')?.acknowledged).toBeNull();
  });

  it('lists the runtimes: runc by default, runsc (gVisor) where registered', async () => {
    const rts = await t.client.call('security.runtimes', {});
    expect(rts.find((r) => r.default)).toBeDefined();
    expect(rts.map((r) => r.name)).toContain('runc');
    const runsc = rts.find((r) => r.name === 'runsc');
    if (runsc) expect(runsc).toMatchObject({ label: 'gVisor', sandboxed: true });
  });

  it('image minimality of busybox: a shell, no package manager, root, tiny; the probe container is gone', async () => {
    const m = await t.client.call('security.imageMinimality', { id: useEngine().images.busybox });
    expect(m).toMatchObject({ class: 'slim', shell: '/bin/sh', packageManager: null, nonRootUser: false, sizeBand: 'tiny' });
    const probes = await k.raw().listContainers({ all: true, filters: { label: ['io.berth.probe'] } });
    expect(probes).toEqual([]);
  });
});

/** httpd serving /www from a named volume; writes a line at each start. */
const httpd = ['sh', '-c', '[ -f /www/index.html ] || echo v1 > /www/index.html; echo start >> /www/starts; exec httpd -f -p 80 -h /www'];

/** The same on dockerd and on nerdctl: Berth's own posture reads the result back (nerdctl: from the OCI spec). */
describeHardening(`hardening (private ${testNerdctl() ? 'containerd through nerdctl' : 'dockerd'})`, () => {
  let t: TestCore;
  const k = containersKit('harden');
  const volumes: string[] = [];

  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(async () => {
    await k.cleanup();
    for (const v of volumes) await k.rawRemoveVolume(v);
    await t?.dispose();
  });

  const web = async (base: string, extra: Parameters<typeof k.opts>[0] = {}) => {
    const port = await freeLocalPort();
    const vol = `berth-harden-${base}-${Date.now()}`;
    volumes.push(vol);
    const name = k.name(base);
    const r = await t.client.call('containers.run', {
      options: k.opts({ name, command: httpd, ports: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 80 }], mounts: [{ type: 'volume', source: vol, target: '/www' }], restartPolicy: { name: 'always' }, ...extra }),
    });
    await waitFor('httpd to answer', async () => (await httpGet(port, '/index.html').catch(() => '')).trim() === 'v1');
    return { id: r.id, name, port, vol };
  };
  const named = async (prefix: string) => (await t.client.call('containers.list', { all: true })).filter((c) => c.name.startsWith(prefix));

  it('previews: in-place and conservative items selected, strict opt-in; diff, CLI and compose snippet', async () => {
    const { id } = await web('preview');
    const p = await t.client.call('security.hardeningPreview', { id });
    expect(p.selected).toEqual(expect.arrayContaining(['limit-memory', 'limit-pids', 'restart-on-failure', 'no-new-privileges', 'drop-default-caps']));
    expect(p.items.find((i) => i.id === 'read-only-rootfs')).toMatchObject({ class: 'strict', recommended: false });
    expect(p.cli).toMatch(/--security-opt no-new-privileges/);
    expect(p.diff.some((l) => l.op === '+' && l.text === '--cap-drop NET_RAW')).toBe(true);
    expect(p.compose).toMatch(/^services:\n/);
    // containerd leaves ping_group_range closed: dropping NET_RAW brings the sysctl that keeps ping working; dockerd sets it itself.
    expect(p.cli.includes("--sysctl 'net.ipv4.ping_group_range=0 2147483647'")).toBe(testNerdctl() !== null);
    const bad = await rejection(t.client.call('security.hardeningPreview', { id, selected: ['no-such-item'] }));
    expect(bad.code).toBe('INVALID_INPUT');
  });

  it("a read-only root gets a tmpfs for each folder the container wrote to (the engine's diff), never over its volume", async () => {
    const { id } = await t.client.call('containers.run', {
      options: k.opts({ name: k.name('diff'), command: ['sh', '-c', 'mkdir -p /var/cache/app /run && echo 1 > /var/cache/app/x && echo 2 > /run/app.pid && echo 3 > /data/y && exec sleep 1000'], mounts: [{ type: 'tmpfs', source: '', target: '/data' }] }),
    });
    const p = await waitFor('the writes to show in the diff', async () => {
      const r = await t.client.call('security.hardeningPreview', { id, selected: ['read-only-rootfs'] });
      const tmpfs = (r.recreate?.mounts ?? []).filter((m) => m.type === 'tmpfs').map((m) => m.target);
      return tmpfs.includes('/var/cache/app') ? { r, tmpfs } : null;
    });
    expect(p.tmpfs).toEqual(['/data', '/run', '/tmp', '/var/cache/app']);
    expect(p.r.recreate?.security?.readonlyRootfs).toBe(true);
  });

  it('hardens: in place + recreate, the service still answers with its data, the original is kept stopped as a backup', async () => {
    const { id, name, port } = await web('ok');
    const p = await t.client.call('security.hardeningPreview', { id });
    const res = await t.client.call('security.harden', { id, selected: p.selected, gate: { seconds: 2, exec: ['wget', '-q', '-O', '-', 'http://127.0.0.1/index.html'] } });
    expect(res.name).toBe(name);
    expect(res.id).not.toBe(id);
    expect(res.backupName).toMatch(new RegExp(`^${name}-berth-backup-`));
    expect(res.warnings.join(' ')).not.toMatch(/does not keep the original/);
    expect((await httpGet(port, '/index.html')).trim()).toBe('v1');
    expect((await httpGet(port, '/starts')).trim()).toBe('start\nstart');
    const backup = await k.rawInspect(res.backupName as string);
    expect(backup.Id).toBe(id);
    expect(backup.State.Running).toBe(false);
    const now = await k.rawInspect(res.id);
    expect(now.HostConfig.Memory).toBe(512 << 20);
    expect(now.HostConfig.RestartPolicy).toMatchObject({ Name: 'on-failure', MaximumRetryCount: 5 });
    if (!testNerdctl()) {
      expect(now.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
      expect(now.HostConfig.CapDrop).toEqual(expect.arrayContaining(['NET_RAW', 'MKNOD', 'AUDIT_WRITE']));
    }
    // ping keeps working without NET_RAW: the engine (dockerd) or the hardening (containerd) opened ping_group_range.
    expect((await execIn(res.id, ['cat', '/proc/sys/net/ipv4/ping_group_range'])).output.trim().split(/\s+/)).toEqual(['0', '2147483647']);
    const after = await t.client.call('security.posture', { id: res.id });
    expect(ids(after)).not.toEqual(expect.arrayContaining(['no-new-privileges']));
    for (const gone of ['no-new-privileges', 'cap-net-raw', 'cap-mknod', 'no-memory-limit', 'no-pids-limit', 'restart-always']) expect(ids(after)).not.toContain(gone);
  });

  it('a health gate that cannot pass rolls back to the original, running, with its volume and data', async () => {
    const { id, name, port, vol } = await web('fail');
    const err = await rejection(t.client.call('security.harden', { id, selected: ['no-new-privileges', 'drop-default-caps'], gate: { seconds: 1, exec: ['false'] } }));
    expect(err.code).toBe('COMMAND_FAILED');
    expect(err.message).toMatch(/rolled back/);
    expect(err.details).toMatchObject({ rolledBack: true });
    const back = await k.rawInspect(name);
    expect(back.Id).toBe(id);
    expect(back.State.Running).toBe(true);
    const p = await t.client.call('security.posture', { id });
    expect(ids(p)).toEqual(expect.arrayContaining(['no-new-privileges', 'cap-net-raw']));
    expect((await httpGet(port, '/index.html')).trim()).toBe('v1');
    expect(await k.rawVolume(vol)).toBeTruthy();
    expect(await named(`${name}-berth-backup`)).toEqual([]);
  });

  it('compose-managed containers get the override snippet, not a recreate', async () => {
    const { id } = await web('compose', { labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'api' } });
    const p = await t.client.call('security.hardeningPreview', { id });
    expect(p.composeManaged).toBe(true);
    expect(p.compose).toMatch(/^services:\n {2}api:\n/);
    const err = await rejection(t.client.call('security.harden', { id, selected: ['no-new-privileges'] }));
    expect(err.code).toBe('CONFLICT');
    expect(err.details).toMatchObject({ compose: expect.stringContaining('no-new-privileges:true') });
    expect((await k.rawInspect(id)).State.Running).toBe(true);
  });
});
