import type { Settings } from '../../../contract/settings';
import type { ContainerEngine } from '../../../ports/engine';
import type { Logger } from '../../../ports/logger';
import type { ProcessRunner, ProcessSpawner } from '../../../ports/process';
import { createNerdctlEngineWithEarly } from './index';
import type { EarlyNerdctlList } from './early-list';
import type { EarlyContainerList } from '../../../ports/early-list';
import { createLocalNerdctlRunner } from './local-runner';
import { containerdEndpoint } from './containerd-endpoint';
import { LOCAL_NERDCTL_ID } from './local-id';

export { LOCAL_NERDCTL_ID };

/**
 * A local nerdctl engine when one is configured: settings `engine.nerdctlPath` (+ `nerdctlArgs`),
 * or for tests and development the environment: `BERTH_NERDCTL` (the program), `BERTH_NERDCTL_ARGS`
 * (a JSON array of global flags), `BERTH_NERDCTL_ENV` (a JSON object of environment variables),
 * `BERTH_NERDCTL_ACTIVE=1` (make it the active engine). Namespace: settings `engine.namespace`,
 * or `BERTH_NERDCTL_NAMESPACE`. The runtimes containerd registers come from `containerd config dump`
 * (`BERTH_CONTAINERD_CONFIG`: the daemon's configuration file when it is not containerd's default).
 * Container lists are read from containerd's API where its socket can be used (`BERTH_NERDCTL_CONTAINERD_API=0`:
 * always through nerdctl ps, for comparisons).
 * Returns the warning when the environment is malformed.
 */
export function localNerdctlEngine(o: {
  settings: Settings['engine'];
  env: Record<string, string | undefined>;
  processes: ProcessRunner & ProcessSpawner;
  log: Logger;
  /** The core's user id (the process's when not given): nerdctl run by another user than root is rootless. */
  uid?: number;
  /**
   * The container list the entry asked for at process start (early-list.ts): used (`early` of the result) when it is this
   * engine's containerd socket and namespace, else let go.
   */
  early?: EarlyNerdctlList | null;
}): { engine: ContainerEngine; active: boolean; early: EarlyContainerList | null } | { warning: string } | null {
  const made = makeLocalNerdctlEngine(o);
  if (!made || 'warning' in made) o.early?.release();
  return made;
}

function makeLocalNerdctlEngine(o: Parameters<typeof localNerdctlEngine>[0]): ReturnType<typeof localNerdctlEngine> {
  const program = o.env.BERTH_NERDCTL || o.settings.nerdctlPath;
  if (!program) return null;
  let globalArgs: string[] = o.settings.nerdctlArgs;
  let extraEnv: Record<string, string> = {};
  try {
    if (o.env.BERTH_NERDCTL_ARGS) globalArgs = stringArray(JSON.parse(o.env.BERTH_NERDCTL_ARGS), 'BERTH_NERDCTL_ARGS');
    if (o.env.BERTH_NERDCTL_ENV) extraEnv = stringRecord(JSON.parse(o.env.BERTH_NERDCTL_ENV));
  } catch (err) {
    return { warning: `The local nerdctl is not used: ${(err as Error).message}` };
  }
  const namespace = o.env.BERTH_NERDCTL_NAMESPACE || o.settings.namespace || 'default';
  const runner = createLocalNerdctlRunner(o.processes, { program, globalArgs, env: extraEnv });
  const config = o.env.BERTH_CONTAINERD_CONFIG;
  const containerdConfig = () => o.processes.run('containerd', [...(config ? ['--config', config] : []), 'config', 'dump'], { env: extraEnv });
  // Container lists straight from containerd's API where the core can reach its socket (nerdctl ps otherwise).
  const endpoint =
    o.env.BERTH_NERDCTL_CONTAINERD_API === '0'
      ? { reason: 'BERTH_NERDCTL_CONTAINERD_API=0' }
      : containerdEndpoint({ globalArgs, env: { ...o.env, ...extraEnv }, uid: o.uid ?? process.getuid?.() ?? -1 });
  if ('reason' in endpoint) o.log.info(`Container lists go through nerdctl ps: ${endpoint.reason}`);
  const containerd = 'reason' in endpoint ? {} : { containerd: endpoint };
  // The early list is this engine's when it read the same socket and namespace (and the endpoint: the same program).
  const early = o.early && !('reason' in endpoint) && o.early.address === endpoint.address && o.early.namespace === namespace && o.early.endpoint === runner.endpoint ? o.early : null;
  if (!early) o.early?.release();
  const made = createNerdctlEngineWithEarly({ id: LOCAL_NERDCTL_ID, name: 'containerd (nerdctl, local)', runner, log: o.log, env: o.env, namespace, containerdConfig, ...containerd, early });
  return { engine: made.engine, active: o.env.BERTH_NERDCTL_ACTIVE === '1', early: made.early };
}

function stringArray(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${what} must be a JSON array of strings.`);
  return v as string[];
}

function stringRecord(v: unknown): Record<string, string> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string')) {
    throw new Error('BERTH_NERDCTL_ENV must be a JSON object of strings.');
  }
  return v as Record<string, string>;
}
