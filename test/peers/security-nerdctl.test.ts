import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assess } from '../../app/core/posture/catalogue';
import { nativeSecurityView, securityContextFromOptions, type NativeContainer } from '../../app/core/posture/oci-view';
import type { EngineSecurityContext } from '../../app/core/posture/view';
import { createLocalNerdctlRunner, createNerdctlEngine } from '../../app/adapters/engine/nerdctl';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { Logger } from '../../app/ports/logger';
import type { ImageMinimality } from '../../app/contract/security';
import { buildImage, createTestCore, rawDocker, randomSuffix, useEngine, type TestCore } from '../support/engine';
import { TEST_LABEL } from '../support/images';
import { freeLocalPort } from '../contract/containers-support';
import { describePeer, useContainerd, type ContainerdPeer } from '../support/peers';

const execFileP = promisify(execFile);
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

/**
 * The posture catalogue over containerd: containers made by the real nerdctl on the private
 * containerd, read back with `nerdctl inspect --mode native` (the OCI spec), give the same
 * findings as on dockerd.
 */
describePeer('containerd', 'security posture from nerdctl native inspect (private containerd)', () => {
  let c: ContainerdPeer;
  let ctx: EngineSecurityContext;
  const sfx = randomSuffix();
  const made: string[] = [];
  const nerdctl = async (...args: string[]) => (await execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 64 << 20 })).stdout;

  let engine: ContainerEngine;
  const security = () => engine.security as NonNullable<ContainerEngine['security']>;

  beforeAll(async () => {
    c = useContainerd();
    const runner = createLocalNerdctlRunner(createProcessRunner(quiet), { program: c.nerdctl, globalArgs: c.nerdctlArgs, env: c.env });
    engine = createNerdctlEngine({ id: 'nerdctl', name: 'nerdctl', runner, log: quiet, env: process.env, namespace: c.namespace });
    ctx = await security().context();
    const info = JSON.parse((await nerdctl('info', '--format', '{{json .}}')).trim()) as { SecurityOptions?: string[] };
    // containerd leaves ping_group_range closed (dockerd opens it): hardening adds the sysctl when it drops NET_RAW.
    expect(ctx).toEqual({ ...securityContextFromOptions(info.SecurityOptions ?? [], false), pingNeedsSysctl: true });
  });
  afterAll(async () => {
    if (c && made.length) await nerdctl('rm', '-f', ...made).catch(() => undefined);
  });

  /** `nerdctl create` (not started: privileged cannot start in this sandbox) or `run -d` with `flags`, then its posture. */
  const postureOf = async (base: string, flags: string[], opts: { start?: boolean } = {}) => {
    const name = `berth-sec-${base}-${sfx}`;
    made.push(name);
    await nerdctl(...(opts.start ? ['run', '-d'] : ['create']), '--name', name, '--label', `${TEST_LABEL}=1`, ...flags, c.images.busybox, 'sleep', '1000');
    // Through the nerdctl adapter (native inspect + the ports of its Docker-compatible inspect), as the core reads it.
    const view = await security().view(name);
    const [doc] = JSON.parse(await nerdctl('container', 'inspect', '--mode=native', name)) as NativeContainer[];
    // The pure mapping of the bare native record agrees, but for ports (nerdctl 2 keeps them elsewhere).
    expect({ ...nativeSecurityView(doc as NativeContainer, ctx), ports: view.ports }).toEqual(view);
    return { view, posture: assess(view, ctx) };
  };
  const ids = (p: { posture: { findings: Array<{ checkId: string }> } }) => p.posture.findings.map((f) => f.checkId);

  it('reads the engine context from nerdctl info (seccomp available, rootful)', () => {
    expect(ctx).toMatchObject({ seccompAvailable: true, rootless: false });
  });

  it('a plain container: root, NET_RAW, no-new-privileges off, no limits → Baseline, under runc', async () => {
    const r = await postureOf('plain', []);
    expect(r.view).toMatchObject({ name: `berth-sec-plain-${sfx}`, privileged: false, runtime: 'runc', seccomp: 'default', readonlyRootfs: false, noNewPrivileges: false });
    expect(r.view.capabilities).toContain('NET_RAW');
    expect(r.view.addedCapabilities).toEqual([]);
    expect(r.posture.level).toBe('baseline');
    expect(ids(r)).toEqual(expect.arrayContaining(['root-user', 'no-new-privileges', 'cap-net-raw', 'no-memory-limit', 'no-pids-limit']));
  });

  it('privileged → Unconfined (every capability, no seccomp), reported once', async () => {
    const r = await postureOf('priv', ['--privileged']);
    expect(r.view.privileged).toBe(true);
    expect(r.posture.level).toBe('unconfined');
    expect(ids(r)).toContain('privileged');
    expect(ids(r)).not.toContain('seccomp-unconfined');
  });

  it('added capabilities, host PID and host network → Unconfined with each named', async () => {
    const r = await postureOf('caps', ['--cap-add', 'sys_admin', '--cap-add', 'CAP_NET_ADMIN', '--pid', 'host', '--network', 'host']);
    expect(r.view.addedCapabilities).toEqual(expect.arrayContaining(['NET_ADMIN', 'SYS_ADMIN']));
    expect(r.view.namespaces).toMatchObject({ pid: 'host', network: 'host' });
    expect(ids(r)).toEqual(expect.arrayContaining(['cap-sys-admin', 'cap-net-admin', 'host-pid', 'host-network']));
    expect(r.posture.level).toBe('unconfined');
  });

  it("the engine's socket mounted → Unconfined; secrets in env are named only", async () => {
    const r = await postureOf('sock', ['-v', `${c.address}:/run/containerd/containerd.sock:ro`, '-e', 'DB_PASSWORD=hunter2-secret']);
    expect(ids(r)).toEqual(expect.arrayContaining(['engine-socket', 'secret-env-names']));
    expect(r.posture.level).toBe('unconfined');
    expect(JSON.stringify(r.posture)).not.toContain('hunter2');
  });

  it('lists the default runtime (runc v2) and the runtimes in use', async () => {
    const rts = await security().runtimes();
    expect(rts.find((r) => r.default)).toMatchObject({ name: 'io.containerd.runc.v2', label: 'runc', sandboxed: false });
  });

  it('a published port on every interface, limits and hardening flags are read from the spec and labels', async () => {
    // Started: nerdctl 2 keeps published ports with the running task's network state only.
    const port = await freeLocalPort();
    const r = await postureOf('tight', ['--user', '1000:1000', '--security-opt', 'no-new-privileges', '--cap-drop', 'ALL', '--read-only', '--memory', '64m', '--cpus', '0.5', '--pids-limit', '50', '-p', `${port}:80`, '--restart', 'always'], { start: true });
    expect(r.view).toMatchObject({ user: '1000:1000', noNewPrivileges: true, readonlyRootfs: true, capabilities: [], limits: { memoryBytes: 64 << 20, cpus: 0.5, pidsLimit: 50 }, restartPolicy: { name: 'always' } });
    expect(r.view.ports).toEqual([expect.objectContaining({ hostPort: port, containerPort: 80 })]);
    expect(ids(r)).toEqual(expect.arrayContaining(['ports-all-interfaces', 'restart-always']));
    expect(ids(r)).not.toContain('root-user');
    expect(r.posture.level).toBe('baseline');
  });
});

