import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../app/contract/containers';
import { buildRows, counts, matchesQuery, portLinks, stateDot, stateText, uptimeSeconds } from '../../../renderer/features/containers/model';

const mk = (p: Partial<ContainerSummary> & { name: string }): ContainerSummary => ({
  id: `${p.name}-id`.padEnd(64, '0'),
  image: 'busybox:latest',
  imageId: 'sha256:x',
  command: 'sh',
  created: '2024-01-01T00:00:00Z',
  state: 'running',
  status: 'Up 3 minutes',
  health: null,
  ports: [],
  labels: {},
  compose: null,
  mounts: [],
  networks: [],
  ...p,
});

const view = { filter: 'all' as const, query: '', sort: { column: 'name', direction: 'asc' as const }, collapsed: new Set<string>(), group: true };

describe('containers page model', () => {
  it('reads uptimes from the engine status', () => {
    expect(uptimeSeconds('Up 3 minutes')).toBe(180);
    expect(uptimeSeconds('Up About an hour (healthy)')).toBe(3600);
    expect(uptimeSeconds('Up Less than a second')).toBe(0);
    expect(uptimeSeconds('Up 2 days (Paused)')).toBe(172800);
    expect(uptimeSeconds('Exited (0) 2 hours ago')).toBeNull();
  });

  it('says the state with health and exit code', () => {
    expect(stateText(mk({ name: 'a', health: 'healthy' }))).toBe('Running · healthy');
    expect(stateText(mk({ name: 'a', state: 'exited', status: 'Exited (137) 1 minute ago' }))).toBe('Exited (137)');
    expect(stateDot(mk({ name: 'a', state: 'exited', status: 'Exited (1) 1 minute ago' }))).toBe('down');
    expect(stateDot(mk({ name: 'a', state: 'exited', status: 'Exited (0) 1 minute ago' }))).toBe('idle');
    expect(stateDot(mk({ name: 'a', health: 'unhealthy' }))).toBe('down');
  });

  it('makes one localhost link per published tcp port', () => {
    const c = mk({
      name: 'web',
      ports: [
        { hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
        { hostIp: '::', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
        { hostIp: null, hostPort: null, containerPort: 443, protocol: 'tcp' },
        { hostIp: '0.0.0.0', hostPort: 5353, containerPort: 53, protocol: 'udp' },
        { hostIp: '192.168.1.5', hostPort: 9000, containerPort: 9000, protocol: 'tcp' },
      ],
    });
    expect(portLinks(c).map((p) => p.url)).toEqual([null, 'http://localhost:8080', 'http://192.168.1.5:9000']);
  });

  it('searches names, images, ids and labels with every word', () => {
    const c = mk({ name: 'shop-db', image: 'postgres:16', labels: { tier: 'backend' } });
    expect(matchesQuery(c, 'shop postgres')).toBe(true);
    expect(matchesQuery(c, 'tier=backend')).toBe(true);
    expect(matchesQuery(c, c.id.slice(0, 6))).toBe(true);
    expect(matchesQuery(c, 'shop redis')).toBe(false);
  });

  it('groups compose projects where their first member sorts, and folds them', () => {
    const compose = (project: string, service: string) => ({ project, service });
    const list = [
      mk({ name: 'zeta' }),
      mk({ name: 'shop-web-1', compose: compose('shop', 'web'), state: 'exited', status: 'Exited (0) 1 minute ago' }),
      mk({ name: 'alpha' }),
      mk({ name: 'shop-db-1', compose: compose('shop', 'db') }),
    ];
    const rows = buildRows(list, view);
    expect(rows.map((r) => (r.kind === 'group' ? `[${r.project} ${r.running}/${r.members.length}]` : r.c.name))).toEqual([
      'alpha',
      '[shop 1/2]',
      'shop-db-1',
      'shop-web-1',
      'zeta',
    ]);
    const folded = buildRows(list, { ...view, collapsed: new Set(['shop']) });
    expect(folded.map((r) => r.id)).toEqual(['alpha-id'.padEnd(64, '0'), 'group:shop', 'zeta-id'.padEnd(64, '0')]);
    const running = buildRows(list, { ...view, filter: 'running', sort: { column: 'name', direction: 'desc' } });
    expect(running.map((r) => (r.kind === 'group' ? r.project : r.c.name))).toEqual(['zeta', 'shop', 'shop-db-1', 'alpha']);
    expect(counts(list)).toEqual({ all: 4, running: 3, stopped: 1 });
  });
});
