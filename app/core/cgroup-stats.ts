/**
 * Live figures of a container read straight from its cgroup files (and its init process's
 * `/proc/PID/net/dev`), turned into the Engine API's stats shape so that `computeStats` gives the
 * same numbers the Docker adapter shows: CPU % from the delta of the cgroup's CPU time over the
 * delta of the machine's (`/proc/stat`, as dockerd reads it), memory minus the inactive page cache,
 * block I/O, pids and network bytes. cgroup v1 (a hierarchy per controller) and v2 (one unified
 * hierarchy) are both read.
 */
import type { RawCpuStats, RawStats } from './stats-calc';

export type CgroupVersion = 1 | 2;

/** Where the cgroup hierarchies are mounted (the core's host, or the VM guest). */
export const CGROUP_ROOT = '/sys/fs/cgroup';
/** The machine's CPU times (dockerd's `system_cpu_usage`). */
export const PROC_STAT = '/proc/stat';
/** Exists only where the unified (v2) hierarchy is mounted at CGROUP_ROOT. */
export const V2_MARKER = `${CGROUP_ROOT}/cgroup.controllers`;

/** One container's cgroup folders: v2 has one, v1 one per controller read. */
export interface CgroupDirs {
  version: CgroupVersion;
  cpu: string;
  memory: string;
  pids: string;
  blkio: string;
}

/**
 * The cgroup's path under a hierarchy, from the OCI spec's `linux.cgroupsPath`: cgroupfs form
 * (`/ns/id`, or relative `ns/id`) as is; systemd form (`slice:prefix:name`) as systemd lays it out
 * (`a-b.slice` → `a.slice/a-b.slice`, the unit `prefix-name.scope`). null when it is neither.
 */
export function cgroupRelPath(cgroupsPath: string): string | null {
  const p = cgroupsPath.trim();
  if (p === '') return null;
  const parts = p.split(':');
  if (parts.length === 1) return `/${p.replace(/^\/+/, '')}`.replace(/\/+$/, '');
  if (parts.length !== 3) return null;
  const [slice, prefix, name] = parts as [string, string, string];
  if (name === '' || name.includes('/')) return null;
  // A unit name that already ends in .slice is a slice itself.
  const unit = name.endsWith('.slice') ? name : prefix === '' ? `${name}.scope` : `${prefix}-${name}.scope`;
  return `${expandSlice(slice || 'system.slice')}/${unit}`;
}

/** systemd's slice nesting: `a-b-c.slice` lives in `a.slice/a-b.slice/a-b-c.slice`; `-.slice` is the root. */
function expandSlice(slice: string): string {
  if (slice === '-.slice') return '';
  const base = slice.replace(/\.slice$/, '');
  const words = base.split('-');
  const out: string[] = [];
  for (let i = 1; i <= words.length; i++) out.push(`${words.slice(0, i).join('-')}.slice`);
  return `/${out.join('/')}`;
}

export function cgroupDirs(cgroupsPath: string, version: CgroupVersion): CgroupDirs | null {
  const rel = cgroupRelPath(cgroupsPath);
  if (rel === null) return null;
  if (version === 2) {
    const d = `${CGROUP_ROOT}${rel}`;
    return { version, cpu: d, memory: d, pids: d, blkio: d };
  }
  return { version, cpu: `${CGROUP_ROOT}/cpuacct${rel}`, memory: `${CGROUP_ROOT}/memory${rel}`, pids: `${CGROUP_ROOT}/pids${rel}`, blkio: `${CGROUP_ROOT}/blkio${rel}` };
}

/**
 * A process's cgroup folders from its `/proc/PID/cgroup` (`ID:controllers:path` lines): v2 takes the
 * `0::path` line, v1 the cpuacct, memory, pids and blkio hierarchies. null when a needed line is
 * missing, or a path does not name `mustContain` (the container's id: a pid read from another pid
 * namespace, or a path relative to another cgroup namespace, is not taken for the container's).
 */
