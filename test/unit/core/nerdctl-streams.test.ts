import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonArray, parseJsonLines } from '../../../app/core/nerdctl-json';
import { parseEventLine } from '../../../app/core/nerdctl-events';
import { parseStatsRow } from '../../../app/core/nerdctl-stats';
import { parseHistoryRow, parseImageInspect, parseImageRows, PullProgressParser } from '../../../app/core/nerdctl-images';
import { parseNetworkInspect, parseVolumeInspect } from '../../../app/core/nerdctl-objects';
import { hasErrorLine, mapNerdctlMessage, nerdctlMessage } from '../../../app/core/nerdctl-errors';
import { parsePsRow, stateFromStatus } from '../../../app/core/nerdctl-ps';

const fx = (name: string) => fs.readFileSync(path.join('/work/shared/fixtures/nerdctl', name), 'utf8');
const ID = '3f2b9c1e7a4d5f60b8e9a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2';

describe('events', () => {
  it('2.3 (Status key) and main (Action key, blank lines): the verb comes from the topic', () => {
    const v23 = fx('events-v2.3.jsonl').split('\n').map((l) => parseEventLine(l, 'default')).filter(Boolean);
    expect(v23).toEqual([{ kind: 'container', action: 'start', id: ID, time: Date.parse('2026-08-22T01:02:03.987Z') + 0.654321 }]);
    const head = fx('events-head.jsonl').split('\n').map((l) => parseEventLine(l, 'default')).filter(Boolean);
    expect(head.map((e) => [e?.kind, e?.action, e?.id, e?.attributes])).toEqual([
      ['container', 'start', ID, undefined],
      ['container', 'create', ID, { image: 'docker.io/library/nginx:alpine' }],
      ['container', 'die', ID, { exitCode: '137' }],
    ]);
  });

  it('drops other namespaces, blank lines, topics Berth does not follow and non-JSON lines', () => {
    const line = fx('events-v2.3.jsonl').split('\n')[0] ?? '';
    expect(parseEventLine(line, 'k8s.io')).toBeNull();
    expect(parseEventLine('', 'default')).toBeNull();
    expect(parseEventLine('WARN something', 'default')).toBeNull();
    expect(parseEventLine(JSON.stringify({ Namespace: 'default', Topic: '/snapshot/prepare', Event: '{"key":"x"}' }), 'default')).toBeNull();
  });

  it('an exec exit is exec_die, images are named by reference, pause/resume/delete map to Docker verbs', () => {
    const ev = (Topic: string, Event: object, ID = '') => parseEventLine(JSON.stringify({ Timestamp: '2026-08-22T10:02:03Z', ID, Namespace: 'default', Topic, Event: JSON.stringify(Event) }), 'default');
    expect(ev('/tasks/exit', { container_id: 'c1', id: 'exec-1', exit_status: 3 }, 'c1')).toMatchObject({ action: 'exec_die', id: 'c1', attributes: { exitCode: '3', execID: 'exec-1' } });
    expect(ev('/images/create', { name: 'docker.io/library/busybox:latest' })).toMatchObject({ kind: 'image', action: 'create', id: 'docker.io/library/busybox:latest', name: 'docker.io/library/busybox:latest' });
    expect(ev('/images/delete', { name: 'x:1' })).toMatchObject({ kind: 'image', action: 'delete' });
    expect(ev('/tasks/paused', { container_id: 'c1' }, 'c1')).toMatchObject({ action: 'pause' });
    expect(ev('/tasks/resumed', { container_id: 'c1' }, 'c1')).toMatchObject({ action: 'unpause' });
    expect(ev('/containers/delete', { id: 'c1' })).toMatchObject({ action: 'destroy', id: 'c1' });
  });
});

