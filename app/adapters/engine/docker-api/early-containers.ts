import type Docker from 'dockerode';
import type { ContainerSummary } from '../../../contract/containers';
import type { EarlyContainerList } from '../../../ports/early-list';
import { toSummary } from './containers-map';
import { clockAgrees, type EarlyDockerList } from './early-list';

/**
 * The early `GET /containers/json?all=1` (early-list.ts) as the core's EarlyContainerList: the engine's JSON mapped as
 * DockerContainers.list maps it, given only when the engine reports no container event since the request was sent
 * (asked when take() is called: after the core's event stream is up) and its clock agrees with ours.
 */
export function earlyContainers(early: EarlyDockerList): EarlyContainerList {
  return {
    endpoint: early.endpoint,
    take() {
      const reply = early.take();
      if (!reply) return null;
      const changed = early.containerEventsSince();
      return Promise.all([reply, changed]).then(([r, c]): ContainerSummary[] | null => {
        if (c || !clockAgrees(r)) return null;
        return (JSON.parse(r.body.toString('utf8')) as Docker.ContainerInfo[]).map(toSummary);
      });
    },
    release: () => early.release(),
  };
}
