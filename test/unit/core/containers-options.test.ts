import { describe, expect, it } from 'vitest';
import { RunOptionsShape, RunOptions, runOptionsIssues, runOptionsWarnings, type ContainerDetails } from '../../../app/contract/containers';
import { detailsToRunOptions, mergeRunChanges } from '../../../app/contract/containers-options';

const issues = (o: unknown) => runOptionsIssues(RunOptionsShape.partial().parse(o)).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('runOptionsIssues', () => {
  it('accepts a sound set of options', () => {
    expect(issues({ image: 'x', ports: [{ hostPort: 80, containerPort: 80 }, { hostPort: 80, containerPort: 80, protocol: 'udp' }], restartPolicy: { name: 'always' } })).toEqual([]);
    expect(issues({ ports: [{ hostIp: '127.0.0.1', hostPort: 80, containerPort: 80 }, { hostIp: '127.0.0.2', hostPort: 80, containerPort: 81 }] })).toEqual([]);
  });
  it('finds clashes', () => {
    expect(issues({ autoRemove: true, restartPolicy: { name: 'unless-stopped' } })).toEqual(['autoRemove: auto-remove cannot be combined with the restart policy "unless-stopped" (use "no")']);
    expect(issues({ restartPolicy: { name: 'always', maximumRetryCount: 3 } })).toEqual(['restartPolicy.maximumRetryCount: a maximum retry count only applies to the "on-failure" policy']);
    expect(issues({ ports: [{ hostIp: '0.0.0.0', hostPort: 80, containerPort: 80 }, { hostIp: '127.0.0.1', hostPort: 80, containerPort: 81 }] })).toEqual([
      'ports.1.hostPort: host port 80/tcp is already used by port 1',
    ]);
    expect(issues({ mounts: [{ type: 'bind', source: 'rel', target: '/a' }, { type: 'tmpfs', source: 'x', target: '/a' }, { type: 'volume', source: 'bad/name', target: '/b' }] })).toEqual([
      'mounts.0.source: a bind mount needs an absolute host path, not "rel"',
      'mounts.1.source: a tmpfs mount has no source',
      'mounts.1.target: /a is already the target of mount 1',
      'mounts.2.source: "bad/name" is not a valid volume name (letters, digits, _ . -, at least 2 characters)',
    ]);
    expect(issues({ network: 'host', hostname: 'h', ports: [{ containerPort: 80 }] })).toEqual([
      'hostname: a host name cannot be set with the "host" network (the container uses the host\'s)',
      'ports: ports cannot be published with the "host" network',
    ]);
  });
  it('is what the schema reports', () => {
    const r = RunOptions.safeParse({ image: 'x', autoRemove: true, restartPolicy: { name: 'always' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['autoRemove']);
  });
});

describe('runOptionsWarnings', () => {
  it('flags dangerous settings', () => {
    const w = runOptionsWarnings({ security: { privileged: true, capAdd: ['SYS_ADMIN'], seccompProfile: 'unconfined', apparmorProfile: 'unconfined' }, network: 'host' });
    expect(w).toHaveLength(5);
    expect(w[0]).toMatch(/full access to the host/);
    expect(runOptionsWarnings({ security: { capAdd: ['NET_ADMIN'] } })).toEqual([]);
  });
});

const details = (over: Partial<ContainerDetails> = {}): ContainerDetails => ({
  id: 'abcdef1234567890',
  name: 'web',
  created: '2024-01-01T00:00:00.000Z',
  image: 'app:1',
  imageId: 'sha256:1',
  path: 'sh',
  args: [],
  restartCount: 0,
  platform: 'linux',
  state: { status: 'running', running: true, paused: false, restarting: false, oomKilled: false, dead: false, pid: 1, exitCode: 0, error: '', startedAt: null, finishedAt: null, health: null },
  config: { image: 'app:1', cmd: ['serve'], entrypoint: null, env: [{ name: 'A', value: '1' }], workingDir: '', user: '', hostname: 'abcdef123456', tty: false, openStdin: false, labels: { l: 'v' }, stopSignal: null },
  hostConfig: {
    restartPolicy: { name: 'on-failure', maximumRetryCount: 2 },
    autoRemove: false,
    networkMode: 'default',
    portBindings: [{ hostIp: '127.0.0.1', containerPort: 80, protocol: 'tcp' }],
    limits: { nanoCpus: 0, cpus: null, memoryBytes: 67108864, pidsLimit: null },
    security: { readonlyRootfs: false, capAdd: [], capDrop: ['NET_RAW'], noNewPrivileges: false, seccompProfile: null, apparmorProfile: 'docker-default', privileged: false },
  },
  ports: [],
  mounts: [
    { type: 'volume', name: 'data', source: '/var/lib/docker/volumes/data/_data', target: '/data', readOnly: false },
    { type: 'bind', source: '/srv', target: '/srv', readOnly: true },
  ],
  networks: [],
  compose: null,
  raw: {},
  ...over,
});

describe('detailsToRunOptions and mergeRunChanges', () => {
  it('turns details into run options, leaving out engine defaults', () => {
    expect(detailsToRunOptions(details())).toEqual({
      image: 'app:1',
      name: 'web',
      command: ['serve'],
      env: [{ name: 'A', value: '1' }],
      ports: [{ hostIp: '127.0.0.1', containerPort: 80, protocol: 'tcp' }],
      mounts: [
        { type: 'volume', source: 'data', target: '/data', readOnly: false },
        { type: 'bind', source: '/srv', target: '/srv', readOnly: true },
      ],
      restartPolicy: { name: 'on-failure', maximumRetryCount: 2 },
      limits: { memoryBytes: 67108864 },
      security: { capDrop: ['NET_RAW'] },
      labels: { l: 'v' },
    });
    expect(RunOptions.safeParse(detailsToRunOptions(details())).success).toBe(true);
  });
  it('replaces fields and merges limits and security key by key', () => {
    const m = mergeRunChanges(detailsToRunOptions(details()), { env: [], limits: { cpus: 1 }, security: { readonlyRootfs: true } });
    expect(m.env).toEqual([]);
    expect(m.limits).toEqual({ memoryBytes: 67108864, cpus: 1 });
    expect(m.security).toEqual({ capDrop: ['NET_RAW'], readonlyRootfs: true });
    expect(m.command).toEqual(['serve']);
  });
});
