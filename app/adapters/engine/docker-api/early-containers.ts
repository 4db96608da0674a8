import type Docker from 'dockerode';
import { checkAheadList } from '../../../contract/checked';
import { containersApi, type ContainerSummary } from '../../../contract/containers';
import { isPlainContainerSummary } from '../../../contract/containers-fast';
import type { EarlyContainerList } from '../../../ports/early-list';
import { toSummary } from './containers-map';
import { clockAgrees, type EarlyDockerList } from './early-list';

/** Between two slices of the list's check: the core's own start-up work and the window's requests run first. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The early `GET /containers/json?all=1` (early-list.ts) as the core's EarlyContainerList: the engine's JSON mapped as
 * DockerContainers.list maps it, given only when the engine reports no container event since the request was sent
 * (asked when take() is called: after the core's event stream is up) and its clock agrees with ours.
 * The reply is mapped and checked against the reply's schema as soon as it is here (while the core starts), so that
 * once the event stream is up only the event check is left before the window can have it.
 * Kept until taken or released: its user (FirstList) decides how long it is worth keeping.
 */
export function earlyContainers(early: EarlyDockerList): EarlyContainerList {
  const reply = early.take();
  const prepared = reply?.then((r) => {
    const list = (JSON.parse(r.body.toString('utf8')) as Docker.ContainerInfo[]).map(toSummary);
    // A list that does not match is given as it came: the RPC server's own check then reports it.
    return checkAheadList(containersApi['containers.list'].output, list, pause, undefined, isPlainContainerSummary).then(
      (checked) => ({ reply: r, list: checked as ContainerSummary[] }),
      () => ({ reply: r, list }),
    );
  });
  // Not taken (another engine's, no window): its failure is nobody's.
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
      release();
      return Promise.all([p, early.containerEventsSince()]).then(([r, changed]) => (changed || !clockAgrees(r.reply) ? null : r.list));
    },
    release,
  };
}
