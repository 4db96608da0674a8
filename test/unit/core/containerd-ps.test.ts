import { describe, expect, it } from 'vitest';
import {
  containerdState,
  containerName,
  formatPorts,
  humanDuration,
  restartReconciles,
  summariesFromContainerd,
  TaskStatus,
  type CniPortMapping,
  type ContainerdContainer,
  type ContainerdTask,
} from '../../../app/core/containerd-ps';
import { goQuote, goUnquote } from '../../../app/core/go-quote';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const pm = (HostPort: number, ContainerPort: number, Protocol = 'tcp', HostIP = '0.0.0.0'): CniPortMapping => ({ HostPort, ContainerPort, Protocol, HostIP });

describe('humanDuration (go-units HumanDuration)', () => {
  it.each([
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [S, '1 second'],
    [59 * S + 999, '59 seconds'],
    [60 * S, 'About a minute'],
    [119 * S, 'About a minute'],
    [2 * M, '2 minutes'],
    [59 * M, '59 minutes'],
    [60 * M, 'About an hour'],
    [89 * M, 'About an hour'],
    [90 * M, '2 hours'],
    [47 * H, '47 hours'],
    [48 * H, '2 days'],
    [14 * 24 * H, '2 weeks'],
    [60 * 24 * H, '2 months'],
    [2 * 365 * 24 * H, '2 years'],
  ])('%d ms → %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
});

describe('containerdState (nerdctl formatter.ContainerStatus + the health ps adds)', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  const containerdStatus = (...a: Parameters<typeof containerdState>) => containerdState(...a).status;
  it('names each task state as nerdctl does', () => {
    expect(containerdStatus(undefined, {}, now)).toBe('Created');
    expect(containerdStatus({ status: TaskStatus.CREATED, exitStatus: 0, exitedMs: null }, {}, now)).toBe('Created');
    expect(containerdStatus({ status: TaskStatus.RUNNING, exitStatus: 0, exitedMs: null }, {}, now)).toBe('Up');
    expect(containerdStatus({ status: TaskStatus.PAUSED, exitStatus: 0, exitedMs: null }, {}, now)).toBe('Paused');
    expect(containerdStatus({ status: TaskStatus.PAUSING, exitStatus: 0, exitedMs: null }, {}, now)).toBe('Pausing');
    expect(containerdStatus({ status: TaskStatus.UNKNOWN, exitStatus: 0, exitedMs: null }, {}, now)).toBe('Unknown');
    expect(containerdStatus({ status: TaskStatus.STOPPED, exitStatus: 137, exitedMs: now - 3 * M }, {}, now)).toBe('Exited (137) 3 minutes ago');
    // Go's time.Since of the zero time saturates at the longest Duration.
    expect(containerdStatus({ status: TaskStatus.STOPPED, exitStatus: 0, exitedMs: null }, {}, now)).toBe('Exited (0) 292 years ago');
  });

  it('says Restarting while containerd\'s restart monitor will start the task again', () => {
    const stopped = { status: TaskStatus.STOPPED, exitStatus: 1, exitedMs: now - 5 * S };
    expect(containerdStatus(stopped, { 'containerd.io/restart.status': 'running', 'containerd.io/restart.policy': 'always' }, now)).toBe('Restarting (1) 5 seconds ago');
    expect(containerdStatus(stopped, { 'containerd.io/restart.status': 'stopped', 'containerd.io/restart.policy': 'always' }, now)).toBe('Exited (1) 5 seconds ago');
    expect(containerdStatus(stopped, { 'containerd.io/restart.status': 'running', 'containerd.io/restart.policy': 'always', 'containerd.io/restart.explicitly-stopped': 'true' }, now)).toBe('Exited (1) 5 seconds ago');
  });

  it('adds the health state of a running container, and ignores an unreadable one', () => {
    const up = { status: TaskStatus.RUNNING, exitStatus: 0, exitedMs: null };
    expect(containerdStatus(up, { 'nerdctl/healthstate': '{"Status":"healthy","FailingStreak":0}' }, now)).toBe('Up (healthy)');
    expect(containerdStatus(up, { 'nerdctl/healthstate': '{"status":"unhealthy"}' }, now)).toBe('Up (unhealthy)');
    expect(containerdStatus(up, { 'nerdctl/healthstate': '{"Status":"starting"}' }, now)).toBe('Up (health: starting)');
    expect(containerdStatus(up, { 'nerdctl/healthstate': '{"Status":"none"}' }, now)).toBe('Up');
    expect(containerdStatus(up, { 'nerdctl/healthstate': '{broken' }, now)).toBe('Up');
    expect(containerdStatus({ status: TaskStatus.PAUSED, exitStatus: 0, exitedMs: null }, { 'nerdctl/healthstate': '{"Status":"healthy"}' }, now)).toBe('Paused');
  });
});

