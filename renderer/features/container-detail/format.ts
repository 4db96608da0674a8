/** Small formatting helpers of the detail tabs. */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * An engine timestamp (RFC 3339 with nanoseconds) as local time with milliseconds:
 * "2024-05-01 12:00:03.123". Unparseable input is shown as it came.
 */
export function formatLogTime(ts: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/.exec(ts);
  if (!m) return ts;
  const ms = (m[2] ?? '').padEnd(3, '0').slice(0, 3);
  const d = new Date(`${m[1]}.${ms}${m[3]}`);
  if (Number.isNaN(d.getTime())) return ts;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A safe file name for a container's log download: "<container>-logs.txt". */
export function logFileName(containerName: string): string {
  const base = containerName
    .replace(/^\/+/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '')
    .replace(/_{2,}/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 120);
  return `${base || 'container'}-logs.txt`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB" (binary units, as `docker stats` shows memory). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0;
  return `${v.toFixed(digits)} ${UNITS[u]}`;
}

export const formatRate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;

export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return `${p < 10 ? p.toFixed(2) : p.toFixed(1)}%`;
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');