export function dirsFromProcCgroup(text: string, version: CgroupVersion, mustContain: string): CgroupDirs | null {
  const byController = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.+)$/.exec(line.trim());
    if (!m) continue;
    for (const c of (m[1] as string).split(',')) byController.set(c, m[2] as string);
  }
  const under = (root: string, rel: string | undefined) => (rel !== undefined && rel.includes(mustContain) ? `${root}${rel.replace(/\/+$/, '')}` : null);
  if (version === 2) {
    const d = under(CGROUP_ROOT, byController.get(''));
    return d === null ? null : { version, cpu: d, memory: d, pids: d, blkio: d };
  }
  const cpu = under(`${CGROUP_ROOT}/cpuacct`, byController.get('cpuacct'));
  const memory = under(`${CGROUP_ROOT}/memory`, byController.get('memory'));
  const pids = under(`${CGROUP_ROOT}/pids`, byController.get('pids'));
  const blkio = under(`${CGROUP_ROOT}/blkio`, byController.get('blkio'));
  return cpu && memory && pids && blkio ? { version, cpu, memory, pids, blkio } : null;
}

/** The files one reading of a container reads, by what they hold (`pid`: its init process, for its network namespace's counters). */
export interface CgroupPaths {
  cpu: string;
  usage: string;
  limit: string;
  memoryStat: string;
  pids: string;
  /** Read in order; the first one with content counts (v1: CFQ kernels have the recursive counters, others only the throttle ones, as containerd reads them). */
  blkio: string[];
  net: string | null;
}

export function cgroupPaths(d: CgroupDirs, pid: number): CgroupPaths {
  const net = pid > 0 ? `/proc/${pid}/net/dev` : null;
  if (d.version === 2) {
    return { cpu: `${d.cpu}/cpu.stat`, usage: `${d.memory}/memory.current`, limit: `${d.memory}/memory.max`, memoryStat: `${d.memory}/memory.stat`, pids: `${d.pids}/pids.current`, blkio: [`${d.blkio}/io.stat`], net };
  }
  return {
    cpu: `${d.cpu}/cpuacct.usage`,
    usage: `${d.memory}/memory.usage_in_bytes`,
    limit: `${d.memory}/memory.limit_in_bytes`,
    memoryStat: `${d.memory}/memory.stat`,
    pids: `${d.pids}/pids.current`,
    blkio: [`${d.blkio}/blkio.io_service_bytes_recursive`, `${d.blkio}/blkio.throttle.io_service_bytes`],
    net,
  };
}

export function cgroupFiles(d: CgroupDirs, pid: number): string[] {
  const p = cgroupPaths(d, pid);
  return [p.cpu, p.usage, p.limit, p.memoryStat, p.pids, ...p.blkio, ...(p.net ? [p.net] : [])];
}

/**
 * The output of `grep -H '' FILE...` (every line of every file, each prefixed by its file's path
 * and a colon) as each file's text. A path is matched against the ones asked for (a path may hold
 * colons itself); files that could not be read are absent.
 */
export function parseGrepH(out: string, paths: readonly string[]): Map<string, string> {
  // Longest first, so a path that is a prefix of another does not take its lines.
  const sorted = [...new Set(paths)].sort((a, b) => b.length - a.length);
  const lines = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const path = sorted.find((p) => line.startsWith(p) && line.charCodeAt(p.length) === 58 /* : */);
    if (path === undefined) continue;
    let got = lines.get(path);
    if (!got) lines.set(path, (got = []));
    got.push(line.slice(path.length + 1));
  }
  const files = new Map<string, string>();
  for (const [p, l] of lines) files.set(p, `${l.join('\n')}\n`);
  return files;
}

/**
 * The value of `key` in `key value` lines (memory.stat, cpu.stat), found without splitting the file
 * (memory.stat has some 40 lines, read every few seconds per container); undefined when absent.
 */
export function keyValue(text: string, key: string): number | undefined {
  let at = text.startsWith(`${key} `) ? 0 : text.indexOf(`\n${key} `);
  if (at < 0) return undefined;
  if (at > 0) at++;
  const end = text.indexOf('\n', at);
  const n = Number(text.slice(at + key.length + 1, end < 0 ? undefined : end).trim());
  return Number.isFinite(n) ? n : undefined;
}

