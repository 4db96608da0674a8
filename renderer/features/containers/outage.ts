import { create } from 'zustand';
import type { EngineDescription } from '../../../app/contract/engines';
import { useEngines } from '../../stores/engines';

/** The active engine is unreachable: since when, and why (for "last seen" rows and disabled actions). */
export interface Outage {
  since: number;
  reason: string;
}

const reasonOf = (e: EngineDescription) => `The engine ${e.name} is not reachable${e.error ? `: ${e.error.message}` : ''}`;

/** The outage of the active engine, or null while it is up (or not known yet). Follows the engines store. */
export const useOutage = create<{ outage: Outage | null }>()(() => ({ outage: null }));

let following = false;

/** Starts following the engines store (once per window). */
export function followOutage(now: () => number = Date.now): void {
  if (following) return;
  following = true;
  const sync = () => {
    const s = useEngines.getState();
    const active = s.order.map((id) => s.byId[id]).find((e) => e?.active);
    const cur = useOutage.getState().outage;
    if (active?.status === 'down') {
      const reason = reasonOf(active);
      if (!cur) useOutage.setState({ outage: { since: now(), reason } });
      else if (cur.reason !== reason) useOutage.setState({ outage: { ...cur, reason } });
    } else if (cur && active?.status === 'up') {
      useOutage.setState({ outage: null });
    }
  };
  sync();
  useEngines.subscribe(sync);
}

/** Why an action cannot run now, or undefined. */
export const outageReason = (o: Outage | null): string | undefined => (o ? `${o.reason}. Actions come back when it is.` : undefined);
