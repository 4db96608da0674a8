/**
 * The page's first `containers.list {all:true}` answered before the core's modules load (issue 11, nerdctl cold start):
 * the rows the core itself would send, made from the early container list (early-list.ts, asked of containerd at process
 * start) with the core's own code (ContainerdLists.listFromEarly), when nothing can make the core's answer another one.
 * Loads no zod and nothing of the core but the nerdctl adapter's list files (test/unit/foundation/cold-start-imports.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerSummary } from '../contract/containers';
import { isPlainContainerSummary } from '../contract/containers-fast';
import { containerdEndpoint } from '../adapters/engine/nerdctl/containerd-endpoint';
import { ContainerdLists, type ContainerdEndpoint } from '../adapters/engine/nerdctl/containerd-list';
import { nerdctlEnvFlags, type EarlyNerdctlList } from '../adapters/engine/nerdctl/early-list';
import { LOCAL_NERDCTL_ID } from '../adapters/engine/nerdctl/local-id';
import type { Logger } from '../ports/logger';
import type { EarlyList } from './early-list';

export interface EarlyAnswer {
  /** The engine whose list it is (LOCAL_NERDCTL_ID). */
  readonly engineId: string;
  /**
   * The output of `containers.list {all:true}` exactly as the core's RPC server would send it, or null: the caller
   * forwards the call to the core. Made once (later calls give the same promise). Never rejects.
   */
  rows(): Promise<ContainerSummary[] | null>;
}

/** The local nerdctl the core will make its active engine, as far as settings.json and the environment say (see localNerdctlAsCore). */
export interface LocalNerdctlSettings {
  /** The namespace the core acts in. */
  namespace: string;
  /** nerdctl's global flags, as the core gives them. */
  globalArgs: string[];
  /** The environment nerdctl runs with (the core's, with BERTH_NERDCTL_ENV over it). */
  env: Record<string, string | undefined>;
}

/** The core's instance of the VM under its private Lima home (composition-vm.ts: `<dataDir>/lima`, instance `berth`). */
const VM_INSTANCE = path.join('lima', 'berth');

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * The local nerdctl the core will make active (local-config.ts, composition.ts), read from the environment and
 * `<dataDir>/settings.json` without the settings schema (one read and a JSON.parse, no zod), or why that cannot be told
 * so. The core sets a file that fails its schema aside and starts with the defaults (FileSettingsStore.load), which the
 * schema alone tells: so only files whose every value that matters gives the same engine either way are taken.
 * - `BERTH_NERDCTL` and `BERTH_NERDCTL_ACTIVE=1` (local-config.ts registers nerdctl-local, active, over the Docker
 *   engine added before it);
 * - `engine.active` absent, '' or nerdctl-local (`engines.prefer(active || null)` then keeps it; a custom engine is
 *   registered active only when `active` names it, engine-address.ts);
 * - the namespace: `BERTH_NERDCTL_NAMESPACE`, else `engine.namespace` absent, '' or 'default' (the default);
 * - the global flags: `BERTH_NERDCTL_ARGS`, else `engine.nerdctlArgs` absent or [] (the default);
 * - no instance of the VM (its engine would take over when the core finds it running: vm-engine.ts).
 * Anything else (an unreadable file, not JSON, other values, malformed BERTH_NERDCTL_ARGS/ENV): a reason.
 */
