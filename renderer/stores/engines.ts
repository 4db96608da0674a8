import type { EngineDescription } from '../../app/contract/engines';
import { createEntityStore } from '../lib/entity-store';
import { call, onReconnect } from '../lib/rpc';
import { documentVisibility } from '../lib/visibility';

/** Every engine Berth knows, with its state. */
export const useEngines = createEntityStore<EngineDescription>({
  name: 'engines',
  fetch: () => call('engines.list', {}),
  idOf: (e) => e.id,
});

/** The active engine, or undefined before the first load. */
export const useActiveEngine = (): EngineDescription | undefined =>
  useEngines((s) => {
    for (const id of s.order) if (s.byId[id]?.active) return s.byId[id];
    return undefined;
  });

export const activeEngine = (): EngineDescription | undefined => {
  const s = useEngines.getState();
  return s.order.map((id) => s.byId[id]).find((e) => e?.active);
};

/** Page stores call this when a request failed with ENGINE_UNREACHABLE: re-check the engine now. */
export const engineSuspect = (): void => void useEngines.getState().load();

/**
 * Engine reachability has no event stream: while the active engine is down, re-check it with
 * backoff (2 s doubling to 30 s), never while the window is hidden. While it is up, nothing polls;
 * a failing call (`engineSuspect`), a reconnect or the window becoming visible re-checks it.
 */
export function watchEngines(): () => void {
  const visibility = documentVisibility();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let delay = 2000;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const e = activeEngine();
    const s = useEngines.getState();
    const down = s.status === 'error' || (e !== undefined && e.status !== 'up');
    if (!down) {
      delay = 2000;
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      if (visibility.hidden()) return;
      delay = Math.min(30_000, delay * 2);
      void useEngines.getState().load();
    }, delay);
  };
  const offStore = useEngines.subscribe((s, prev) => {
    if (s.loadedAt !== prev.loadedAt || s.status !== prev.status || s.error !== prev.error) schedule();
  });
  const offVisible = visibility.onVisible(() => void useEngines.getState().load());
  const offReconnect = onReconnect(() => void useEngines.getState().load());
  void useEngines.getState().load();
  return () => {
    if (timer) clearTimeout(timer);
    offStore();
    offVisible();
    offReconnect();
  };
}
