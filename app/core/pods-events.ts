/**
 * A pod's events as `kubectl describe pod` lists them: Type, Reason, Age ("5s (x3 over 2m)"), From, Message,
 * oldest first (kubectl's SortableEvents order: by last time seen).
 */
import { ageSince } from './pods-age.js';
import type { KubeEvent } from './pods-types.js';

export interface PodEventRow {
  type: string;
  reason: string;
  age: string;
  from: string;
  message: string;
  /** Epoch ms of the last time the event was seen, for sorting and keys. */
  lastSeen: number;
}

const time = (s: string | undefined): number => {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? 0 : t;
};

export function eventLastSeen(e: KubeEvent): number {
  return time(e.series?.lastObservedTime) || time(e.lastTimestamp) || time(e.eventTime) || time(e.firstTimestamp);
}

export function podEventRows(events: readonly KubeEvent[], now: number = Date.now()): PodEventRow[] {
  return [...events]
    .sort((a, b) => eventLastSeen(a) - eventLastSeen(b))
    .map((e) => {
      const first = e.eventTime ? ageSince(e.eventTime, now) : ageSince(e.firstTimestamp, now);
      let age = first;
      if (e.series) age = `${ageSince(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
      else if ((e.count ?? 0) > 1) age = `${ageSince(e.lastTimestamp, now)} (x${e.count} over ${first})`;
      return {
        type: e.type ?? '',
        reason: e.reason ?? '',
        age,
        from: e.source?.component || e.reportingComponent || '',
        message: (e.message ?? '').trim(),
        lastSeen: eventLastSeen(e),
      };
    });
}
