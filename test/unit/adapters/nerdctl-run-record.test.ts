import fs from 'node:fs';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createNerdctlEngine } from '../../../app/adapters/engine/nerdctl/index';
import { SHARED_READ_MS } from '../../../app/adapters/engine/nerdctl/shared-read';
import { createArgs } from '../../../app/adapters/engine/nerdctl/containers';
import { parseContainerInspect, readRunConfig, RUN_CONFIG_LABEL, runConfigLabel, withNativeSpec } from '../../../app/core/nerdctl-inspect';
import { mapNerdctlMessage } from '../../../app/core/nerdctl-errors';
import { userLabels } from '../../../app/core/nerdctl-ps';
import type { EngineCommandRunner } from '../../../app/ports/engine/command-runner';
import { silentLog } from '../../support/recording-log';

/* What the nerdctl adapter adds to nerdctl's inspect for containers.run: the OCI spec's view, Berth's run record, rootless capabilities. */

const fx = (name: string) => fs.readFileSync(`/work/shared/fixtures/nerdctl/${name}`, 'utf8');
const inspectDoc = () => (JSON.parse(fx('container-inspect.json')) as Array<Record<string, unknown>>)[0] ?? {};

describe('nerdctl inspect completed from the OCI spec', () => {
  const base = parseContainerInspect(inspectDoc());

  it('reads the TTY, the working directory and no-new-privileges; no seccomp filter is "unconfined"', () => {
    const d = withNativeSpec(base, { Spec: { process: { terminal: true, noNewPrivileges: true, cwd: '/srv' }, linux: {} } });
    expect(d.config.tty).toBe(true);
    expect(d.config.workingDir).toBe(base.config.workingDir || '/srv');
    expect(d.hostConfig.security).toMatchObject({ noNewPrivileges: true, seccompProfile: 'unconfined' });
  });

  it('a filter in the spec is the default profile (null, as Docker shows it); a privileged container has none and shows null', () => {
    const filtered = withNativeSpec(base, { Spec: { process: { cwd: '/' }, linux: { seccomp: { defaultAction: 'SCMP_ACT_ERRNO' } } } });
    expect(filtered.hostConfig.security.seccompProfile).toBeNull();
    expect(filtered.config.tty).toBe(false);
    expect(filtered.hostConfig.security.noNewPrivileges).toBe(false);
    const priv = withNativeSpec({ ...base, hostConfig: { ...base.hostConfig, security: { ...base.hostConfig.security, privileged: true } } }, { Spec: { linux: {} } });
    expect(priv.hostConfig.security.seccompProfile).toBeNull();
  });

  it('capabilities show as asked (NET_ADMIN), not nerdctl\'s CAP_NET_ADMIN', () => {
    const doc = inspectDoc();
    const d = parseContainerInspect({ ...doc, HostConfig: { ...(doc.HostConfig as object), CapAdd: ['CAP_NET_ADMIN'], CapDrop: ['CAP_NET_RAW'] } });
    expect(d.hostConfig.security).toMatchObject({ capAdd: ['NET_ADMIN'], capDrop: ['NET_RAW'] });
  });
});

