/**
 * For the entries (app/server/web.ts, electron/main, the bench's core): the container list asked for at process start,
 * before they import the core (issue 11: cold start). Loads nothing but node's own modules and, for nerdctl, the small
 * gRPC client's files (no zod, no contract).
 */
import { startEarlyDockerList, type EarlyDockerList } from '../adapters/engine/docker-api/early-list';
import { startEarlyNerdctlList, type EarlyNerdctlList } from '../adapters/engine/nerdctl/early-list';

export { startEarlyDockerList, type EarlyDockerList, type EarlyNerdctlList };

/** What createCore's `earlyList` takes: the Docker Engine API's early list or containerd's (a local nerdctl's). */
export type EarlyList = EarlyDockerList | EarlyNerdctlList;

/**
 * Asks the engine the environment makes active for its containers now: containerd's when a local nerdctl reading
 * containerd's socket is (BERTH_NERDCTL…, app/adapters/engine/nerdctl/early-list.ts), else the local Docker socket's;
 * null when neither can be asked from the environment alone (the core then lists as usual).
 */
export function startEarlyList(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): EarlyList | null {
  return startEarlyNerdctlList(env) ?? startEarlyDockerList(env, platform);
}
