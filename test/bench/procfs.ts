import fs from 'node:fs';
import os from 'node:os';
import { pidsMentioning } from '../support/proc';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux). */
const HZ = 100;

/** The sum of two clock-tick fields of /proc/<pid>/stat (counted after the command name), in seconds; 0 when the process is gone. */
function statSeconds(pid: number, a: number, b: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[a]) + Number(rest[b])) / HZ;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) the process has used; 0 when it is gone. */
export const cpuSeconds = (pid: number): number => statSeconds(pid, 11, 12);

/** CPU seconds (user + system) of the process's children that have exited and been waited for (cutime + cstime). */
export const childCpuSeconds = (pid: number): number => statSeconds(pid, 13, 14);

export const cpuSecondsOf = (pids: readonly number[]): number => pids.reduce((s, p) => s + cpuSeconds(p), 0);

/** Resident set size in bytes (VmRSS), NaN when unknown. */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The private engine's processes: dockerd, its containerd and the shims (their command lines name its folder). */
export const enginePids = (engineDir: string): number[] => pidsMentioning(engineDir);

/**
 * CPU of `pids()` over `ms` (re-read at the end, so processes that appeared count from then), as
 * a percentage of one core. The machine's total is read too, to say how loaded it was.
 */
export async function cpuOver(
  ms: number,
  groups: Record<string, () => number[] | number | Promise<number>>,
  /** Instead of `ms`: over the time this takes (the % is of its real length). */
  until?: () => Promise<void>,
): Promise<{ pct: Record<string, number>; machineBusy: number }> {
  const read = async () => {
    const out: Record<string, number> = {};
    for (const [k, g] of Object.entries(groups)) {
      const v = await g();
      out[k] = typeof v === 'number' ? v : cpuSecondsOf(v);
    }
    return out;
  };
  const idle0 = machineTimes();
  const a = await read();
  const t0 = Date.now();
  await (until ? until() : new Promise((r) => setTimeout(r, ms)));
  const b = await read();
  const secs = (Date.now() - t0) / 1000;
  const idle1 = machineTimes();
  const pct: Record<string, number> = {};
  for (const k of Object.keys(groups)) pct[k] = ((b[k]! - a[k]!) / secs) * 100;
  const busy = 1 - (idle1.idle - idle0.idle) / Math.max(1, idle1.total - idle0.total);
  return { pct, machineBusy: busy * 100 * os.cpus().length };
}

function machineTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    idle += c.times.idle;
    total += c.times.idle + c.times.user + c.times.sys + c.times.nice + c.times.irq;
  }
  return { idle, total };
}

/**
 * Waits until the whole machine has been quiet for `quietMs` (read in 100 ms windows: all CPUs together busy at most
 * `maxBusyPct` % of one CPU in each), at most `maxMs`; returns how long it waited, and whether it got quiet. A cold start
 * of the bench begins on a quiet machine (feel.ts).
 */
export async function machineQuiet(opts: { quietMs?: number; maxBusyPct?: number; maxMs?: number } = {}): Promise<{ waitedMs: number; quiet: boolean }> {
  const { quietMs = 200, maxBusyPct = 10, maxMs = 5_000 } = opts;
  const t0 = performance.now();
  let calm = 0;
  let prev = machineTimes();
  while (performance.now() - t0 < maxMs) {
    await new Promise((r) => setTimeout(r, 100));
    const now = machineTimes();
    // os.cpus() times are in ms; busy over the window, in % of one CPU.
    const busy = now.total - now.idle - (prev.total - prev.idle);
    const windowMs = (now.total - prev.total) / os.cpus().length;
    prev = now;
    calm = windowMs > 0 && (busy / windowMs) * 100 <= maxBusyPct ? calm + windowMs : 0;
    if (calm >= quietMs) return { waitedMs: performance.now() - t0, quiet: true };
  }
  return { waitedMs: performance.now() - t0, quiet: false };
}
