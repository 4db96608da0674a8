import type { ContainerSummary } from '../../../app/contract/containers';
import type { ContainerStats } from '../../../app/contract/stats';
import type { SortState } from '../../components/VirtualTable/types';
import { SearchIndex } from '../../lib/search-index';

/**
 * The containers page as data: filtering, search, compose groups and sorting, plus how states,
 * ports and uptimes read. Pure, so it is unit-tested and fast on thousands of rows.
 */
export type StateFilter = 'all' | 'running' | 'stopped';

/** As StatusDot takes it (kept here so this module stays free of JSX). */
export type DotStatus = 'up' | 'down' | 'connecting' | 'idle';

export type ListRow =
  | { kind: 'group'; id: string; project: string; members: ContainerSummary[]; running: number }
  | { kind: 'container'; id: string; c: ContainerSummary; group: string | null };

export const groupRowId = (project: string) => `group:${project}`;

export const isUp = (c: Pick<ContainerSummary, 'state'>) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting';

export function matchesFilter(c: ContainerSummary, f: StateFilter): boolean {
  if (f === 'all') return true;
  return f === 'running' ? isUp(c) : !isUp(c);
}

/** What the filter box searches: the name, image, id, compose project and service, and labels (key=value). */
export const containerSearch = new SearchIndex<ContainerSummary>((c) => [
  c.name,
  c.image,
  c.id,
  c.compose?.project,
  c.compose?.service,
  ...Object.entries(c.labels).map(([k, v]) => `${k}=${v}`),
]);

/** Words of the query must all appear in the name, image, id, compose project or labels (key=value). */
export const matchesQuery = (c: ContainerSummary, query: string): boolean => containerSearch.matches(c, query);

/** The containers the state filter and the query let through, in list order (indexed: see lib/search-index). */
export const filterContainers = (all: readonly ContainerSummary[], filter: StateFilter, query: string): ContainerSummary[] =>
  containerSearch.filter(all, query).filter((c) => matchesFilter(c, filter));

const STATE_RANK: Record<ContainerSummary['state'], number> = { running: 0, restarting: 1, paused: 2, created: 3, removing: 4, exited: 5, dead: 6 };

/** Seconds since the container started, read from the engine's status ("Up 3 minutes"); null when not up. */
export function uptimeSeconds(status: string): number | null {
  const m = /^Up\s+(.+?)(?:\s+\(.*\))?$/i.exec(status.trim());
  if (!m) return null;
  const t = (m[1] ?? '').toLowerCase();
  if (/less than a second/.test(t)) return 0;
  const unit: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800, month: 2592000, year: 31536000 };
  const u = /(?:(\d+)|an?|about an?)\s*(second|minute|hour|day|week|month|year)s?/.exec(t);
  if (!u) return null;
  return (u[1] ? Number(u[1]) : 1) * (unit[u[2] ?? 'second'] ?? 1);
}

export const exitCode = (status: string): number | null => {
  const m = /^Exited \((-?\d+)\)/.exec(status);
  return m ? Number(m[1]) : null;
};

export function stateDot(c: Pick<ContainerSummary, 'state' | 'health' | 'status'>): DotStatus {
  if (c.health === 'unhealthy' || c.state === 'dead') return 'down';
  if (c.state === 'restarting' || c.health === 'starting' || c.state === 'removing') return 'connecting';
  if (c.state === 'running') return 'up';
  const code = exitCode(c.status);
  return code !== null && code !== 0 && code !== 137 && code !== 143 ? 'down' : 'idle';
}

export function stateText(c: Pick<ContainerSummary, 'state' | 'health' | 'status'>): string {
  const base = c.state === 'exited' ? `Exited${exitCode(c.status) !== null ? ` (${exitCode(c.status)})` : ''}` : c.state[0]!.toUpperCase() + c.state.slice(1);
  return c.health ? `${base} · ${c.health}` : base;
}

export interface PortLink {
  hostPort: number;
  containerPort: number;
  protocol: string;
  /** Where a browser reaches it (tcp only). */
  url: string | null;
  hostIp: string | null;
}

/** Published ports, one per host port and protocol (IPv4 and IPv6 bindings of one port are one). */
export function portLinks(c: Pick<ContainerSummary, 'ports'>): PortLink[] {
  const seen = new Set<string>();
  const out: PortLink[] = [];
  for (const p of c.ports) {
    if (p.hostPort === null) continue;
    const key = `${p.hostPort}/${p.protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Bound to one specific address that is not loopback: localhost would not reach it.
    const specific = p.hostIp !== null && p.hostIp !== '' && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' && p.hostIp !== '127.0.0.1' && p.hostIp !== '::1';
    const url = p.protocol === 'tcp' ? `http://${specific ? (p.hostIp!.includes(':') ? `[${p.hostIp}]` : p.hostIp) : 'localhost'}:${p.hostPort}` : null;
    out.push({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol, url, hostIp: p.hostIp });
  }
  return out.sort((a, b) => a.hostPort - b.hostPort);
}

export type StatsById = Readonly<Record<string, ContainerStats | undefined>>;

