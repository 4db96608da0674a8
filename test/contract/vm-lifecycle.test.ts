import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { createCore, type Core } from '../../app/composition';
import type { VmStatus } from '../../app/contract/vm';
import { berthLimaUnavailable, startBerthLima, type BerthLima } from '../support/lima-berth';
import { which } from '../support/proc';

const skip = berthLimaUnavailable() ?? (which('dockerd') ? null : 'dockerd is missing');

/**
 * The VM lifecycle through the core's VM service, with the real limactl for create/list/stop/delete and
 * the stand-in for start/shell (its guest engine: a private dockerd behind the forwarded socket).
 */
describe.skipIf(skip !== null)(`VM lifecycle${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lima: BerthLima;
  let core: Core;
  let dataDir: string;
  const seen: VmStatus[] = [];

  beforeAll(async () => {
    lima = await startBerthLima({ standin: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-'));
    fs.writeFileSync(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({ version: 1, engine: { runtime: 'moby' }, vm: { limactlPath: lima.limactl, startOnLaunch: false, cpus: 1, memoryGiB: 1, diskGiB: 10 } }),
    );
    core = await createCore({
      dataDir,
      mode: 'web',
      version: 'test',
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      vm: { home: lima.homeDir, limaHome: lima.limaHome, images: lima.images, containerdArchives: lima.containerdArchives, engineTimeoutMs: 30_000, stopTimeoutMs: 6_000, watchMs: 500 },
    });
    core.services.vm.subscribe((s) => seen.push(s));
  }, 120_000);

  afterAll(async () => {
    await core?.services.vm.stop().catch(() => undefined);
    await core?.dispose();
    await lima?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const standin = (b: object) => fs.writeFileSync(path.join(lima.limaHome, '_standin.json'), JSON.stringify(b));

  it('finds limactl and sees no VM yet', () => {
    const s = core.services.vm.status();
    expect(s).toMatchObject({ mode: 'vm', state: 'absent', runtime: 'moby', actions: { start: true, stop: false } });
    expect(s.limactl).toMatchObject({ path: lima.limactl, source: 'settings' });
  });

  it('start: creates the VM, walks the stages, and is running only once its engine answers; the engine is registered and active', async () => {
    standin({ mode: 'ok', stepMs: 100 });
    seen.length = 0;
    const s = await core.services.vm.start();
    expect(s.state).toBe('running');
    const stages = [...new Set(seen.filter((x) => x.state === 'starting').map((x) => x.stage))];
    expect(stages).toEqual(['downloading', 'booting', 'waiting-ssh', 'provisioning', 'engine']);
    expect(s.engineId).toBe('vm');
    expect(core.services.engines.activeEngineId()).toBe('vm');
    const engine = core.services.engines.resolve('vm');
    expect(engine.endpoint).toContain(path.join(lima.limaHome, 'berth', 'sock', 'docker.sock'));
    await engine.system.ping();
    expect(s.instance).toMatchObject({ name: 'berth', vmType: 'qemu', cpus: 1 });
    expect(s.pendingRestart).toEqual([]);
  }, 120_000);

  it('host integration: the berth docker context points at the forwarded socket and goes away cleanly; the check reports it', async () => {
    const vm = core.services.vm;
    const on = await vm.setHostIntegration({ dockerContext: true });
    expect(on.dockerContext).toMatchObject({ available: true, enabled: true, host: `unix://${path.join(lima.limaHome, 'berth', 'sock', 'docker.sock')}` });
    expect(on.dockerContext.file.startsWith(path.join(lima.homeDir, '.docker', 'contexts', 'meta'))).toBe(true);
    expect(fs.existsSync(on.dockerContext.file)).toBe(true);
    expect((await vm.checks()).find((c) => c.id === 'docker-context')).toMatchObject({ ok: true });
    expect((await vm.checks()).find((c) => c.id === 'engine')).toMatchObject({ ok: true });
    const off = await vm.setHostIntegration({ dockerContext: false });
    expect(off.dockerContext).toMatchObject({ enabled: false, host: null });
    expect(fs.existsSync(on.dockerContext.file)).toBe(false);
  });

  it('settings changes are marked as pending until the next start', async () => {
    const s = await core.services.vm.updateSettings({ cpus: 2 });
    expect(s.pendingRestart).toEqual(['cpus']);
    await expect(core.services.vm.updateSettings({ vmType: 'vz' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(core.services.settings.get().vm.vmType).toBe('');
  });

  it('stop: the real limactl stops it gracefully; the engine is reported down once', async () => {
    const downs: unknown[] = [];
    const off = core.services.changes.subscribe('vm', (c) => {
      if (c.kind === 'engine' && c.action === 'down') downs.push(c);
    });
    const s = await core.services.vm.stop();
    expect(s.state).toBe('stopped');
    expect((await core.services.vm.driver?.inspect())?.status).toBe('Stopped');
    await new Promise((r) => setTimeout(r, 4000));
    off();
    expect(downs).toHaveLength(1);
  }, 120_000);

  it('restart applies the pending settings through limactl edit', async () => {
    const s = await core.services.vm.start();
    expect(s.state).toBe('running');
    expect(s.instance?.cpus).toBe(2);
    expect(s.pendingRestart).toEqual([]);
  }, 120_000);

  it('a VM that dies is seen within 5 s and a restart is offered', async () => {
    const pid = Number(fs.readFileSync(path.join(lima.limaHome, 'berth', 'ha.pid'), 'utf8'));
    const t0 = Date.now();
    process.kill(pid, 'SIGKILL');
    for (;;) {
      const st = core.services.vm.status();
      if (st.state === 'error') {
        expect(st).toMatchObject({ crashed: true, actions: { restart: true } });
        break;
      }
      expect(Date.now() - t0).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 30_000);

  it('a degraded start shows its reason and the log tail', async () => {
    await core.services.vm.driver?.stop({ timeoutMs: 10_000 });
    standin({ mode: 'degraded', stepMs: 50 });
    const s = await core.services.vm.start();
    expect(s.state).toBe('degraded');
    expect(s.reason).toMatch(/^DEGRADED\./);
    expect(s.logTail).toMatch(/dockerd to be running/);
    await core.services.vm.stop();
  }, 120_000);

  it('a failed start is an error with the fatal line and the log tail', async () => {
    standin({ mode: 'fail', stepMs: 50 });
    const s = await core.services.vm.start();
    expect(s.state).toBe('error');
    expect(s.reason).toMatch(/exiting, status=/);
    expect(s.logTail).toMatch(/Driver stopped due to error/);
  }, 120_000);

  it('a VM that does not stop in time is stopped by force', async () => {
    standin({ mode: 'stubborn-stop', stepMs: 50 });
    expect((await core.services.vm.start()).state).toBe('running');
    const s = await core.services.vm.stop();
    expect(s.state).toBe('stopped');
    expect((await core.services.vm.driver?.inspect())?.status).toBe('Stopped');
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'berth.log'), 'utf8')).toMatch(/stopped by force/);
  }, 120_000);

  it('collects diagnostics: status, checks and every log in a zip, secrets redacted', async () => {
    fs.appendFileSync(path.join(lima.limaHome, 'berth', 'ha.stderr.log'), '{"level":"info","msg":"REGISTRY_PASSWORD=hunter2"}\n-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecret\n-----END OPENSSH PRIVATE KEY-----\n');
    const z = await core.services.vm.diagnostics();
    expect(z.path.startsWith(path.join(dataDir, 'diagnostics'))).toBe(true);
    const files = unzipSync(fs.readFileSync(z.path));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['berth-diagnostics/status.json', 'berth-diagnostics/checks.json', 'berth-diagnostics/berth.log', 'berth-diagnostics/lima/ha.stderr.log']));
    const ha = strFromU8(files['berth-diagnostics/lima/ha.stderr.log']!);
    expect(ha).toContain('[private key removed]');
    expect(ha).not.toContain('hunter2');
    expect(ha).not.toContain('AAAAsecret');
    expect(JSON.parse(strFromU8(files['berth-diagnostics/status.json']!))).toMatchObject({ mode: 'vm', state: 'stopped' });
  });

  it('factory reset states what it deletes, then deletes exactly that', async () => {
    const st = await core.services.vm.deletion('factory-reset');
    expect(st.deletes.map((d) => d.path)).toEqual([path.join(lima.limaHome, 'berth'), lima.limaHome]);
    expect(st.keeps.join(' ')).toMatch(/settings/);
    const s = await core.services.vm.factoryReset();
    expect(s.state).toBe('absent');
    expect(fs.existsSync(lima.limaHome)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'settings.json'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'logs', 'berth.log'))).toBe(true);
    expect(core.services.engines.all().some((e) => e.id === 'vm')).toBe(false);
  }, 60_000);
});
