/**
 * The figures of `docker stats`, computed from one sample of the Engine API's stats stream
 * exactly as the Docker CLI does (cli/command/container/stats_helpers.go).
 */

/** The parts of a stats sample we read (Engine API `ContainerStatsResponse`, Linux). */
export interface RawStats {
  id?: string;
  name?: string;
  read?: string;
  cpu_stats?: RawCpuStats;
  precpu_stats?: RawCpuStats;
  memory_stats?: {
    usage?: number;
    limit?: number;
    /** cgroup v1: `total_inactive_file`, `cache`...; cgroup v2: `inactive_file`, `anon`, `file`... */
    stats?: Record<string, number>;
  };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: Array<{ op?: string; value?: number }> | null };
  pids_stats?: { current?: number; limit?: number };
}

export interface RawCpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface ContainerStatsFigures {
  id: string;
  name: string;
  ts: string;
  cpuPercent: number;
  memoryUsed: number;
  memoryLimit: number;
  memoryPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * CPU %: (container CPU time delta / system CPU time delta) × online CPUs × 100, between this
 * sample and the previous one the engine reports in `precpu_stats`. Online CPUs come from
 * `online_cpus`, else the length of `percpu_usage`. 0 when either delta is not positive.
 */
export function cpuPercent(s: RawStats): number {
  const cpuDelta = num(s.cpu_stats?.cpu_usage?.total_usage) - num(s.precpu_stats?.cpu_usage?.total_usage);
  const systemDelta = num(s.cpu_stats?.system_cpu_usage) - num(s.precpu_stats?.system_cpu_usage);
  let online = num(s.cpu_stats?.online_cpus);
  if (online === 0) online = s.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 0;
  if (systemDelta > 0 && cpuDelta > 0) return (cpuDelta / systemDelta) * online * 100;
  return 0;
}

/**
 * Whether CPU % can be measured between a container's previous one-shot reading and this one: there
 * is one, the machine's counter moved on, and the container's did not go back (a restart resets it).
 */
export function cpuComparable(cur: RawCpuStats, prev: RawCpuStats | undefined): prev is RawCpuStats {
  return prev !== undefined && num(cur.cpu_usage?.total_usage) >= num(prev.cpu_usage?.total_usage) && num(cur.system_cpu_usage) > num(prev.system_cpu_usage);
}

/**
 * Memory used, without the page cache that can be reclaimed: usage − `total_inactive_file`
 * on cgroup v1 (when present and smaller than usage), else usage − `inactive_file` (cgroup v2,
 * when smaller than usage), else usage.
 */
export function memoryUsed(s: RawStats): number {
  const usage = num(s.memory_stats?.usage);
  const stats = s.memory_stats?.stats ?? {};
  if (Object.prototype.hasOwnProperty.call(stats, 'total_inactive_file')) {
    const v = num(stats.total_inactive_file);
    if (v < usage) return usage - v;
  }
  const v2 = num(stats.inactive_file);
  if (v2 < usage) return usage - v2;
  return usage;
}

/** Used / limit × 100; 0 when the limit is unknown (container not running). */
export function memoryPercent(used: number, limit: number): number {
  return limit > 0 ? (used / limit) * 100 : 0;
}

/** Received and sent bytes, summed over every network interface. */
export function networkIO(s: RawStats): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    rx += num(n.rx_bytes);
    tx += num(n.tx_bytes);
  }
  return { rx, tx };
}

/** Bytes read and written, from `io_service_bytes_recursive` (op "Read"/"read", "Write"/"write"). */
export function blockIO(s: RawStats): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = (e.op ?? '').charAt(0);
    if (op === 'r' || op === 'R') read += num(e.value);
    else if (op === 'w' || op === 'W') write += num(e.value);
  }
  return { read, write };
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** All figures of one sample. `fallback` names the container when the sample does not. */
export function computeStats(s: RawStats, fallback: { id?: string; name?: string; now?: () => Date } = {}): ContainerStatsFigures {
  const used = memoryUsed(s);
  const limit = num(s.memory_stats?.limit);
  const net = networkIO(s);
  const blk = blockIO(s);
  const read = typeof s.read === 'string' && !s.read.startsWith(ZERO_TIME.slice(0, 10)) ? s.read : (fallback.now?.() ?? new Date()).toISOString();
  return {
    id: s.id ?? fallback.id ?? '',
    name: (s.name ?? fallback.name ?? '').replace(/^\//, ''),
    ts: read,
    cpuPercent: cpuPercent(s),
    memoryUsed: used,
    memoryLimit: limit,
    memoryPercent: memoryPercent(used, limit),
    netRx: net.rx,
    netTx: net.tx,
    blockRead: blk.read,
    blockWrite: blk.write,
    pids: num(s.pids_stats?.current),
  };
}
