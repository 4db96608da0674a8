/**
 * For the entries (app/server/web.ts, electron/main, the bench's core): the container list asked for at process start,
 * before they import the core (issue 11: cold start). Loads nothing but node's own modules (for nerdctl, it starts a
 * helper process that reads containerd's API).
 */
import { startEarlyDockerList as startDocker, type EarlyDockerList } from '../adapters/engine/docker-api/early-list';
import { startEarlyNerdctlList, type EarlyNerdctlList } from '../adapters/engine/nerdctl/early-list';

export type { EarlyDockerList, EarlyNerdctlList };
export type EarlyList = EarlyDockerList | EarlyNerdctlList;

/**
 * The active engine's list, asked now: Docker's (a local unix socket), or the local nerdctl's when the environment makes
 * it the active engine (BERTH_NERDCTL_ACTIVE=1 and the rest, see ../adapters/engine/nerdctl/early-list.ts); null when
 * neither applies. createCore takes either as `earlyList`.
 */
export function startEarlyList(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): EarlyList | null {
  return startDocker(env, platform) ?? (platform === 'win32' ? null : startEarlyNerdctlList(env));
}

/**
 * The entries' name for startEarlyList (it asked Docker only before nerdctl had one): the same function, kept so the
 * entries need no change. Docker's alone: ../adapters/engine/docker-api/early-list.ts.
 */
export const startEarlyDockerList = startEarlyList;

/**
 * The nerdctl early list's helper, for the bundlers (esbuild's entryPoints: test/bench/core-process.ts, scripts/build-electron.mjs):
 * bundled beside the entry under this name (earlyWorkerFile). Without it the core lists as before.
 */
export const EARLY_WORKER_ENTRY = { in: 'app/adapters/engine/nerdctl/early-list-worker.ts', out: 'nerdctl-early-worker' } as const;