describe('stats', () => {
  it('the fixture: unit strings become the numbers the Docker adapter gives; an unreadable row is null', () => {
    const [ok, bad] = parseJsonLines(fx('stats.jsonl')).map((r) => parseStatsRow(r, 'T'));
    expect(ok).toEqual({
      id: '3f2b9c1e7a4d',
      name: 'web',
      ts: 'T',
      cpuPercent: 0,
      memoryUsed: Math.round(3.109 * 1024 ** 2),
      memoryLimit: Math.round(3.832 * 1024 ** 3),
      // From the bytes (nerdctl's own text says 0.08%).
      memoryPercent: (Math.round(3.109 * 1024 ** 2) / Math.round(3.832 * 1024 ** 3)) * 100,
      netRx: 1050,
      netTx: 586,
      blockRead: 0,
      blockWrite: 8190,
      pids: 5,
    });
    expect(bad).toBeNull();
  });

  it('busy containers: CPU above 100 % on several CPUs, no memory limit, no PIDs', () => {
    const s = parseStatsRow({ ID: 'a', Name: 'long-container-name', CPUPerc: '250.5%', MemUsage: '1.5GiB / 0B', MemPerc: '--', NetIO: '1MB / 2MB', BlockIO: '3kB / 4kB', PIDs: '' }, 'T');
    expect(s).toMatchObject({ cpuPercent: 250.5, memoryUsed: 1.5 * 1024 ** 3, memoryLimit: 0, memoryPercent: 0, netRx: 1e6, netTx: 2e6, pids: 0 });
  });
});

