import { useEngines } from '../../stores/engines';

/** Whether the active engine pulls eStargz images lazily (containerd with the stargz snapshotter); false when it did not say so. */
export const useLazyPull = (): boolean =>
  useEngines((s) => s.order.map((id) => s.byId[id]).find((e) => e?.active)?.capabilities.lazyPull === true);

/** The name a converted image gets by default: the same repository, its tag with `-esgz`. */
export function estargzName(ref: string): string {
  const at = ref.lastIndexOf('@');
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const colon = base.lastIndexOf(':');
  const hasTag = colon > base.lastIndexOf('/');
  return hasTag ? `${base}-esgz` : `${base}:latest-esgz`;
}