export function localNerdctlAsCore(env: Record<string, string | undefined>, dataDir: string): LocalNerdctlSettings | { refused: string } {
  if (!env.BERTH_NERDCTL || env.BERTH_NERDCTL_ACTIVE !== '1') return { refused: 'the environment makes no local nerdctl the active engine' };
  const file = path.join(dataDir, 'settings.json');
  let engine: Record<string, unknown> = {};
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return { refused: `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  if (text !== null) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { refused: `${file} is not JSON` };
    }
    if (!isPlainObject(json)) return { refused: `${file} holds no object` };
    if (json.engine !== undefined) {
      if (!isPlainObject(json.engine)) return { refused: `${file}'s engine is not an object` };
      engine = json.engine;
    }
  }
  const { active, namespace, nerdctlArgs } = engine;
  if (active !== undefined && active !== '' && active !== LOCAL_NERDCTL_ID) return { refused: 'settings name another active engine' };
  if (!env.BERTH_NERDCTL_NAMESPACE && namespace !== undefined && namespace !== '' && namespace !== 'default') return { refused: 'settings name a namespace' };
  if (!env.BERTH_NERDCTL_ARGS && !(nerdctlArgs === undefined || (Array.isArray(nerdctlArgs) && nerdctlArgs.length === 0))) return { refused: "settings give nerdctl's flags" };
  const flags = nerdctlEnvFlags(env);
  if ('refused' in flags) return flags;
  if (fs.existsSync(path.join(dataDir, VM_INSTANCE))) return { refused: "the VM's engine may be the active one" };
  return { namespace: env.BERTH_NERDCTL_NAMESPACE || 'default', globalArgs: flags.args, env: flags.env };
}

/**
 * The early answer of the page's first list, or null when the core might answer otherwise: no early nerdctl list, a
 * settings.json or environment that may make another engine, namespace, socket or data root the core's
 * (localNerdctlAsCore), or an early list that is not the one the core would use (local-config.ts's check).
 * The rows are made from the early replies without taking them (peek): the core still takes them at its `up`.
 */
export function earlyAnswer(
  early: EarlyList | null,
  opts: { env: Record<string, string | undefined>; dataDir: string; log: Logger; /** The core's user id (the process's when not given). */ uid?: number },
): EarlyAnswer | null {
  if (early?.kind !== 'nerdctl') return null;
  const log = opts.log;
  const local = localNerdctlAsCore(opts.env, opts.dataDir);
  if ('refused' in local) {
    log.info(`The first list is not answered before the core: ${local.refused}`);
    return null;
  }
  // The endpoint as the core builds it (local-config.ts), so nerdctl's port files are read from the same data root.
  const endpoint = containerdEndpoint({ globalArgs: local.globalArgs, env: local.env, uid: opts.uid ?? process.getuid?.() ?? -1 });
  if ('reason' in endpoint) {
    log.info(`The first list is not answered before the core: ${endpoint.reason}`);
    return null;
  }
  if (early.namespace !== local.namespace || early.address !== endpoint.address || early.endpoint !== `nerdctl://${opts.env.BERTH_NERDCTL}`) {
    log.info('The first list is not answered before the core: the early list is not of the engine the core uses', { early: [early.endpoint, early.address, early.namespace], core: [endpoint.address, local.namespace] });
    return null;
  }
  let made: Promise<ContainerSummary[] | null> | null = null;
  return {
    engineId: LOCAL_NERDCTL_ID,
    rows: () => (made ??= rowsOf(early, endpoint, local.namespace, log)),
  };
}

async function rowsOf(early: EarlyNerdctlList, endpoint: ContainerdEndpoint, namespace: string, log: Logger): Promise<ContainerSummary[] | null> {
  try {
    const peeked = early.peek();
    if (!peeked) return null;
    const parts = await peeked;
    if (early.changed()) return null;
    // The core's own code for its first list (EarlyNerdctlContainers.take), on a list of its own (disposed: its API client is never used).
    const lists = new ContainerdLists({ namespace, log }, endpoint);
    let rows: ContainerSummary[] | null;
    try {
      rows = await lists.listFromEarly(parts);
    } finally {
      lists.dispose();
    }
    // null: the core would list through nerdctl ps.
    if (!rows) return null;
    // Only rows the RPC server sends as they are (it skips its schema's parse for them): the same bytes.
    if (!rows.every(isPlainContainerSummary)) {
      log.warn('The first list is not answered before the core: a row is not of the plain shape the core sends as it is');
      return null;
    }
    return early.changed() ? null : rows;
  } catch (err) {
    log.warn('The first list is not answered before the core: its rows could not be made', { error: err instanceof Error ? err.message : String(err) });
    return null;
  }
}
