/**
 * Uptime that keeps counting without refetching. The list only has the engine's status text
 * ("Up 3 minutes", rounded as the docker CLI rounds it), read at a known time; each reading
 * bounds when the container started. Readings are intersected, so the estimate sharpens as the
 * list refreshes, and a reading that no longer fits (the container restarted) starts over.
 */
export interface Interval {
  /** Earliest and latest start time (ms since the epoch). */
  from: number;
  to: number;
}

const H = 3600;

/** Seconds of uptime a status allows, as [min, max), following docker's HumanDuration. */
export function uptimeRange(status: string): [number, number] | null {
  const m = /^Up\s+(.+?)(?:\s+\(.*\))?$/i.exec(status.trim());
  if (!m) return null;
  const t = (m[1] ?? '').toLowerCase();
  if (t.startsWith('less than a second')) return [0, 1];
  if (t === 'about a minute') return [60, 120];
  if (t === 'about an hour') return [H, 1.5 * H];
  const n = /^(\d+)\s+(second|minute|hour|day|week|month|year)s?$/.exec(t);
  if (!n) return null;
  const k = Number(n[1]);
  switch (n[2]) {
    case 'second':
      return [k, k + 1];
    case 'minute':
      return [60 * k, 60 * k + 60];
    case 'hour':
      return [(k - 0.5) * H, (k + 0.5) * H];
    default: {
      const hours = { day: 24, week: 168, month: 720, year: 8760 }[n[2] as 'day' | 'week' | 'month' | 'year'];
      return [(hours * k - 0.5) * H, (hours * k + hours - 0.5) * H];
    }
  }
}

const known = new Map<string, Interval>();

/** The start time of container `id` as far as the readings tell; null when it is not up. */
export function estimateStart(id: string, status: string, readAt: number): number | null {
  const r = uptimeRange(status);
  if (!r) {
    known.delete(id);
    return null;
  }
  const reading: Interval = { from: readAt - r[1] * 1000, to: readAt - r[0] * 1000 };
  const prev = known.get(id);
  let next = reading;
  if (prev) {
    const from = Math.max(prev.from, reading.from);
    const to = Math.min(prev.to, reading.to);
    if (from <= to) next = { from, to };
  }
  known.set(id, next);
  return (next.from + next.to) / 2;
}

/** docker's wording: "Less than a second", "5 seconds", "About a minute", "3 hours", "2 days"... */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const minutes = Math.floor(s / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(s / H);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}