describe('restartReconciles (containerd restart.Reconcile)', () => {
  const policy = (p: string, extra: Record<string, string> = {}) => ({ 'containerd.io/restart.policy': p, ...extra });
  it.each([
    ['always', 0, {}, true],
    ['', 0, {}, true],
    ['unless-stopped', 0, {}, true],
    ['no', 1, {}, false],
    ['always:3', 1, {}, false],
    ['on-failure', 0, {}, false],
    ['on-failure', 1, {}, true],
    ['on-failure:2', 1, { 'containerd.io/restart.count': '1' }, true],
    ['on-failure:2', 1, { 'containerd.io/restart.count': '2' }, false],
    ['on-failure:2', 1, { 'containerd.io/restart.count': 'x' }, false],
    ['on-failure:x', 1, {}, false],
    ['bogus', 1, {}, false],
  ] as const)('%s, exit %d → %s', (p, exit, extra, want) => expect(restartReconciles(exit, policy(p, extra))).toBe(want));
});

describe('formatPorts (nerdctl formatter.FormatPorts, its own test cases)', () => {
  it.each([
    [[pm(3000, 8080, 'tcp', '127.0.0.1')], '127.0.0.1:3000->8080/tcp'],
    [[pm(3000, 8080, 'tcp', '127.0.0.1'), pm(3001, 8081, 'tcp', '127.0.0.1')], '127.0.0.1:3000-3001->8080-8081/tcp'],
    [[pm(3000, 8080)], '0.0.0.0:3000->8080/tcp'],
    [[pm(3000, 8080, 'udp')], '0.0.0.0:3000->8080/udp'],
    [[pm(3000, 8080), pm(3001, 8081), pm(3002, 8082, 'udp'), pm(3003, 8083, 'udp')], '0.0.0.0:3000-3001->8080-8081/tcp, 0.0.0.0:3002-3003->8082-8083/udp'],
    [[pm(9001, 91), pm(9000, 90), pm(8000, 70)], '0.0.0.0:8000->70, 9000-9001->90-91/tcp'],
    [[pm(53, 53, 'udp', '::'), pm(80, 80)], '0.0.0.0:80->80/tcp, :::53->53/udp'],
    [[], ''],
  ])('%j → %s', (ports, text) => expect(formatPorts(ports)).toBe(text));
});

describe('goQuote / goUnquote (strconv.Quote, as nerdctl prints the command)', () => {
  it.each([
    ['sleep 1000', '"sleep 1000"'],
    ['sh -c echo "hi"', '"sh -c echo \\"hi\\""'],
    ['a\tb\nc\\d', '"a\\tb\\nc\\\\d"'],
    ['\x00\x7f', '"\\x00\\x7f"'],
    ['é ✓ 日本', '"é ✓ 日本"'],
    ['\u00ad\u200b', '"\\u00ad\\u200b"'],
    ['\u{e0001}', '"\\U000e0001"'],
  ])('%j ⇄ %s', (raw, quoted) => {
    expect(goQuote(raw)).toBe(quoted);
    expect(goUnquote(quoted)).toBe(raw);
  });

  it('quotes every ASCII character as strconv.Quote does, alone and amid plain text (the plain-ASCII shortcut too)', () => {
    const short: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
    for (let cp = 0; cp < 128; cp++) {
      const ch = String.fromCharCode(cp);
      const want = short[cp] ?? (cp >= 0x20 && cp < 0x7f ? ch : `\\x${cp.toString(16).padStart(2, '0')}`);
      expect(goQuote(ch), `U+${cp}`).toBe(`"${want}"`);
      expect(goQuote(`sleep ${ch} 1`)).toBe(`"sleep ${want} 1"`);
      expect(goUnquote(goQuote(`sleep ${ch} 1`))).toBe(`sleep ${ch} 1`);
    }
    expect(goUnquote('"plain \'text\'"')).toBe("plain 'text'");
  });

  it('leaves text that is not Go-quoted as it is', () => {
    expect(goUnquote('sleep 1000')).toBe('sleep 1000');
    expect(goUnquote('"')).toBe('"');
  });
});

