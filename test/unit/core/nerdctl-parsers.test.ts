import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineSplitter, parseJsonArray, parseJsonLines } from '../../../app/core/nerdctl-json';
import { parseNerdctlPorts, portsFromInspect } from '../../../app/core/nerdctl-ports';
import { parsePsRow, splitLabelsText, stateFromStatus } from '../../../app/core/nerdctl-ps';
import { parseNerdctlTime, parsePercent, parseSize, parseSizePair } from '../../../app/core/nerdctl-units';
import { capDropOf, parseContainerInspect } from '../../../app/core/nerdctl-inspect';
import { parseInfo, isRootless } from '../../../app/core/nerdctl-info';

/* Parsers of nerdctl's output, on the samples of /work/shared/fixtures/nerdctl and variations not in that folder. */

const fx = (name: string) => fs.readFileSync(path.join('/work/shared/fixtures/nerdctl', name), 'utf8');

describe('nerdctl JSON output', () => {
  it('reads one object per line and skips blank lines (events print one after each)', () => {
    expect(parseJsonLines('{"a":1}\n\n{"a":2}\n\n')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('refuses a line that is not a JSON object with INTERNAL naming the command', () => {
    expect(() => parseJsonLines('{"a":1}\nnot json\n', 'ps')).toThrow(expect.objectContaining({ code: 'INTERNAL', message: expect.stringContaining('nerdctl ps') }));
    expect(() => parseJsonLines('[1,2]\n', 'ps')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('reads inspect output: a pretty-printed array followed by a blank line', () => {
    const docs = parseJsonArray(fx('container-inspect.json'), 'inspect');
    expect(docs).toHaveLength(1);
    expect(() => parseJsonArray('{"not":"an array"}', 'inspect')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('splits a byte stream into lines across chunk and UTF-8 boundaries', () => {
    const s = new LineSplitter();
    const bytes = new TextEncoder().encode('héllo\nwörld\npart');
    const out = [...s.push(bytes.slice(0, 2)), ...s.push(bytes.slice(2, 9)), ...s.push(bytes.slice(9))];
    expect(out).toEqual(['héllo', 'wörld']);
    expect(s.end()).toEqual(['part']);
  });
});

describe('sizes, percentages and times', () => {
  it('reads binary and decimal units, with or without a space', () => {
    expect(parseSize('3.109MiB')).toBe(Math.round(3.109 * 1024 * 1024));
    expect(parseSize('1.05kB')).toBe(1050);
    expect(parseSize('586B')).toBe(586);
    expect(parseSize('0B')).toBe(0);
    expect(parseSize('4.0 KiB')).toBe(4096);
    expect(parseSize('54.1MB')).toBe(54_100_000);
    expect(parseSize('3.832GiB')).toBe(Math.round(3.832 * 1024 ** 3));
    expect(parseSize('--')).toBeNull();
    expect(parseSize('')).toBeNull();
    expect(parseSizePair('1.05kB / 586B')).toEqual([1050, 586]);
    expect(parseSizePair('-- / --')).toEqual([null, null]);
    expect(parsePercent('0.08%')).toBe(0.08);
    expect(parsePercent('--')).toBeNull();
  });

  it('reads both time formats: RFC 3339 (ps, events) and Go default (images)', () => {
    expect(parseNerdctlTime('2026-08-22T10:02:03.456789012+09:00')).toBe('2026-08-22T01:02:03.456Z');
    expect(parseNerdctlTime('2026-08-01 21:34:56 +0900 JST')).toBe('2026-08-01T12:34:56.000Z');
    expect(parseNerdctlTime('2026-08-01 21:34:56.123456 -0700 PDT')).toBe('2026-08-02T04:34:56.123Z');
    expect(parseNerdctlTime('2026-08-01 12:34:56 +0000 UTC')).toBe('2026-08-01T12:34:56.000Z');
    expect(parseNerdctlTime('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseNerdctlTime('')).toBeNull();
    expect(parseNerdctlTime('yesterday')).toBeNull();
  });
});

describe('ps: the Ports text', () => {
  it('reads the fixture form', () => {
    expect(parseNerdctlPorts('0.0.0.0:8080->80/tcp')).toEqual([{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
  });

  it('reads ranges (expanded), UDP, IPv6 and several ranges of one group (protocol only at the end)', () => {
    const ports = parseNerdctlPorts('0.0.0.0:8000-8001->80-81, 9000->90/tcp, 0.0.0.0:5353->53/udp, :::8080->80/tcp, [::1]:7000->70/sctp');
    expect(ports).toEqual([
      { hostIp: '0.0.0.0', hostPort: 8000, containerPort: 80, protocol: 'tcp' },
      { hostIp: '0.0.0.0', hostPort: 8001, containerPort: 81, protocol: 'tcp' },
      { hostIp: '0.0.0.0', hostPort: 9000, containerPort: 90, protocol: 'tcp' },
      { hostIp: '0.0.0.0', hostPort: 5353, containerPort: 53, protocol: 'udp' },
      { hostIp: '::', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '::1', hostPort: 7000, containerPort: 70, protocol: 'sctp' },
    ]);
  });

  it('is empty for no ports and skips what is not a mapping', () => {
    expect(parseNerdctlPorts('')).toEqual([]);
    expect(parseNerdctlPorts(undefined)).toEqual([]);
    expect(parseNerdctlPorts('garbage, 0.0.0.0:1->2/tcp')).toEqual([{ hostIp: '0.0.0.0', hostPort: 1, containerPort: 2, protocol: 'tcp' }]);
  });

  it('reads Docker-style port maps of inspect (published and only exposed)', () => {
    expect(portsFromInspect({ '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '53/udp': null, bad: [] })).toEqual([
      { hostIp: null, hostPort: null, containerPort: 53, protocol: 'udp' },
      { hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
    ]);
  });
});

describe('ps: status, state and health', () => {
  it.each([
    ['Up', 'running', null, null],
    ['Up (healthy)', 'running', 'healthy', null],
    ['Up (unhealthy)', 'running', 'unhealthy', null],
    ['Up (health: starting)', 'running', 'starting', null],
    ['Exited (137) 3 seconds ago', 'exited', null, 137],
    ['Exited (0) About an hour ago', 'exited', null, 0],
    ['Created', 'created', null, null],
    ['Paused', 'paused', null, null],
    ['Pausing', 'paused', null, null],
    ['Restarting (1) 2 seconds ago', 'restarting', null, 1],
    ['Unknown', 'created', null, null],
    ['', 'created', null, null],
  ])('%j', (status, state, health, exitCode) => {
    expect(stateFromStatus(status)).toEqual({ state, health, exitCode });
  });
});

describe('ps rows', () => {
  const rows = parseJsonLines(fx('ps.jsonl'), 'ps').map(parsePsRow);

  it('reads every fixture row: Go field names, no State, labels not split on commas', () => {
    expect(rows.map((r) => [r.id, r.name, r.state, r.status])).toEqual([
      ['3f2b9c1e7a4d', 'web', 'running', 'Up'],
      ['9a8b7c6d5e4f', 'alpine-9a8b7', 'exited', 'Exited (0) About an hour ago'],
      ['1c2d3e4f5a6b', 'never-started', 'created', 'Created'],
    ]);
    const web = rows[0];
    expect(web?.created).toBe('2026-08-22T01:02:03.456Z');
    expect(web?.command).toBe('/docker-entrypoint.…');
    expect(web?.image).toBe('nginx:alpine');
    expect(web?.ports).toEqual([{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
    expect(web?.labels).toEqual({
      'com.example.tier': 'frontend',
      'io.containerd.image.config.stop-signal': 'SIGQUIT',
      maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>',
    });
    expect(web?.networks).toEqual(['bridge']);
    expect(web?.compose).toBeNull();
    expect(rows[2]?.networks).toEqual([]);
  });

  it('prefers the LabelsMap Berth asks for: values with commas and "=" survive', () => {
    const row = parsePsRow({
      item: { ID: 'a'.repeat(64), Names: 'ünïcødé-名前', Status: 'Up (healthy)', CreatedAt: '2026-08-22T10:02:03Z', Labels: 'ignored', Ports: '' },
      labels: {
        note: 'a,b=c,d',
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': 'db',
        'nerdctl/mounts': '[{"Type":"volume","Name":"data","Source":"/v/data/_data","Destination":"/data","RW":true},{"Type":"bind","Source":"/etc/x","Destination":"/x","RW":false}]',
      },
    });
    expect(row.name).toBe('ünïcødé-名前');
    expect(row.health).toBe('healthy');
    expect(row.labels).toEqual({ note: 'a,b=c,d', 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db' });
    expect(row.compose).toEqual({ project: 'shop', service: 'db' });
    expect(row.mounts).toEqual([
      { type: 'volume', name: 'data', source: '/v/data/_data', target: '/data', readOnly: false },
      { type: 'bind', source: '/etc/x', target: '/x', readOnly: true },
    ]);
  });

  it('reads nerdctl 2\'s one-label-per-mount form (nerdctl/mounts.0, .1, ... .10) in index order', () => {
    const m = (n: number) => JSON.stringify({ Type: 'volume', Name: `v${n}`, Source: `/v/v${n}/_data`, Destination: `/d${n}`, Driver: 'local', RW: true });
    const labels: Record<string, string> = {};
    for (const n of [10, 2, 0, 1]) labels[`nerdctl/mounts.${n}`] = m(n);
    const row = parsePsRow({ item: { ID: 'b'.repeat(64), Names: 'x', Status: 'Created' }, labels });
    expect(row.mounts.map((x) => [x.name, x.target, x.driver])).toEqual([['v0', '/d0', 'local'], ['v1', '/d1', 'local'], ['v2', '/d2', 'local'], ['v10', '/d10', 'local']]);
    expect(row.labels).toEqual({});
  });

  it('reads only nerdctl/mounts.N keys among other labels, and keeps the user labels in their order', () => {
    const m = (n: number) => JSON.stringify({ Type: 'bind', Source: `/s${n}`, Destination: `/d${n}` });
    const labels: Record<string, string> = { a: '1', 'nerdctl/mounts.1': m(1), 'nerdctl/mounts.x': m(7), 'nerdctl/mounts.': m(8), 'nerdctl/mounts.2a': m(9), b: '2', 'nerdctl/mounts.0': m(0), 'x.nerdctl/mounts.3': m(3), 'nerdctl/name': 'n' };
    const row = parsePsRow({ item: { ID: 'c'.repeat(64), Names: 'n', Status: 'Created' }, labels });
    expect(row.mounts.map((x) => x.target)).toEqual(['/d0', '/d1']);
    expect(Object.entries(row.labels)).toEqual([['a', '1'], ['b', '2'], ['x.nerdctl/mounts.3', m(3)]]);
    // Labels made in dictionary mode keep their order, integer-like keys first as in any plain object.
    const given = { z: '1', '10': 'x', 'nerdctl/name': 'n', y: '2', '2': 'w' };
    const plain: Record<string, string> = {};
    for (const [k, v] of Object.entries(given)) plain[k] = v;
    const shown = parsePsRow({ item: { ID: 'c'.repeat(64), Status: 'Created' }, labels: given }).labels;
    expect(JSON.stringify(shown)).toBe(JSON.stringify({ '2': 'w', '10': 'x', z: '1', y: '2' }));
    expect(Object.getPrototypeOf(shown)).toBe(Object.prototype);
    expect(Object.keys(plain)).toEqual(['2', '10', 'z', 'nerdctl/name', 'y']);
    // A label that is not a string is dropped (strMap), as before.
    expect(parsePsRow({ item: { ID: 'c'.repeat(64), Status: 'Created' }, labels: { a: 1, b: 'x' } }).labels).toEqual({ b: 'x' });
  });

  it('shows nerdctl\'s expanded --cap-drop ALL as ALL, and other drops as given', () => {
    const all = ['CAP_CHOWN', 'CAP_FOWNER', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE'];
    expect(capDropOf(all)).toEqual(['ALL']);
    expect(capDropOf(all.slice(1))).toEqual(all.slice(1));
    expect(capDropOf(['NET_RAW'])).toEqual(['NET_RAW']);
    expect(capDropOf([])).toEqual([]);
  });

  it('copes with missing optional fields (no ports, no labels, no names, no time)', () => {
    const row = parsePsRow({ ID: 'abcdef0123456789', Status: 'Created' });
    expect(row).toMatchObject({ id: 'abcdef0123456789', name: 'abcdef012345', state: 'created', ports: [], labels: {}, networks: [], mounts: [], compose: null });
    expect(row.created).toBe(new Date(0).toISOString());
  });

  it('a bare Labels text is split only before a new key', () => {
    expect(splitLabelsText('a=1,nerdctl/dns={"X":null,"Y":null},b=x,y')).toEqual({ a: '1', 'nerdctl/dns': '{"X":null,"Y":null}', b: 'x,y' });
    expect(splitLabelsText('')).toEqual({});
  });
});

describe('container inspect', () => {
  const [doc] = parseJsonArray(fx('container-inspect.json'));
  const d = parseContainerInspect(doc ?? {});

  it('maps the fixture: name without slash, ports, labels, networks named from the label', () => {
    expect(d.id).toBe('3f2b9c1e7a4d5f60b8e9a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2');
    expect(d.name).toBe('web');
    expect(d.path).toBe('/docker-entrypoint.sh');
    expect(d.args).toEqual(['nginx', '-g', 'daemon off;']);
    expect(d.state).toMatchObject({ status: 'running', running: true, pid: 23456, startedAt: '2026-08-22T01:02:03.812Z', finishedAt: null, health: null });
    expect(d.ports).toEqual([{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
    expect(d.hostConfig.portBindings).toEqual([{ containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080 }]);
    expect(d.hostConfig.restartPolicy).toEqual({ name: 'no', maximumRetryCount: 0 });
    expect(d.hostConfig.limits).toEqual({ nanoCpus: 0, cpus: null, memoryBytes: null, pidsLimit: null });
    expect(d.config.env).toContainEqual({ name: 'NGINX_VERSION', value: '1.x.y' });
    expect(d.config.labels).toEqual({ 'io.containerd.image.config.stop-signal': 'SIGQUIT', maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>' });
    expect(d.config.stopSignal).toBe('SIGQUIT');
    expect(d.networks).toEqual([
      { name: 'bridge', networkId: '', ipAddress: '10.4.0.2', ipPrefixLen: 24, ipv6Address: '', gateway: '', macAddress: '6a:3c:9f:12:34:56', aliases: [] },
    ]);
    expect(d.raw).toBe(doc);
  });

  it('a never-started container (State.Status "") is created, with no times', () => {
    const c = parseContainerInspect({ ...doc, State: { Status: '', Running: false, Paused: false, Pid: 0, ExitCode: 0, StartedAt: '', FinishedAt: '' } });
    expect(c.state).toMatchObject({ status: 'created', running: false, startedAt: null, finishedAt: null });
  });

  it('an exited one has its finish time and exit code; limits and health are read', () => {
    const c = parseContainerInspect({
      ...doc,
      State: {
        Status: 'exited',
        Running: false,
        ExitCode: 137,
        StartedAt: '2026-08-22T01:02:03Z',
        FinishedAt: '2026-08-22T02:00:00.5Z',
        Health: { Status: 'unhealthy', FailingStreak: 3, Log: [{ Start: '2026-08-22T01:59:00Z', End: '2026-08-22T01:59:01Z', ExitCode: 1, Output: 'down' }] },
      },
      HostConfig: { CpuQuota: 150000, CpuPeriod: 100000, Memory: 268435456, PidsLimit: 64, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } },
    });
    expect(c.state).toMatchObject({ status: 'exited', exitCode: 137, finishedAt: '2026-08-22T02:00:00.500Z' });
    expect(c.state.health).toEqual({ status: 'unhealthy', failingStreak: 3, log: [{ start: '2026-08-22T01:59:00.000Z', end: '2026-08-22T01:59:01.000Z', exitCode: 1, output: 'down' }] });
    expect(c.hostConfig.limits).toEqual({ nanoCpus: 1_500_000_000, cpus: 1.5, memoryBytes: 268435456, pidsLimit: 64 });
    expect(c.hostConfig.restartPolicy).toEqual({ name: 'on-failure', maximumRetryCount: 3 });
    expect(c.ports).toEqual([]);
  });

  it("leaves out the resolv.conf, hosts and hostname nerdctl writes for the container (Docker lists no such mounts)", () => {
    const state = '/var/lib/nerdctl/1935db59/containers/default/abc';
    const hosts = '/var/lib/nerdctl/1935db59/etchosts/default/abc/hosts';
    const bind = (Source: string, Destination: string) => ({ Type: 'bind', Source, Destination, Mode: 'bind,rprivate', RW: true, Propagation: 'rprivate' });
    const c = parseContainerInspect({
      ...doc,
      ResolvConfPath: `${state}/resolv.conf`,
      HostsPath: hosts,
      Config: { ...(doc?.Config as object), Labels: { 'nerdctl/state-dir': state } },
      Mounts: [bind(`${state}/resolv.conf`, '/etc/resolv.conf'), bind(hosts, '/etc/hosts'), bind(`${state}/hostname`, '/etc/hostname'), bind('/home/me/hosts', '/etc/hosts2')],
    });
    expect(c.mounts.map((m) => [m.source, m.target])).toEqual([['/home/me/hosts', '/etc/hosts2']]);
  });

  it('missing optional parts give defaults, not failures', () => {
    const c = parseContainerInspect({ Id: 'x', Name: '/y' });
    expect(c).toMatchObject({ id: 'x', name: 'y', args: [], mounts: [], networks: [], ports: [], compose: null });
    expect(c.config).toMatchObject({ cmd: null, entrypoint: null, env: [], labels: {} });
  });
});

describe('info and version', () => {
  it('info: the fixture, with counts given by the caller; rootless is recognised', () => {
    const [i] = parseJsonLines(fx('info.jsonl'));
    const info = parseInfo(i ?? {}, ['running', 'exited', 'paused', 'created'], 5);
    expect(info).toMatchObject({
      name: 'lima-default',
      serverVersion: '2.2.1',
      operatingSystem: 'Ubuntu 24.04.3 LTS',
      kernelVersion: '6.8.0-79-generic',
      architecture: 'aarch64',
      cpus: 4,
      memory: 4114874368,
      containers: { total: 4, running: 1, paused: 1, stopped: 2 },
      images: 5,
      driver: 'overlayfs',
      cgroupDriver: 'systemd',
      cgroupVersion: '2',
      warnings: [],
    });
    expect(isRootless(i ?? {})).toBe(true);
    expect(isRootless({ SecurityOptions: ['name=seccomp,profile=builtin'] })).toBe(false);
  });

  it('version: the fixture names containerd among the server components', () => {
    const [v] = parseJsonLines<{ Client: { Version: string }; Server: { Components: { Name: string; Version: string }[] } }>(fx('version.jsonl'));
    expect(v?.Client.Version).toBe('v2.3.5');
    expect(v?.Server.Components.find((c) => c.Name === 'containerd')?.Version).toBe('v2.2.1');
  });
});