/**
 * Image minimality through nerdctl (`container export` of a never-started probe) gives what the Docker
 * adapter gives for the same image: each image is built once in the private dockerd and loaded into
 * the private containerd, so both engines hold the same layers.
 */
describePeer('containerd', 'image minimality on containerd matches the Docker adapter (same images)', () => {
  let c: ContainerdPeer;
  let t: TestCore;
  let engine: ContainerEngine;
  const sfx = randomSuffix();
  const tags: string[] = [];
  const nerdctl = async (...args: string[]) => (await execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 64 << 20 })).stdout;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-minimal-'));

  /** Built in dockerd, saved and loaded into containerd. */
  const both = async (base: string, files: Record<string, string | Buffer>) => {
    const tag = `berth-test/minimal-${base}-${sfx}:1`;
    tags.push(tag);
    await buildImage(rawDocker(), tag, files);
    const file = path.join(tmp, `${base}.tar`);
    await pipeline((await rawDocker().getImage(tag).get()) as NodeJS.ReadableStream, fs.createWriteStream(file));
    await nerdctl('load', '-i', file);
    return tag;
  };
  const fromDocker = (tag: string) => t.client.call('security.imageMinimality', { id: tag });
  const fromNerdctl = (tag: string) => (engine.security as NonNullable<ContainerEngine['security']>).imageMinimality(tag);
  /**
   * Everything but the image id (the engines name an image by different digests) and the exact size: each engine's
   * own figure, as its images list shows it (dockerd adds up the files' bytes, containerd the unpacked snapshot's
   * blocks), so it is compared within 5 % and by band.
   */
  const comparable = ({ imageId: _id, sizeBytes: _size, ...rest }: ImageMinimality) => rest;
  const sameSize = async (n: ImageMinimality, d: ImageMinimality, tag: string) => {
    expect(Math.abs(n.sizeBytes - d.sizeBytes) / d.sizeBytes).toBeLessThan(0.05);
    expect(n.sizeBytes).toBe((await engine.images.inspect(tag)).size);
  };

  beforeAll(async () => {
    c = useContainerd();
    const runner = createLocalNerdctlRunner(createProcessRunner(quiet), { program: c.nerdctl, globalArgs: c.nerdctlArgs, env: c.env });
    engine = createNerdctlEngine({ id: 'nerdctl', name: 'nerdctl', runner, log: quiet, env: process.env, namespace: c.namespace });
    t = await createTestCore();
  });
  afterAll(async () => {
    await t?.dispose();
    for (const tag of tags) {
      await nerdctl('rmi', '-f', tag).catch(() => undefined);
      await rawDocker().getImage(tag).remove({ force: true }).catch(() => undefined);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('busybox: a shell, no package manager, root, tiny (the same as on dockerd)', async () => {
    const m = await fromNerdctl(c.images.busybox);
    expect(m).toMatchObject({ class: 'slim', shell: '/bin/sh', packageManager: null, nonRootUser: false, sizeBand: 'tiny', distro: null });
    expect(m.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const d = await fromDocker(useEngine().images.busybox);
    expect(comparable(m)).toEqual(comparable(d));
    await sameSize(m, d, c.images.busybox);
  });

  it('a merged-/usr distribution (bin → usr/bin, os-release a link), apt, a non-root USER: identical answers', async () => {
    const tag = await both('distro', {
      Dockerfile: [
        `FROM ${useEngine().images.busybox} AS tools`,
        'RUN mkdir -p /out/usr/bin /out/usr/lib /out/etc && cp /bin/busybox /out/usr/bin/bash && echo apt > /out/usr/bin/apt-get && ln -s usr/bin /out/bin'
          + ' && printf \'PRETTY_NAME="Debian GNU/Linux 12"\\nID=debian\\n\' > /out/usr/lib/os-release && ln -s ../usr/lib/os-release /out/etc/os-release',
        'FROM scratch',
        'COPY --from=tools /out/ /',
        'USER 1000:1000',
      ].join('\n'),
    });
    const [n, d] = await Promise.all([fromNerdctl(tag), fromDocker(tag)]);
    expect(n).toMatchObject({ distro: 'debian', shell: '/bin/bash', packageManager: 'apt', user: '1000:1000', nonRootUser: true, sizeBand: 'tiny' });
    expect(comparable(n)).toEqual(comparable(d));
    await sameSize(n, d, tag);
  });

  it('distroless-like (a static binary, nothing else): the same class on both engines, and no probe container is left', async () => {
    const tag = await both('static', { Dockerfile: `FROM ${useEngine().images.busybox} AS b\nFROM scratch\nCOPY --from=b /bin/busybox /app\nUSER 65532\nENTRYPOINT ["/app"]` });
    const [n, d] = await Promise.all([fromNerdctl(tag), fromDocker(tag)]);
    expect(n).toMatchObject({ class: 'distroless', shell: null, packageManager: null, nonRootUser: true });
    expect(comparable(n)).toEqual(comparable(d));
    await sameSize(n, d, tag);
    expect((await nerdctl('container', 'ls', '-a', '-q', '--filter', 'label=io.berth.probe')).trim()).toBe('');
  });

  it('a missing image is IMAGE_NOT_FOUND, and nothing is left behind', async () => {
    await expect(fromNerdctl(`berth-test/no-such-image-${sfx}:1`)).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    expect((await nerdctl('container', 'ls', '-a', '-q', '--filter', 'label=io.berth.probe')).trim()).toBe('');
  });
});
