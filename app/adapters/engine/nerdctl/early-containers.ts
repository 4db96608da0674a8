import { checkAheadList } from '../../../contract/checked';
import { containersApi, type ContainerSummary } from '../../../contract/containers';
import { isPlainContainerSummary } from '../../../contract/containers-fast';
import type { EarlyContainerList } from '../../../ports/early-list';
import { adoptListed } from './containerd-list';
import { keptFromJson, type EarlyNerdctlList } from './early-list';

/** Between two slices of the list's check: the core's own start-up work and the window's requests run first. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The early nerdctl list (early-list.ts: listed in a worker at process start) as the core's EarlyContainerList: the rows
 * the core's own first whole list gives (the worker ran the same ContainerdLists), checked against the reply's schema as
 * soon as they are here, given only when no container or task event of the namespace came since the worker subscribed
 * (asked when take() is called: after the core's event stream is up). What the worker read for the security views is
 * registered for those rows (adoptListed), so the badges need no second pass over the records, as with the core's own list.
 */
export function earlyNerdctlContainers(early: EarlyNerdctlList): EarlyContainerList {
  const reply = early.take();
  const prepared = reply?.then(async (r) => {
    // A list that does not match is given as it came: the RPC server's own check then reports it.
    const list = await checkAheadList(containersApi['containers.list'].output, r.rows, pause, undefined, isPlainContainerSummary).then(
      (checked) => checked as ContainerSummary[],
      () => r.rows,
    );
    const kept = r.kept;
    if (kept) adoptListed(list, r, () => keptFromJson(kept));
    return list;
  });
  prepared?.catch(() => undefined);
  let kept = prepared ?? null;
  const release = () => {
    kept = null;
    early.release();
  };
  return {
    endpoint: early.endpoint,
    take() {
      const p = kept;
      if (!p) return null;
      kept = null;
      // Asked while the worker still follows containerd's events; it stops once answered.
      return Promise.all([p, early.changed()]).then(
        ([list, changed]) => {
          early.release();
          return changed ? null : list;
        },
        (err: unknown) => {
          early.release();
          throw err;
        },
      );
    },
    release,
  };
}
