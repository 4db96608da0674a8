/**
 * For the entries (app/server/web.ts, electron/main, the bench's core): the container list asked for at process start,
 * before they import the core (issue 11: cold start). Loads nothing but node's own modules (for nerdctl, it starts a
 * helper process that reads containerd's API).
 */
import { availableParallelism } from 'node:os';
import { startEarlyDockerList as startDocker, type EarlyDockerList } from '../adapters/engine/docker-api/early-list';
import { startEarlyNerdctlList, type EarlyNerdctlList } from '../adapters/engine/nerdctl/early-list';

export type { EarlyDockerList, EarlyNerdctlList };
export type EarlyList = EarlyDockerList | EarlyNerdctlList;

/**
 * The active engine's list, asked now: Docker's (a local unix socket), or the local nerdctl's when the environment makes
 * it the active engine (BERTH_NERDCTL_ACTIVE=1 and the rest, see ../adapters/engine/nerdctl/early-list.ts) and
 * nerdctlHelperPays; null when neither applies. createCore takes either as `earlyList`.
 */
export function startEarlyList(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): EarlyList | null {
  return startDocker(env, platform) ?? (platform === 'win32' || !nerdctlHelperPays(env) ? null : startEarlyNerdctlList(env));
}

/**
 * Whether the nerdctl early list's helper process is worth starting: BERTH_NERDCTL_EARLY=1 or 0 says so; otherwise only
 * with 4 or more CPUs. Its list costs as much CPU as the core's own (~600 ms for 2,000 containers) plus its own start
 * (~400 ms more in all), and on 2 CPUs, where the core's start and the page's load already take both, it did not bring the
 * first row sooner (interleaved cold starts, load 3-8: spawn -> first row 2,209 vs 2,203 ms, 3,603 vs 3,234 ms): its
 * list came ~2 s after the fork instead of 0.9-1.1 s alone. With a spare CPU it runs beside the core's start.
 */
export function nerdctlHelperPays(env: Record<string, string | undefined>, cpus: number = availableParallelism()): boolean {
  if (env.BERTH_NERDCTL_EARLY === '1') return true;
  if (env.BERTH_NERDCTL_EARLY === '0') return false;
  return cpus >= 4;
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
