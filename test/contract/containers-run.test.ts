import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, randomSuffix, useEngine, type TestCore } from '../support/engine';
import { lacks } from './objects-engine';
import { containersKit, execIn, freeLocalPort, httpdCommand, httpGet, rawLogs, rejection, waitFor } from './containers-support';

describeEngine('containers.run', () => {
  let t: TestCore;
  const k = containersKit('run');
  const volume = `berth-run-vol-${randomSuffix()}`;
  let dir: string;

  beforeAll(async () => {
    // A bare `KEY` line in an env file takes its value from the core's environment.
    t = await createTestCore(undefined, { ...process.env, BERTH_TEST_FROM_CORE: 'core-value' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-run-'));
  });
  afterAll(async () => {
    await k.cleanup();
    await k.rawRemoveVolume(volume);
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const noContainerNamed = async (name: string) => {
    const list = await t.client.call('containers.list', { all: true });
    expect(list.map((c) => c.name)).not.toContain(name);
  };

  it('applies env, env file, ports, mounts, restart policy, limits and security to a real container', async () => {
    const envFile = path.join(dir, 'app.env');
    fs.writeFileSync(envFile, ['# a comment', '', 'FROM_FILE="quoted stays"', '  OVERRIDDEN=from-file', 'BERTH_TEST_FROM_CORE', 'BERTH_TEST_UNSET_XYZ', ''].join('\n'));
    const bindDir = path.join(dir, 'bind');
    fs.mkdirSync(bindDir);
    fs.writeFileSync(path.join(bindDir, 'hello.txt'), 'from the host');
    const hostPort = await freeLocalPort();
    const name = k.name('full');

    const res = await t.client.call('containers.run', {
      options: k.opts({
        name,
        command: httpdCommand('served by berth'),
        env: ['PLAIN=1', { name: 'OVERRIDDEN', value: 'from-env' }],
        envFile,
        ports: [{ hostIp: '127.0.0.1', hostPort, containerPort: 80 }],
        mounts: [
          { type: 'tmpfs', target: '/www' },
          { type: 'volume', source: volume, target: '/data' },
          { type: 'bind', source: bindDir, target: '/host', readOnly: true },
        ],
        restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
        limits: { cpus: 0.5, memoryBytes: 64 * 1024 * 1024, pidsLimit: 50 },
        security: { readonlyRootfs: true, capDrop: ['NET_RAW'], capAdd: ['NET_ADMIN'], noNewPrivileges: true },
        hostname: 'berth-host',
        labels: { 'com.example.role': 'web' },
      }),
    });
    expect(res.name).toBe(name);
    expect(res.id).toMatch(/^[0-9a-f]{64}$/);

    // The port is published and reachable.
    expect((await httpGet(hostPort, '/index.html')).trim()).toBe('served by berth');

    const raw = await k.rawInspect(res.id);
    expect(raw.Config.Env).toEqual(expect.arrayContaining(['PLAIN=1', 'OVERRIDDEN=from-env', 'FROM_FILE="quoted stays"', 'BERTH_TEST_FROM_CORE=core-value']));
    expect(raw.Config.Env.some((e) => e.startsWith('BERTH_TEST_UNSET_XYZ'))).toBe(false);
    expect(raw.Config.Labels['com.example.role']).toBe('web');
    expect(raw.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(raw.HostConfig.NanoCpus).toBe(500_000_000);

    // Real effects inside the container.
    const sh = async (cmd: string) => execIn(res.id, ['sh', '-c', cmd]);
    expect((await sh('echo $FROM_FILE')).output.trim()).toBe('"quoted stays"');
    expect((await sh('hostname')).output.trim()).toBe('berth-host');
    expect((await sh('cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max')).output.trim()).toBe(String(64 * 1024 * 1024));
    expect((await sh('cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max')).output.trim()).toBe('50');
    expect((await sh('touch /rootfs-file')).exitCode).not.toBe(0);
    expect((await sh('cat /host/hello.txt')).output).toBe('from the host');
    expect((await sh('touch /host/new')).exitCode).not.toBe(0);
    expect((await sh('echo ok > /data/f && cat /data/f')).output.trim()).toBe('ok');
    const status = (await sh('cat /proc/self/status')).output;
    const capEff = BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(status)?.[1] ?? '0'}`);
    expect(capEff & (1n << 13n)).toBe(0n); // CAP_NET_RAW dropped
    expect(capEff & (1n << 12n)).toBe(1n << 12n); // CAP_NET_ADMIN added
    expect(/NoNewPrivs:\s*1/.test(status)).toBe(true);

    // inspect gives the same, normalized.
    const d = await t.client.call('containers.inspect', { id: name });
    expect(d.name).toBe(name);
    expect(d.state.status).toBe('running');
    expect(d.state.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(d.state.finishedAt).toBeNull();
    expect(d.config.env).toEqual(expect.arrayContaining([{ name: 'FROM_FILE', value: '"quoted stays"' }, { name: 'OVERRIDDEN', value: 'from-env' }]));
    expect(d.config.hostname).toBe('berth-host');
    expect(d.config.cmd).toEqual(httpdCommand('served by berth'));
    expect(d.hostConfig.restartPolicy).toEqual({ name: 'on-failure', maximumRetryCount: 3 });
    expect(d.hostConfig.limits).toEqual({ nanoCpus: 500_000_000, cpus: 0.5, memoryBytes: 64 * 1024 * 1024, pidsLimit: 50 });
    expect(d.hostConfig.security).toMatchObject({ readonlyRootfs: true, capAdd: ['NET_ADMIN'], capDrop: ['NET_RAW'], noNewPrivileges: true, privileged: false });
    expect(d.ports).toContainEqual({ hostIp: '127.0.0.1', hostPort, containerPort: 80, protocol: 'tcp' });
    expect(d.hostConfig.portBindings).toEqual([{ hostIp: '127.0.0.1', hostPort, containerPort: 80, protocol: 'tcp' }]);
    expect(d.mounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'bind', source: bindDir, target: '/host', readOnly: true }),
        expect.objectContaining({ type: 'volume', name: volume, target: '/data', readOnly: false }),
      ]),
    );
    expect(d.networks[0]?.name).toBe('bridge');
    expect(d.networks[0]?.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect((d.raw as { Id?: string }).Id).toBe(res.id);
  });

  it('runs with command, entrypoint, user, working dir and tty, without pulling', async () => {
    const name = k.name('user');
    const command = ['echo "uid=$(id -u) pwd=$(pwd)"; sleep 1000'];
    const res = await t.client.call('containers.run', {
      options: k.opts({ name, entrypoint: ['sh', '-c'], command, user: '1234:1234', workingDir: '/tmp', tty: true, openStdin: true }),
    });
    const out = await waitFor('the container output', async () => {
      const l = await rawLogs(res.id);
      return l.includes('uid=') ? l : null;
    });
    expect(out).toContain('uid=1234 pwd=/tmp');
    const raw = await k.rawInspect(res.id);
    expect(raw.Config.Tty).toBe(true);
    // The process the engine runs: the entrypoint, then the command.
    expect([raw.Path, ...raw.Args]).toEqual(['sh', '-c', ...command]);
    const d = await t.client.call('containers.inspect', { id: res.id });
    expect(d.config).toMatchObject({ entrypoint: ['sh', '-c'], cmd: command, tty: true, openStdin: true, user: '1234:1234', workingDir: '/tmp' });
  });

  const noStdin = lacks('openStdin');
  it.skipIf(noStdin)(`keeps standard input open without a TTY${noStdin ? ` [skipped: ${noStdin}]` : ''}`, async () => {
    // `cat` ends at once on a closed standard input; an open one keeps it waiting.
    const res = await t.client.call('containers.run', { options: k.opts({ command: ['cat'], openStdin: true }) });
    expect((await k.rawInspect(res.id)).Config.OpenStdin).toBe(true);
    expect((await t.client.call('containers.inspect', { id: res.id })).state.status).toBe('running');
  });

  it.runIf(noStdin)('INVALID_INPUT: standard input without a TTY where the engine cannot keep it open, before any container is made', async () => {
    const name = k.name('stdin');
    const err = await rejection(t.client.call('containers.run', { options: k.opts({ name, command: ['cat'], openStdin: true }) }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/openStdin: .*only together with a TTY/);
    await noContainerNamed(name);
  });

  it('applies a seccomp profile read from a file on the core\'s host', async () => {
    const profile = path.join(dir, 'no-mkdir.json');
    fs.writeFileSync(profile, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }] }));
    const res = await t.client.call('containers.run', { options: k.opts({ security: { seccompProfile: profile } }) });
    expect((await execIn(res.id, ['mkdir', '/blocked'])).exitCode).not.toBe(0);
    expect((await execIn(res.id, ['touch', '/allowed'])).exitCode).toBe(0);
    const unconfined = await t.client.call('containers.run', { options: k.opts({ security: { seccompProfile: 'unconfined' } }) });
    expect(unconfined.warnings.join(' ')).toMatch(/Seccomp is disabled/);
    expect((await t.client.call('containers.inspect', { id: unconfined.id })).hostConfig.security.seccompProfile).toBe('unconfined');
  });

  it('flags privileged mode as dangerous in the result', async () => {
    // Created, not started: a sandboxed test engine may lack the capabilities a privileged start needs.
    const res = await t.client.call('containers.create', { options: k.opts({ name: k.name('priv'), security: { privileged: true } }) });
    expect(res.warnings.join(' ')).toMatch(/full access to the host/);
    expect((await k.rawInspect(res.id)).HostConfig.Privileged).toBe(true);
  });

  it('creates without starting, and an engine-chosen host port when none is given', async () => {
    const res = await t.client.call('containers.create', { options: k.opts({ ports: [{ hostIp: '127.0.0.1', containerPort: 80 }], command: httpdCommand('free port') }) });
    expect(res.name).toMatch(/^[a-z]+_[a-z]+$/);
    const created = await t.client.call('containers.inspect', { id: res.id });
    expect(created.state.status).toBe('created');
    await t.client.call('containers.start', { id: res.id });
    const d = await t.client.call('containers.inspect', { id: res.id });
    const port = d.ports.find((p) => p.containerPort === 80)?.hostPort;
    expect(port).toBeGreaterThan(0);
    expect((await httpGet(port as number, '/index.html')).trim()).toBe('free port');
  });

  it('proposes a free host port (what the Run dialog fills in where the engine cannot pick one)', async () => {
    const hostPort = await freeLocalPort();
    await t.client.call('containers.run', { options: k.opts({ ports: [{ hostIp: '127.0.0.1', hostPort, containerPort: 80 }], command: httpdCommand('taken') }) });
    expect((await httpGet(hostPort, '/index.html')).trim()).toBe('taken');
    const { port } = await t.client.call('containers.freePort', { hostIp: '127.0.0.1' });
    expect(port).not.toBe(hostPort);
    const published = (await t.client.call('containers.list', { all: true })).flatMap((c) => c.ports.map((p) => p.hostPort));
    expect(published).not.toContain(port);
    // Free on the host too: a listener can take it.
    await new Promise<void>((resolve, reject) => {
      const srv = net.createServer().once('error', reject);
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
    });
    const udp = await t.client.call('containers.freePort', { protocol: 'udp' });
    expect(udp.port).toBeGreaterThan(0);
  });

  it.each([
    [{ autoRemove: true, restartPolicy: { name: 'always' as const } }, /autoRemove: auto-remove cannot be combined with the restart policy "always"/],
    [{ ports: [{ hostPort: 8080, containerPort: 80 }, { hostPort: 8080, containerPort: 80 }] }, /ports\.1: duplicates port 1/],
    [{ ports: [{ hostPort: 8080, containerPort: 80 }, { hostPort: 8080, containerPort: 81 }] }, /ports\.1\.hostPort: host port 8080\/tcp is already used/],
    [{ ports: [{ hostPort: 70000, containerPort: 80 }] }, /ports\.0\.hostPort: must be between 1 and 65535/],
    [{ mounts: [{ type: 'bind' as const, source: 'relative/dir', target: '/x' }] }, /mounts\.0\.source: a bind mount needs an absolute host path/],
    [{ env: ['NOVALUE'] }, /env\.0/],
    [{ name: '-bad' }, /name: must be at least 2 characters/],
  ])('refuses invalid options before touching the engine (%#)', async (extra, message) => {
    const name = k.name('invalid');
    const err = await rejection(t.client.call('containers.run', { options: k.opts({ name, ...extra }) }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(message);
    await noContainerNamed(name);
  });

  it('NAME_IN_USE: a second container with the same name', async () => {
    const name = k.name('dup');
    await t.client.call('containers.create', { options: k.opts({ name }) });
    const err = await rejection(t.client.call('containers.run', { options: k.opts({ name }) }));
    expect(err.code).toBe('NAME_IN_USE');
    expect(err.message).toContain(`"${name}"`);
    expect(err.hint).toMatch(/another name/);
  });

  it('PORT_ALLOCATED: names the port, offers a free one, and leaves nothing behind', async () => {
    const hostPort = await freeLocalPort();
    await t.client.call('containers.run', { options: k.opts({ ports: [{ hostIp: '127.0.0.1', hostPort, containerPort: 80 }] }) });
    const name = k.name('port');
    const err = await rejection(t.client.call('containers.run', { options: k.opts({ name, ports: [{ hostIp: '127.0.0.1', hostPort, containerPort: 80 }] }) }));
    expect(err.code).toBe('PORT_ALLOCATED');
    expect(err.message).toContain(`port ${hostPort}`);
    // Docker finds the port busy when it starts the container (then removes it); nerdctl when it creates it.
    expect(err.message).toMatch(/removed again|Nothing was created/);
    const freePort = err.details?.freePort as number;
    expect(typeof freePort).toBe('number');
    expect(freePort).not.toBe(hostPort);
    expect(err.hint).toContain(String(freePort));
    await noContainerNamed(name);
  });

  it('IMAGE_NOT_FOUND: suggests a pull and does not pull', async () => {
    const image = `${useEngine().registry}/berth-missing-${randomSuffix()}:latest`;
    const name = k.name('noimg');
    const err = await rejection(t.client.call('containers.run', { options: k.opts({ name, image }) }));
    expect(err.code).toBe('IMAGE_NOT_FOUND');
    expect(err.message).toContain(image);
    expect(err.hint).toMatch(/[Pp]ull/);
    await noContainerNamed(name);
    expect(await k.rawImageExists(image)).toBe(false);
  });

  it('runs the image for the platform asked (--platform), and refuses one the local image lacks without pulling', async () => {
    const own = `linux/${process.arch === 'arm64' ? 'arm64' : 'amd64'}`;
    const res = await t.client.call('containers.create', { options: k.opts({ name: k.name('plat'), platform: own }) });
    expect((await t.client.call('containers.inspect', { id: res.id })).state.status).toBe('created');
    const other = own === 'linux/amd64' ? 'linux/s390x' : 'linux/amd64';
    const name = k.name('otherplat');
    const err = await rejection(t.client.call('containers.create', { options: k.opts({ name, platform: other }) }));
    expect(err.code).toBe('IMAGE_NOT_FOUND');
    expect(err.message).toContain(`has no ${other} image here (it holds ${own}`);
    expect(err.hint).toMatch(/Pull it for/);
    await noContainerNamed(name);
  });

  it('INVALID_REFERENCE: an image reference the engine cannot parse', async () => {
    const err = await rejection(t.client.call('containers.run', { options: k.opts({ image: 'UPPER/Case' }) }));
    expect(err.code).toBe('INVALID_REFERENCE');
    expect(err.message).toContain('"UPPER/Case" is not a valid image reference');
  });

  it('NOT_FOUND: a network that does not exist, and nothing left behind', async () => {
    const name = k.name('nonet');
    const network = `berth-nonet-${randomSuffix()}`;
    const err = await rejection(t.client.call('containers.run', { options: k.opts({ name, network }) }));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain(`the network "${network}" does not exist`);
    await noContainerNamed(name);
  });

  it('INVALID_INPUT: an env file that cannot be read, before any container is made', async () => {
    const name = k.name('envfile');
    const missing = path.join(dir, 'missing.env');
    const err = await rejection(t.client.call('containers.run', { options: k.opts({ name, envFile: missing }) }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain(missing);
    await noContainerNamed(name);
  });

  it('renders the equivalent docker and nerdctl command lines', async () => {
    const r = await t.client.call('containers.runCommand', {
      runOptions: { image: 'nginx:1.27', name: 'web', ports: [{ hostPort: 8080, containerPort: 80 }], env: ["GREETING=it's here"], security: { privileged: true } },
    });
    expect(r.docker).toBe(`docker run -d --name web -e 'GREETING=it'\\''s here' -p 8080:80 --privileged nginx:1.27`);
    expect(r.nerdctl).toBe(r.docker.replace(/^docker/, 'nerdctl'));
    expect(r.warnings.join(' ')).toMatch(/full access to the host/);
  });
});