describe('images', () => {
  it('the fixture: one image per digest, tags, dangling (<none>), sizes and the Go time format', () => {
    const imgs = parseImageRows(parseJsonLines(fx('images.jsonl')), new Map([['docker.io/library/nginx:alpine', 2]]));
    expect(imgs).toEqual([
      {
        id: 'sha256:4ff3ca91275773af45cb4b0834e12b7eb47d1c18f770a0b151381cd227f4c253',
        repoTags: ['nginx:alpine'],
        repoDigests: ['nginx@sha256:4ff3ca91275773af45cb4b0834e12b7eb47d1c18f770a0b151381cd227f4c253'],
        size: 54_100_000,
        created: '2026-08-01T12:34:56.000Z',
        labels: {},
        containers: 2,
        inUse: true,
        dangling: false,
        platforms: ['linux/arm64/v8'],
      },
      {
        id: 'sha256:0000000000000000000000000000000000000000000000000000000000000abc',
        repoTags: [],
        repoDigests: [],
        size: 8_500_000,
        created: '2026-08-01T12:34:56.000Z',
        labels: {},
        containers: 0,
        inUse: false,
        dangling: true,
        platforms: ['linux/arm64/v8'],
      },
    ]);
  });

  it('several tags and platforms of one digest are one image with every tag', () => {
    const row = (Tag: string, Platform: string, Size: string) => ({ Digest: 'sha256:aa', ID: 'aa', Repository: 'app', Tag, Name: `docker.io/library/app:${Tag}`, Size, CreatedAt: '2026-08-01 21:34:56 +0900 JST', Platform });
    const [img] = parseImageRows([row('1', 'linux/amd64', '10MB'), row('latest', 'linux/amd64', '10MB'), row('1', 'linux/arm64', '12MB')], new Map());
    expect(img?.repoTags).toEqual(['app:1', 'app:latest']);
    expect(img?.size).toBe(12_000_000);
    expect(img?.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('image inspect: the fixture', () => {
    const [doc] = parseJsonArray(fx('image-inspect.json'));
    const d = parseImageInspect(doc ?? {});
    expect(d).toMatchObject({
      id: 'sha256:5e2f3c9a1b7d4e6f8a0b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f',
      repoTags: ['nginx:alpine'],
      parentId: null,
      created: '2026-08-01T12:34:56.000Z',
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      size: 54075392,
      layers: ['sha256:aaaa…', 'sha256:bbbb…'],
    });
    expect(d.config).toMatchObject({ cmd: ['nginx', '-g', 'daemon off;'], entrypoint: ['/docker-entrypoint.sh'], exposedPorts: ['80/tcp'], labels: { maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>' } });
  });

  it('history rows: missing layers have no id', () => {
    expect(parseHistoryRow({ Snapshot: '<missing>', CreatedAt: '2026-08-01T12:34:56Z', CreatedBy: 'CMD ["sh"]', Size: '0B', Comment: 'x' })).toEqual({ id: null, created: '2026-08-01T12:34:56.000Z', createdBy: 'CMD ["sh"]', size: 0, tags: [], comment: 'x' });
  });

  it('pull progress: the per-blob table becomes aggregated layer progress', () => {
    const p = new PullProgressParser();
    p.push('docker.io/library/alpine:latest:                                           resolved       |++++++++++++++++++++++++++++++++++++++|');
    p.push('layer-sha256:1111111111111111111111111111111111111111111111111111111111111111:    downloading    |+++-------| 1.0 MiB/4.0 MiB');
    p.push('layer-sha256:2222222222222222222222222222222222222222222222222222222222222222:    waiting        |----------|');
    p.push('config-sha256:3333:   done   |++++|');
    p.push('elapsed: 1.2 s    total:  1.0 Mi (0.8 MiB/s)');
    const s = p.snapshot();
    expect(s.layers).toEqual([
      { id: '111111111111', status: 'downloading', current: 1024 ** 2, total: 4 * 1024 ** 2 },
      { id: '222222222222', status: 'waiting', current: 0, total: 0 },
    ]);
    expect(s.bytesDone).toBe(1024 ** 2);
    expect(s.message).toContain('resolved');
    p.push('layer-sha256:1111111111111111111111111111111111111111111111111111111111111111:    done    |++++++++++|');
    expect(p.snapshot().layers[0]).toEqual({ id: '111111111111', status: 'complete', current: 4 * 1024 ** 2, total: 4 * 1024 ** 2 });
  });
});

describe('volumes, networks, compose', () => {
  const containers = [
    parsePsRow({ item: { ID: 'c1', Names: 'db', Status: 'Up' }, labels: { 'nerdctl/mounts': '[{"Type":"volume","Name":"dbdata","Source":"/x","Destination":"/var/lib/db","RW":true}]', 'nerdctl/networks': '["bridge"]' } }),
  ];

  it('volume ls fixture: names in random order, Labels text; inspect gives the label map and size', () => {
    const ls = parseJsonLines(fx('volume-ls.jsonl'));
    expect(ls.map((v) => v.Name).sort()).toEqual(['dbdata', 'myapp_cache']);
    const v = parseVolumeInspect({ Name: 'dbdata', Mountpoint: '/m', Labels: { 'com.docker.compose.project': 'myapp' }, Size: 4096 }, containers, true);
    expect(v).toEqual({ name: 'dbdata', driver: 'local', mountpoint: '/m', created: null, labels: { 'com.docker.compose.project': 'myapp' }, scope: 'local', usedBy: [{ id: 'c1', name: 'db' }], size: 4096, refCount: 1, anonymous: false });
    expect(parseVolumeInspect({ Name: 'a'.repeat(64) }, [], true)).toMatchObject({ size: 0, anonymous: true, labels: {} });
    expect(parseVolumeInspect({ Name: 'x' }, [], false).size).toBeNull();
  });

  it('network ls fixture and a dockercompat inspect', () => {
    expect(parseJsonLines(fx('network-ls.jsonl')).map((n) => n.Name)).toEqual(['bridge', 'host', 'none']);
    const n = parseNetworkInspect(
      { Name: 'bridge', Id: '17f29b073143', IPAM: { Config: [{ Subnet: '10.4.0.0/24', Gateway: '10.4.0.1' }] }, Labels: { 'nerdctl/default-network': 'true' }, Containers: { c1: { Name: 'db', IPv4Address: '10.4.0.2/24' } } },
      containers,
    );
    expect(n).toMatchObject({ id: '17f29b073143', name: 'bridge', builtIn: true, ipam: [{ subnet: '10.4.0.0/24', gateway: '10.4.0.1' }], containers: [{ id: 'c1', name: 'db', ipv4: '10.4.0.2' }] });
    expect(parseNetworkInspect({ Name: 'mine', Labels: null, Containers: null }, [])).toMatchObject({ id: 'mine', builtIn: false, ipam: [], containers: [] });
  });

  it('compose ps fixture: one array; its projects and states agree with what Berth reads from labels and status words', () => {
    const rows = parseJsonArray<{ Project: string; Service: string; State: string }>(fx('compose-ps.json'));
    expect(rows.map((r) => [r.Project, r.Service, stateFromStatus(r.State.charAt(0).toUpperCase() + r.State.slice(1)).state])).toEqual([
      ['myapp', 'web', 'running'],
      ['myapp', 'db', 'exited'],
    ]);
  });
});

describe('errors', () => {
  const ctx = { endpoint: 'lima://berth', op: 'run the container', subject: 'web' };
  const samples = fx('errors.txt')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [cmd, code, ...rest] = l.split(' | ');
      return { cmd: cmd ?? '', code: Number(code), stderr: rest.join(' | ') };
    });
  const codeFor = (cmd: string) => {
    const s = samples.find((x) => x.cmd.startsWith(cmd));
    if (!s) throw new Error(`no sample ${cmd}`);
    return mapNerdctlMessage(nerdctlMessage(s.stderr), ctx)?.code ?? null;
  };

  it('reads the message out of logrus lines (Go escapes, "N errors:" prefix)', () => {
    expect(nerdctlMessage(samples[0]?.stderr ?? '')).toBe(`name-store error\nname "web" is already used by ID "${ID}"`);
    expect(nerdctlMessage('time="x" level=fatal msg="1 errors:\\nno such container: nosuch"')).toBe('no such container: nosuch');
    expect(nerdctlMessage('plain failure\n')).toBe('plain failure');
  });

  it.each([
    ['run --name web', 'NAME_IN_USE'],
    ['logs nosuch', 'NOT_FOUND'],
    ['rm nosuch', 'NOT_FOUND'],
    ['rm -f nosuch', 'NOT_FOUND'],
    ['rm web', 'CONTAINER_RUNNING'],
    ['rmi nosuch', 'IMAGE_NOT_FOUND'],
    ['run -p 8080:80', 'PORT_ALLOCATED'],
    ['run -p 80 ... (rootless)', 'INVALID_INPUT'],
    ['pull alpine:nosuchtag', 'IMAGE_NOT_FOUND'],
    ['run --pull=never', 'IMAGE_NOT_FOUND'],
    ['network create mynet', 'NAME_IN_USE'],
    ['network rm mynet', 'CONFLICT'],
    ['(limactl shell, instance stopped)', 'VM_NOT_RUNNING'],
  ])('%s → %s', (cmd, code) => {
    expect(codeFor(cmd)).toBe(code);
  });

  it('pull access denied is left to the Docker wording rules (PULL_DENIED there)', () => {
    expect(codeFor('pull nosuchuser/nosuchrepo')).toBeNull();
  });

  it('rootless limits say what to do; the port is in the details', () => {
    const e = mapNerdctlMessage('cannot expose privileged port 80, you can add \'net.ipv4.ip_unprivileged_port_start=80\'', ctx);
    expect(e?.code).toBe('PERMISSION_DENIED');
    expect(e?.hint).toMatch(/below 1024/);
    expect(e?.details).toMatchObject({ port: 80 });
    expect(mapNerdctlMessage(nerdctlMessage(samples.find((s) => s.cmd.includes('rootless'))?.stderr ?? ''), ctx)?.hint).toMatch(/explicit|8080:80/);
  });

  it('`rm -f` of a missing container exits 0 with an error line: that line is detected', () => {
    const s = samples.find((x) => x.cmd === 'rm -f nosuch');
    expect(s?.code).toBe(0);
    expect(hasErrorLine(s?.stderr ?? '')).toBe(true);
    expect(hasErrorLine('time="x" level=warning msg="meh"')).toBe(false);
  });
});

describe('errors told only in a warning', () => {
  it('a missing volume: "could not be inspected" plus the warning that says not found → NOT_FOUND', () => {
    const stderr = 'time="t" level=warning msg="volume-store error\\nnot found\\n\\"nosuchvol/volume.json\\" does not exist"\ntime="t" level=fatal msg="some volumes could not be inspected"\n';
    const m = nerdctlMessage(stderr);
    expect(m).toContain('not found');
    expect(mapNerdctlMessage(m, { endpoint: 'x', op: 'inspect the volume', subject: 'nosuchvol' })?.code).toBe('NOT_FOUND');
  });
});