describe('rows from containerd records', () => {
  const base: ContainerdContainer = { id: 'a'.repeat(64), labels: { 'nerdctl/name': 'web', team: 'x' }, image: 'docker.io/library/nginx:alpine', createdMs: Date.parse('2026-12-05T10:00:00.123Z'), command: 'nginx -g daemon off;' };

  const one = (c: ContainerdContainer, task: ContainerdTask | undefined, ports: readonly CniPortMapping[] | null, now = 0) => summariesFromContainerd([c], new Map(task ? [[c.id, task]] : []), () => ports, now)[0];

  it('gives the summary the CLI path reads from nerdctl ps', () => {
    expect(one(base, { status: TaskStatus.RUNNING, exitStatus: 0, exitedMs: null }, [pm(8080, 80, 'tcp', '127.0.0.1')], Date.now())).toMatchObject({
      id: base.id,
      name: 'web',
      image: 'nginx:alpine',
      command: 'nginx -g daemon off;',
      created: '2026-12-05T10:00:00.123Z',
      state: 'running',
      status: 'Up',
      ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
      labels: { team: 'x' },
    });
  });

  it('reads the legacy ports label only when nerdctl stored no mappings, and survives a broken one', () => {
    const legacy = { ...base, labels: { ...base.labels, 'nerdctl/ports': '[{"HostPort":81,"ContainerPort":80,"Protocol":"udp","HostIP":"0.0.0.0"}]' } };
    expect(one(legacy, undefined, null)?.ports).toEqual([{ hostIp: '0.0.0.0', hostPort: 81, containerPort: 80, protocol: 'udp' }]);
    expect(one(legacy, undefined, [])?.ports).toEqual([{ hostIp: '0.0.0.0', hostPort: 81, containerPort: 80, protocol: 'udp' }]);
    expect(one(legacy, undefined, [pm(90, 9)])?.ports).toEqual([{ hostIp: '0.0.0.0', hostPort: 90, containerPort: 9, protocol: 'tcp' }]);
    const broken = { ...base, labels: { ...base.labels, 'nerdctl/ports': '[{' } };
    expect(one(broken, undefined, null)?.ports).toEqual([]);
  });

  it('names Kubernetes containers and sandboxes as nerdctl does, and an unset creation time as unknown', () => {
    expect(containerName({ 'io.kubernetes.pod.namespace': 'kube-system', 'io.kubernetes.pod.name': 'dns', 'io.kubernetes.container.name': 'coredns' })).toBe('k8s://kube-system/dns/coredns');
    expect(containerName({ 'io.kubernetes.pod.namespace': 'kube-system', 'io.kubernetes.pod.name': 'dns' })).toBe('k8s://kube-system/dns');
    expect(containerName({})).toBe('');
    const nameless = one({ ...base, labels: {}, createdMs: null }, undefined, null);
    expect(nameless).toMatchObject({ name: base.id.slice(0, 12), created: new Date(0).toISOString(), status: 'Created', state: 'created' });
  });

  it('lists newest first, with each container\'s own task', () => {
    const older = { ...base, id: 'b'.repeat(64), createdMs: 1000 };
    const newer = { ...base, id: 'c'.repeat(64), createdMs: 2000 };
    const rows = summariesFromContainerd([older, newer], new Map([[older.id, { status: TaskStatus.STOPPED, exitStatus: 2, exitedMs: 0 }]]), () => null, 5000);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      [newer.id, 'Created'],
      [older.id, 'Exited (2) 5 seconds ago'],
    ]);
  });
});