/** The memory.stat entries the Docker CLI's memory figure reads (v1 `total_inactive_file`, v2 `inactive_file`). */
function memoryStatFigures(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['total_inactive_file', 'inactive_file']) {
    const v = keyValue(text, key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** A single number (`memory.current`); `max` (no limit) is Infinity; null when the text is not one. */
export function singleNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (t === 'max') return Number.POSITIVE_INFINITY;
  if (!/^\d+$/.test(t)) return null;
  return Number(t);
}

/** dockerd's clock ticks per second for /proc/stat (USER_HZ is 100 on every Linux it supports). */
const CLOCK_TICKS = 100;

/**
 * The machine's CPU time in nanoseconds as dockerd counts it (user … softirq of the `cpu` line of
 * /proc/stat) and its number of online CPUs (the `cpuN` lines). null when the text has no `cpu` line.
 */
export function parseProcStat(text: string): { systemNs: number; online: number } | null {
  let systemNs: number | null = null;
  let online = 0;
  // Only the first lines are cpu lines (the rest, `intr` above all, is long and not needed).
  for (const line of text.slice(0, text.search(/\n(?!cpu)/) + 1 || undefined).split('\n')) {
    if (line.startsWith('cpu ')) {
      const f = line.trim().split(/\s+/).slice(1, 8).map(Number);
      if (f.length < 7 || f.some((n) => !Number.isFinite(n))) return null;
      systemNs = (f.reduce((s, n) => s + n, 0) * 1e9) / CLOCK_TICKS;
    } else if (/^cpu\d+ /.test(line)) online++;
  }
  return systemNs === null ? null : { systemNs, online };
}

/** /proc/PID/net/dev: bytes received and sent per interface (the loopback left out, as dockerd does). */
export function parseNetDev(text: string): Record<string, { rx_bytes: number; tx_bytes: number }> {
  const out: Record<string, { rx_bytes: number; tx_bytes: number }> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (name === '' || name === 'lo' || f.length < 9 || !Number.isFinite(f[0]) || !Number.isFinite(f[8])) continue;
    out[name] = { rx_bytes: f[0] as number, tx_bytes: f[8] as number };
  }
  return out;
}

/** Block I/O entries as the Engine API lists them: v1 `MAJ:MIN Read N` lines; v2 io.stat's `rbytes=`/`wbytes=`. */
function blkio(version: CgroupVersion, text: string): Array<{ op: string; value: number }> {
  const out: Array<{ op: string; value: number }> = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (version === 1) {
      if (f.length === 3 && /^\d+:\d+$/.test(f[0] as string)) out.push({ op: f[1] as string, value: Number(f[2]) || 0 });
      continue;
    }
    for (const kv of f.slice(1)) {
      const [k, v] = kv.split('=');
      if (k === 'rbytes') out.push({ op: 'read', value: Number(v) || 0 });
      else if (k === 'wbytes') out.push({ op: 'write', value: Number(v) || 0 });
    }
  }
  return out;
}

/**
 * One reading as the Engine API's stats (no `precpu_stats`: the caller puts its previous reading
 * there). null when the container's cgroup could not be read (gone) or holds no process (it stopped).
 */
export function rawStatsFromCgroup(d: CgroupDirs, pid: number, files: ReadonlyMap<string, string>, host: { systemNs: number; online: number }, now: Date): RawStats | null {
  const p = cgroupPaths(d, pid);
  const cpuText = files.get(p.cpu);
  const usage = singleNumber(files.get(p.usage));
  if (cpuText === undefined || usage === null) return null;
  const cpuNs = d.version === 2 ? (keyValue(cpuText, 'usage_usec') ?? NaN) * 1000 : (singleNumber(cpuText) ?? NaN);
  if (!Number.isFinite(cpuNs)) return null;
  // No process left: the container stopped, and containerd keeps the cgroup until the task is deleted.
  const pids = singleNumber(files.get(p.pids));
  if (pids === 0) return null;
  const limit = singleNumber(files.get(p.limit));
  const blkText = p.blkio.map((f) => files.get(f)).find((t) => t !== undefined && t.trim() !== '');
  const net = p.net === null ? undefined : files.get(p.net);
  const cpu: RawCpuStats = { cpu_usage: { total_usage: cpuNs }, system_cpu_usage: host.systemNs, online_cpus: host.online };
  return {
    read: now.toISOString(),
    cpu_stats: cpu,
    memory_stats: { usage, limit: limit === null ? 0 : Math.min(limit, 2 ** 63), stats: memoryStatFigures(files.get(p.memoryStat) ?? '') },
    pids_stats: { current: pids ?? 0 },
    blkio_stats: { io_service_bytes_recursive: blkio(d.version, blkText ?? '') },
    ...(net !== undefined ? { networks: parseNetDev(net) } : {}),
  };
}
