import type { EngineCapabilities, EngineDescription } from '../../app/contract/engines';
import { createEntityStore } from '../lib/entity-store';
import { call } from '../lib/rpc';

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

/**
 * An engine's feature flag (the named engine, or the active one): false when the engine said it lacks
 * it (Podman: containerUpdate, execResize, healthChecks, buildCancel...), true when present or not known yet.
 */
export type EngineFlag = 'containerUpdate' | 'execResize' | 'healthChecks' | 'buildCancel' | 'objectEvents' | 'networkConnect' | 'internalNetworks' | 'volumeDriverOptions' | 'healthEvents' | 'openStdin' | 'autoHostPort' | 'lowHostPorts' | 'layerProgress';
export const useEngineHas = (flag: EngineFlag, engineId?: string): boolean =>
  useEngines((s) => {
    const e = engineId === undefined ? s.order.map((id) => s.byId[id]).find((x) => x?.active) : s.byId[engineId];
    const caps: EngineCapabilities | undefined = e?.capabilities;
    return caps?.[flag] !== false;
  });

/** Page stores call this when a request failed with ENGINE_UNREACHABLE: re-check the engine now. */
export const engineSuspect = (): void => void useEngines.getState().load();

/**
 * Load the engines once at start. After that the change feed keeps them fresh: main.tsx registers
 * this store for `engine` events (connecting, up, down, resync) and the feed invalidates every
 * registered store after a reconnect or a restart of the feed. Nothing polls: the core watches
 * the engine and reconnects with backoff. A failing call elsewhere may ask for a check (`engineSuspect`).
 */
export function watchEngines(): void {
  void useEngines.getState().load();
}
