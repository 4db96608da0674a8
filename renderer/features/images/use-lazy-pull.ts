import { useEngines } from '../../stores/engines';

/** Whether the active engine pulls eStargz images lazily (containerd with the stargz snapshotter); false when it did not say so. */
export const useLazyPull = (): boolean =>
  useEngines((s) => s.order.map((id) => s.byId[id]).find((e) => e?.active)?.capabilities.lazyPull === true);
