import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assess } from '../../app/core/posture/catalogue';
import { nativeSecurityView, securityContextFromOptions, type NativeContainer } from '../../app/core/posture/oci-view';
import type { EngineSecurityContext } from '../../app/core/posture/view';
import { createLocalNerdctlRunner, createNerdctlEngine } from '../../app/adapters/engine/nerdctl';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { Logger } from '../../app/ports/logger';
import { randomSuffix } from '../support/engine';
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
    expect(ctx).toEqual(securityContextFromOptions(info.SecurityOptions ?? [], false));
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
