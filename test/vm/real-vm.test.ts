import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../app/composition';
import type { VmStatus } from '../../app/contract/vm';
import type { Api } from '../../app/contract/api';
import type { Client } from '../../app/contract/client';
import { createLimaExecutor } from '../../app/adapters/lima';
import { createProcessRunner } from '../../app/adapters/process/runner';
import { connectInProcess } from '../support/inproc';
import { guestUnavailable, startGuestLima, guestTemplate, type GuestLima } from '../support/lima-guest';
import { busyboxArchive } from '../support/oci-archive';
import { collect } from '../contract/streams-support';
import { recordVmFigure } from './figures';
import { gvisorGuestTemplate, gvisorIsInstalled, gvisorTestFolder } from './gvisor';

const why = guestUnavailable();
if (why && process.env.BERTH_REQUIRE_VM === '1') throw new Error(`BERTH_REQUIRE_VM=1 but no guest can boot here: ${why}`);

const IMAGE = '127.0.0.1:5000/berth-test/busybox:vm';
const BOOT_MS = 15 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A real VM, booted here: Berth's VM service drives the real limactl, which boots Berth's guest image under QEMU's
 * software emulation; containerd and nerdctl run inside it, reached through `limactl shell`. Nothing is a stand-in.
 */
describe.skipIf(why !== null)(`A real Lima guest through Berth's VM service${why ? ` (skipped: ${why})` : ''}`, () => {
  let guest: GuestLima;
  let core: Core;
  let client: Client<Api>;
  let closeClient: () => void;
  let dataDir: string;
  let gvisorDir: string;
  const seen: { at: number; s: VmStatus }[] = [];
  /** Commands in the guest through `limactl shell`, as Berth's terminals and engine run them. */
  const vmExec = () => {
    const driver = core.services.vm.driver;
    if (!driver) throw new Error('The VM service has no driver (native mode?)');
    return createLimaExecutor(driver, createProcessRunner(core.log.child('test')));
  };

  beforeAll(async () => {
    guest = await startGuestLima();
    gvisorDir = gvisorTestFolder();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-realvm-'));
    fs.writeFileSync(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({
        version: 1,
        engine: { runtime: 'containerd' },
        vm: { limactlPath: guest.limactl, startOnLaunch: false, containerdRootful: true, vmType: 'qemu', mountType: 'reverse-sshfs', cpus: 2, memoryGiB: 1.5, diskGiB: 10, gvisor: true },
      }),
    );
    core = await createCore({
      dataDir,
      mode: 'web',
      version: 'test',
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      vm: { home: guest.home.env.HOME, limaHome: guest.limaHome, template: gvisorGuestTemplate(guest.template, gvisorDir), gvisorDir, engineTimeoutMs: 180_000, stopTimeoutMs: 120_000, watchMs: 1000 },
    });
    const conn = connectInProcess(core.rpc);
    client = conn.client;
    closeClient = conn.close;
    core.services.vm.subscribe((s) => seen.push({ at: Date.now(), s }));
  }, 120_000);

  afterAll(async () => {
    closeClient?.();
    await core?.services.vm.stop().catch(() => undefined);
    await core?.dispose();
    await guest?.dispose();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (gvisorDir) fs.rmSync(gvisorDir, { recursive: true, force: true });
  }, 300_000);

  it('starts: the real limactl boots the guest, the stages are named from its output, and "running" comes with an engine ping', async () => {
    seen.length = 0;
    const t0 = Date.now();
    const s = await core.services.vm.start();
    const total = Date.now() - t0;
    if (s.state !== 'running') throw new Error(`The VM did not start: ${s.state}: ${s.reason}\n${s.logTail ?? ''}`);
    const stages = [...new Set(seen.filter((x) => x.s.state === 'starting').map((x) => x.s.stage))];
    expect(stages).toEqual(expect.arrayContaining(['booting', 'waiting-ssh', 'provisioning', 'engine']));
    expect(s.engineId).toBe('vm');
    expect(s.instance).toMatchObject({ name: 'berth', vmType: 'qemu' });
    // The time Berth adds on top of limactl start: from the moment `limactl start` exited (its own log line, written by
    // the Lima adapter as it saw the exit) to "running".
    const runningAt = seen.find((x) => x.s.state === 'running')?.at ?? Date.now();
    await core.log.flush?.();
    const exitLine = fs
      .readFileSync(path.join(dataDir, 'logs', 'berth.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('limactl start exited 0'))
      .pop();
    const engineAt = exitLine ? Date.parse(exitLine.split(' ')[0] as string) : (seen.find((x) => x.s.stage === 'engine')?.at ?? t0);
    // The raw reference, measured now: one engine ping as the raw tools make it (limactl shell … nerdctl version).
    const raw: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r0 = Date.now();
      const r = await vmExec().run(['sudo', 'nerdctl', 'version', '--format', '{{json .}}'], { timeoutMs: 120_000 });
      expect(r.exitCode).toBe(0);
      raw.push(Date.now() - r0);
    }
    const rawPing = [...raw].sort((a, b) => a - b)[1] as number;
    recordVmFigure('boot to running under emulation (limactl start + Berth)', total, 'ms');
    recordVmFigure('raw engine ping in the guest (limactl shell sudo nerdctl version, median of 3)', rawPing, 'ms');
    recordVmFigure('Berth: limactl start exited → running (its engine ping included)', runningAt - engineAt, 'ms');
    recordVmFigure('Berth adds on top of limactl start (exit → running − one raw ping)', Math.max(0, runningAt - engineAt - rawPing), 'ms', 1000);
  }, BOOT_MS);

  it('keeps the guest off every network but this machine: QEMU ran restricted and the guest cannot reach the host', async () => {
    // Every QEMU that ran a guest (Lima also runs QEMU to probe what it supports: those lines have no user network).
    const args = fs
      .readFileSync(path.join(path.dirname(guest.qemuWrapper), 'qemu-args.log'), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.includes('-netdev user'));
    expect(args.length).toBeGreaterThan(0);
    for (const a of args) expect(a).toMatch(/-netdev user,id=net0,[^ ]*restrict=on/);
    // A listener on the host's loopback: slirp maps the guest's gateway (192.168.5.2) to it unless restricted.
    let connections = 0;
    const server = net.createServer((sock) => {
      connections++;
      sock.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const vm = vmExec();
      const r = await vm.run(['bash', '-c', `timeout 10 bash -c 'echo hi > /dev/tcp/192.168.5.2/${port}' && echo reached || echo blocked`], { timeoutMs: 60_000 });
      expect(r.stdout.trim().split('\n').pop()).toBe('blocked');
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  }, 120_000);

  it('runs a container in the guest through nerdctl that the API lists, with its logs and an exec', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-realvm-img-'));
    try {
      const archive = busyboxArchive(IMAGE, dir);
      await client.call('images.load', { path: archive });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const images = await client.call('images.list', { filter: 'all' });
    expect(images.some((i) => i.repoTags.includes(IMAGE))).toBe(true);
    const run = await client.call('containers.run', {
      options: { image: IMAGE, name: 'berth-realvm', command: ['/bin/sh', '-c', 'echo hello-from-the-guest; exec sleep 600'], labels: { 'berth.test': '1' } },
    });
    const list = await client.call('containers.list', { all: true });
    const row = list.find((c) => c.id === run.id);
    expect(row).toMatchObject({ name: 'berth-realvm', state: 'running' });
    const logs = collect(client, 'logs.stream', { id: run.id, follow: false, tail: 100 });
    await logs.until((items) => JSON.stringify(items).includes('hello-from-the-guest'), 60_000);
    logs.unsubscribe();
    const vm = vmExec();
    const exec = await vm.run(['sudo', 'nerdctl', 'exec', 'berth-realvm', '/bin/sh', '-c', 'echo $((6*7)) inside $(hostname)'], { timeoutMs: 60_000 });
    expect(exec.stdout).toContain('42 inside');
    await client.call('containers.remove', { id: run.id, force: true, confirm: true });
    const after = await client.call('containers.list', { all: true });
    expect(after.some((c) => c.id === run.id)).toBe(false);
  }, 300_000);

  it("installs gVisor's runsc and shim with the VM's gVisor option, and the runtimes list offers it", () => gvisorIsInstalled(client, vmExec()), 300_000);

  it('sees a killed QEMU within 5 s and offers a restart', async () => {
    const pid = guest.qemuPid('berth');
    expect(pid).toBeGreaterThan(0);
    seen.length = 0;
    const killedAt = Date.now();
    process.kill(pid as number, 'SIGKILL');
    while (Date.now() - killedAt < 15_000) {
      const s = core.services.vm.status();
      if (s.state !== 'running') break;
      await sleep(100);
    }
    const seenAt = seen.find((x) => x.s.state !== 'running')?.at ?? Date.now();
    const s = core.services.vm.status();
    expect(s.state).not.toBe('running');
    expect(s.crashed).toBe(true);
    expect(s.actions.start || s.actions.restart).toBe(true);
    expect(seenAt - killedAt).toBeLessThanOrEqual(5000);
    recordVmFigure('killed QEMU → reported down', seenAt - killedAt, 'ms', 5000);
  }, 60_000);

  it('starts again after the crash, then stops cleanly with the engine reported down once', async () => {
    const s = await core.services.vm.start();
    if (s.state !== 'running') throw new Error(`The VM did not start again: ${s.state}: ${s.reason}\n${s.logTail ?? ''}`);
    const downs: unknown[] = [];
    const off = core.services.changes.subscribe('vm', (c) => {
      if (c.kind === 'engine' && c.action === 'down') downs.push(c);
    });
    const stopped = await core.services.vm.stop();
    expect(stopped.state).toBe('stopped');
    await sleep(3000);
    off();
    expect(downs.length).toBe(1);
  }, BOOT_MS);

  it('a start with a broken image fails with the reason and the tail of the log', async () => {
    const broken = path.join(guest.home.dir, 'guest', 'broken-kernel');
    fs.writeFileSync(broken, 'this is not a kernel\n');
    fs.chownSync(broken, guest.home.uid, guest.home.gid);
    const dir = path.dirname(guest.qemuWrapper);
    const template = guestTemplate({ kernel: broken, initrd: path.join(dir, 'initrd.img'), rootfs: path.join(dir, 'rootfs.img'), archive: path.join(dir, 'nerdctl-archive.tar.gz') });
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-realvm-broken-'));
    fs.writeFileSync(
      path.join(otherDir, 'settings.json'),
      JSON.stringify({ version: 1, engine: { runtime: 'containerd' }, vm: { limactlPath: guest.limactl, startOnLaunch: false, containerdRootful: true, vmType: 'qemu' } }),
    );
    const other = await createCore({
      dataDir: otherDir,
      mode: 'web',
      version: 'test',
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      vm: { home: guest.home.env.HOME, limaHome: guest.limaHome, instance: 'broken', template, engineTimeoutMs: 60_000, stopTimeoutMs: 60_000 },
    });
    try {
      const s = await other.services.vm.start();
      expect(['error', 'degraded']).toContain(s.state);
      expect(s.reason ?? '').not.toBe('');
      expect((s.logTail ?? '').length).toBeGreaterThan(0);
      await other.services.vm.delete().catch(() => undefined);
    } finally {
      await other.dispose();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  }, 600_000);

  it('deletes the VM when asked, and only its instance', async () => {
    if (core.services.vm.status().state !== 'stopped') await core.services.vm.stop();
    const s = await client.call('vm.delete', { confirm: true });
    expect(s.state).toBe('absent');
    expect(fs.existsSync(path.join(guest.limaHome, 'berth'))).toBe(false);
  }, 300_000);
});
