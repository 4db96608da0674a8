import type { ContainerStats } from '../contract/stats';
import { str } from './nerdctl-json';
import { parsePercent, parseSize, parseSizePair } from './nerdctl-units';

/** `nerdctl stats` output lines for a stream: a screen clear (`ESC[2J ESC[H`) starts each tick. */
export const STATS_TICK = '\x1b[2J';

/**
 * One `nerdctl stats --no-trunc --format json` row (FormattedStatsEntry: strings with units) as the
 * Docker adapter's numbers. null for a row nerdctl could not read (`--` everywhere).
 */
export function parseStatsRow(row: Record<string, unknown>, ts: string): ContainerStats | null {
  const cpu = parsePercent(str(row.CPUPerc));
  const [memUsed, memLimit] = parseSizePair(str(row.MemUsage));
  if (cpu === null || memUsed === null) return null;
  const [rx, tx] = parseSizePair(str(row.NetIO));
  const [br, bw] = parseSizePair(str(row.BlockIO));
  const pids = Number(str(row.PIDs));
  const limit = memLimit ?? 0;
  const memPerc = parsePercent(str(row.MemPerc));
  return {
    id: str(row.ID),
    name: str(row.Name),
    ts,
    cpuPercent: cpu,
    memoryUsed: memUsed,
    memoryLimit: limit,
    // From the bytes, not nerdctl's two-decimal text, so it matches memoryUsed / memoryLimit exactly.
    memoryPercent: limit > 0 ? (memUsed / limit) * 100 : (memPerc ?? 0),
    netRx: rx ?? 0,
    netTx: tx ?? 0,
    blockRead: br ?? 0,
    blockWrite: bw ?? 0,
    pids: Number.isInteger(pids) && pids >= 0 ? pids : 0,
  };
}

export { parseSize };