export function sortKey(column: string, c: ContainerSummary, stats: StatsById): string | number | null {
  switch (column) {
    case 'state':
      return STATE_RANK[c.state] * 10 + (c.health === 'unhealthy' ? 0 : c.health === 'starting' ? 1 : 2);
    case 'name':
      return c.name;
    case 'image':
      return c.image;
    case 'ports':
      return portLinks(c)[0]?.hostPort ?? null;
    case 'cpu':
      return stats[c.id]?.cpuPercent ?? null;
    case 'memory':
      return stats[c.id]?.memoryUsed ?? null;
    case 'uptime':
      return uptimeSeconds(c.status);
    default:
      return null;
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function sortContainers(list: readonly ContainerSummary[], sort: SortState | null, stats: StatsById): ContainerSummary[] {
  const out = [...list];
  if (!sort) return out;
  const dir = sort.direction === 'asc' ? 1 : -1;
  const keyed = out.map((c, i) => ({ c, i, k: sortKey(sort.column, c, stats) }));
  keyed.sort((a, b) => {
    const ae = a.k === null || a.k === '';
    const be = b.k === null || b.k === '';
    if (ae || be) return ae === be ? collator.compare(a.c.name, b.c.name) : ae ? 1 : -1;
    const d = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : collator.compare(String(a.k), String(b.k));
    return d === 0 ? collator.compare(a.c.name, b.c.name) : d * dir;
  });
  return keyed.map((x) => x.c);
}

let lastSort: { all: readonly ContainerSummary[]; sort: SortState | null; stats: StatsById; out: ContainerSummary[] } | null = null;

/** sortContainers, remembered for the last (list, sort, stats): the same arrays give the same sorted array. */
function sortedOnce(all: readonly ContainerSummary[], sort: SortState | null, stats: StatsById): ContainerSummary[] {
  const l = lastSort;
  if (l && l.all === all && l.stats === stats && (l.sort === sort || (l.sort?.column === sort?.column && l.sort?.direction === sort?.direction))) return l.out;
  const out = sortContainers(all, sort, stats);
  lastSort = { all, sort, stats, out };
  return out;
}

export interface ViewOptions {
  filter: StateFilter;
  query: string;
  sort: SortState | null;
  collapsed: ReadonlySet<string>;
  /** Group compose projects (off: a flat list). */
  group: boolean;
}

type ContainerRow = Extract<ListRow, { kind: 'container' }>;
type GroupRow = Extract<ListRow, { kind: 'group' }>;

/**
 * One row object per container while the container's object lives (the entity store keeps the
 * objects of unchanged containers), and per compose group while its shown members are the same:
 * a keystroke or a refetch that keeps a row on screen hands the table the same row, so the row
 * is not rendered again (rows are memoized on their props).
 */
const containerRows = new WeakMap<ContainerSummary, ContainerRow>();
let groupRows = new Map<string, GroupRow>();

function containerRow(c: ContainerSummary, group: string | null): ContainerRow {
  const kept = containerRows.get(c);
  if (kept && kept.group === group) return kept;
  const row: ContainerRow = { kind: 'container', id: c.id, c, group };
  containerRows.set(c, row);
  return row;
}

const sameMembers = (a: readonly ContainerSummary[], b: readonly ContainerSummary[]) => a.length === b.length && a.every((c, i) => c === b[i]);

/**
 * The rows to show: filtered, sorted, and with compose projects gathered under a group row,
 * placed where their first member would sort. Members of a collapsed group are left out.
 */
/**
 * The containers the filter and query let through, in the view's order: sorted once per list (or
 * sort) change, then filtered (a keystroke does not sort again; the search index keeps its answers
 * for the sorted array, so the page's selection and its rows share one search per keystroke).
 */
export const shownContainers = (all: readonly ContainerSummary[], v: Pick<ViewOptions, 'filter' | 'query' | 'sort'>, stats: StatsById = {}): ContainerSummary[] =>
  filterContainers(sortedOnce(all, v.sort, stats), v.filter, v.query);

export function buildRows(all: readonly ContainerSummary[], v: ViewOptions, stats: StatsById = {}): ListRow[] {
  const shown = shownContainers(all, v, stats);
  if (!v.group) return shown.map((c) => containerRow(c, null));
  const byProject = new Map<string, ContainerSummary[]>();
  for (const c of shown) {
    const p = c.compose?.project;
    if (!p) continue;
    const list = byProject.get(p);
    if (list) list.push(c);
    else byProject.set(p, [c]);
  }
  const rows: ListRow[] = [];
  const emitted = new Set<string>();
  const groups = new Map<string, GroupRow>();
  for (const c of shown) {
    const p = c.compose?.project;
    if (!p) {
      rows.push(containerRow(c, null));
      continue;
    }
    if (emitted.has(p)) continue;
    emitted.add(p);
    const members = byProject.get(p) ?? [];
    const kept = groupRows.get(p);
    const group = kept && sameMembers(kept.members, members) ? kept : { kind: 'group' as const, id: groupRowId(p), project: p, members, running: members.filter(isUp).length };
    groups.set(p, group);
    rows.push(group);
    if (!v.collapsed.has(p)) for (const m of members) rows.push(containerRow(m, p));
  }
  // The groups of this answer are kept (not every group ever shown): a list with few projects keeps few.
  if (groups.size > 0) groupRows = groups;
  return rows;
}

export function counts(all: readonly ContainerSummary[]): Record<StateFilter, number> {
  let running = 0;
  for (const c of all) if (isUp(c)) running++;
  return { all: all.length, running, stopped: all.length - running };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export const formatPercent = (p: number) => `${p >= 100 ? p.toFixed(0) : p.toFixed(1)}%`;

export const shortId = (id: string) => id.slice(0, 12);
