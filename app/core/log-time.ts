/**
 * Times for `since` / `until` of a log query: an ISO 8601 / RFC 3339 date-time, or a number
 * of seconds since the Unix epoch (fractions allowed). The engine takes `seconds[.nanoseconds]`.
 */

const ISO_RE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Seconds since the epoch as the engine wants them ("1700000000.123456789"), or null when not a time. */
export function toEngineTime(value: string | number): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    if (Number.isInteger(value)) return String(value);
    const secs = Math.floor(value);
    const nanos = Math.round((value - secs) * 1e9);
    return nanos >= 1e9 ? String(secs + 1) : `${secs}.${String(nanos).padStart(9, '0')}`;
  }
  const v = value.trim();
  if (/^\d+(?:\.\d{1,9})?$/.test(v)) return v;
  const m = ISO_RE.exec(v);
  if (!m) return null;
  const [, date, time = '00:00:00', frac, zone] = m;
  const iso = `${date}T${time.length === 5 ? `${time}:00` : time}${zone ? normaliseZone(zone) : 'Z'}`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const secs = Math.floor(ms / 1000);
  if (secs < 0) return null;
  return frac ? `${secs}.${frac.padEnd(9, '0')}` : String(secs);
}

function normaliseZone(z: string): string {
  if (z.toUpperCase() === 'Z') return 'Z';
  return z.includes(':') ? z : `${z.slice(0, 3)}:${z.slice(3)}`;
}

export const isLogTime = (value: string | number): boolean => toEngineTime(value) !== null;
