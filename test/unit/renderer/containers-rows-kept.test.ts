import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../app/contract/containers';
import { buildRows, containerSearch, shownContainers } from '../../../renderer/features/containers/model';
import { IconChevronRight, IconRefresh } from '../../../renderer/components/Icons';
import { svgMarkup } from '../../../renderer/components/icon-mask';

const mk = (name: string, project?: string, state: ContainerSummary['state'] = 'running'): ContainerSummary => ({
  id: `${name}-id`.padEnd(64, '0'),
  name,
  image: 'busybox:latest',
  imageId: 'sha256:x',
  command: 'sh',
  created: '2024-01-01T00:00:00Z',
  state,
  status: state === 'running' ? 'Up 3 minutes' : 'Exited (0) 1 minute ago',
  health: null,
  ports: [],
  labels: project ? { 'com.docker.compose.project': project } : {},
  compose: project ? { project, service: name } : null,
  mounts: [],
  networks: [],
});

const view = { filter: 'all' as const, query: '', sort: { column: 'name', direction: 'asc' as const }, collapsed: new Set<string>(), group: true };

describe('containers rows are kept while they stay on screen', () => {
  const list = [mk('web-1', 'shop'), mk('db-1', 'shop'), mk('api'), mk('worker', undefined, 'exited')];

  it('hands the same row objects for the containers a keystroke keeps', () => {
    const all = buildRows(list, view);
    // Every container's image is busybox: "busy" keeps every row, the same objects (nothing to render again).
    const kept = buildRows(list, { ...view, query: 'busy' });
    expect(kept).not.toBe(all);
    expect(kept).toHaveLength(all.length);
    kept.forEach((r, i) => expect(r).toBe(all[i]));
    const narrowed = buildRows(list, { ...view, query: 'api' });
    expect(narrowed.map((r) => r.id)).toEqual([list[2]!.id]);
    expect(narrowed[0]).toBe(all.find((r) => r.id === list[2]!.id));
  });

  it('keeps a compose group row while its shown members are the same, and makes a new one when they change', () => {
    const first = buildRows(list, view).find((r) => r.kind === 'group');
    const same = buildRows(list, { ...view, query: 'shop' }).find((r) => r.kind === 'group');
    expect(same).toBe(first);
    const fewer = buildRows(list, { ...view, query: 'web' }).find((r) => r.kind === 'group');
    expect(fewer).not.toBe(first);
    expect(fewer?.kind === 'group' && fewer.members.map((m) => m.name)).toEqual(['web-1']);
  });

  it('a changed container (a new object from a refetch) gets a new row; a flat list has rows of their own', () => {
    const rows = buildRows(list, view);
    const changed = list.map((c) => (c.name === 'api' ? { ...c, state: 'exited' as const, status: 'Exited (0) now' } : c));
    const next = buildRows(changed, view);
    expect(next.find((r) => r.id === list[2]!.id)).not.toBe(rows.find((r) => r.id === list[2]!.id));
    expect(next.find((r) => r.id === list[0]!.id)).toBe(rows.find((r) => r.id === list[0]!.id));
    const flat = buildRows(list, { ...view, group: false });
    const member = flat.find((r) => r.id === list[0]!.id);
    expect(member?.kind === 'container' && member.group).toBeNull();
    expect(buildRows(list, view).find((r) => r.id === list[0]!.id)).toMatchObject({ group: 'shop' });
  });

  it('the page and its rows share one search per keystroke (the same answer array for the same sorted list)', () => {
    const v = { ...view, query: 'shop' };
    expect(shownContainers(list, v).map((c) => c.name)).toEqual(['db-1', 'web-1']);
    const built = containerSearch.built;
    containerSearch.prepare(list);
    containerSearch.prepare(list);
    expect(containerSearch.built).toBe(built);
  });
});

describe('icons as CSS masks', () => {
  it('writes an icon as a standalone SVG image: namespace, pixel size, SVG attribute names, no accessibility props', () => {
    const m = svgMarkup(IconRefresh({}));
    expect(m.startsWith('<svg ')).toBe(true);
    expect(m).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(m).toContain('width="16"');
    expect(m).toContain('viewBox="0 0 16 16"');
    expect(m).toContain('stroke-width="1.4"');
    expect(m).toContain('stroke-linecap="round"');
    expect(m).not.toMatch(/aria-hidden|focusable|class=|strokeWidth/);
    expect(m.match(/<path /g)).toHaveLength(2);
    expect(svgMarkup(IconChevronRight({}))).toContain('<path d="m6 4 4 4-4 4"></path>');
  });
});