describe("Berth's run record (containerd keeps only the process's arguments)", () => {
  it('round-trips entrypoint, command and -i through the label, which is not shown as a user label', () => {
    const label = runConfigLabel({ entrypoint: ['sh', '-c'], command: ['echo hi'], openStdin: true });
    expect(readRunConfig(label)).toEqual({ entrypoint: ['sh', '-c'], cmd: ['echo hi'], openStdin: true });
    expect(readRunConfig(runConfigLabel({}))).toEqual({ entrypoint: null, cmd: null, openStdin: false });
    expect(userLabels({ [RUN_CONFIG_LABEL]: label, app: 'web' })).toEqual({ app: 'web' });
    const doc = inspectDoc();
    const cfg = doc.Config as { Labels?: Record<string, string> };
    const d = parseContainerInspect({ ...doc, Config: { ...cfg, Labels: { ...(cfg.Labels ?? {}), [RUN_CONFIG_LABEL]: label } } });
    expect(d.config).toMatchObject({ entrypoint: ['sh', '-c'], cmd: ['echo hi'], openStdin: true });
    expect(d.config.labels[RUN_CONFIG_LABEL]).toBeUndefined();
  });

  it('a label someone else wrote (not JSON) reads as a container made outside Berth', () => {
    expect(readRunConfig('not json')).toBeNull();
    expect(readRunConfig(undefined)).toBeNull();
  });

  it('create arguments carry the record; standard input without a TTY is refused before nerdctl runs', async () => {
    const { args } = await createArgs({ image: 'busybox', command: ['sleep', '1'], tty: true, openStdin: true }, {});
    const label = args[args.indexOf('--label') + 1] ?? '';
    expect(label.startsWith(`${RUN_CONFIG_LABEL}=`)).toBe(true);
    expect(readRunConfig(label.slice(RUN_CONFIG_LABEL.length + 1))).toEqual({ entrypoint: null, cmd: ['sleep', '1'], openStdin: true });
    await expect(createArgs({ image: 'busybox', openStdin: true }, {})).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/only together with a TTY/) });
  });
});

describe('a network that is gone, seen at start', () => {
  it('is NOT_FOUND naming the network (the CNI hook\'s quoted message)', () => {
    const e = mapNerdctlMessage('failed to create shim task: OCI runtime create failed: error running hook #0: stderr: time="x" level=fatal msg="no such network: \\"berth-net\\""', { endpoint: 'nerdctl', op: 'start the container', subject: 'web' });
    expect(e?.code).toBe('NOT_FOUND');
    expect(e?.message).toBe('Could not start the container "web": the network "berth-net" does not exist.');
  });
});

describe('rootless containerd capabilities', () => {
  const log = silentLog();
  const engine = (info: string | (() => string), up: () => boolean = () => true) => {
    const runner: EngineCommandRunner = {
      endpoint: 'nerdctl (test)',
      async run(args) {
        if (!up()) return { exitCode: 1, stdout: '', stderr: 'time="x" level=fatal msg="cannot access containerd socket \\"/run/containerd/containerd.sock\\": no such file or directory"' };
        if (args.includes('version')) return { exitCode: 0, stdout: fx('version.jsonl'), stderr: '' };
        if (args.includes('info')) return { exitCode: 0, stdout: typeof info === 'string' ? info : info(), stderr: '' };
        return { exitCode: 1, stdout: '', stderr: `time="x" level=fatal msg="unexpected ${args.join(' ')}"` };
      },
      spawn: () => Promise.reject(new Error('no processes here')),
    };
    return createNerdctlEngine({ id: 'n', name: 'n', runner, log, env: {} });
  };

  it('no automatic or low host ports once the version read finds a rootless engine; a rootful one keeps them', async () => {
    const rootlessInfo = fx('info.jsonl');
    expect(rootlessInfo).toContain('name=rootless');
    const rootless = engine(rootlessInfo);
    expect(rootless.capabilities.autoHostPort).toBeUndefined();
    await rootless.system.version();
    expect(rootless.capabilities).toMatchObject({ autoHostPort: false, lowHostPorts: false, openStdin: false });

    const rootful = engine(rootlessInfo.replace(/"name=rootless"/g, '"name=cgroupns"'));
    await rootful.system.version();
    expect(rootful.capabilities.autoHostPort).toBeUndefined();
    expect(rootful.capabilities.lowHostPorts).toBeUndefined();
  });

  it('an engine that went away is asked again when it is back (the VM may have switched to rootful)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => void vi.useRealTimers());
    let up = true;
    let info = fx('info.jsonl');
    const e = engine(() => info, () => up);
    await e.system.version();
    expect(e.capabilities.autoHostPort).toBe(false);
    up = false;
    // Within SHARED_READ_MS the last answer is shared (shared-read.ts); after it, the engine is asked again.
    vi.setSystemTime(Date.now() + SHARED_READ_MS + 1);
    await expect(e.system.version()).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' });
    up = true;
    info = info.replace(/"name=rootless"/g, '"name=cgroupns"');
    await e.system.version();
    expect(e.capabilities.autoHostPort).toBeUndefined();
  });
});
