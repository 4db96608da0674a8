import type { ContainerSummary, RunChanges, RunCommand, RunOptionsIn, RunResult } from '../../app/contract/containers';
import { BerthError, type ErrorShape } from '../../app/contract/errors';
import type { ActionResult, BulkResult } from '../lib/entity-store';
import { toErrorShape } from '../lib/errors';
import { call } from '../lib/rpc';
import { createEngineList } from './engine-list';

/**
 * The containers of the active engine, refreshed by the change feed (never on a timer), and
 * every action on them. Row actions carry per-row pending and error state (shown on the row).
 */
export const useContainers = createEngineList<ContainerSummary>({
  name: 'containers',
  fetch: () => call('containers.list', { all: true }),
  // A change of one container refetches just that container, at once (no debounce, no full list).
  fetchSome: { kind: 'container', fetch: (ids) => call('containers.list', { all: true, ids }) },
  idOf: (c) => c.id,
  changes: 'container',
});

let primed: Promise<void> | null = null;

/**
 * Cold start on the Containers page: the list is asked for before the app's first render (lib/rpc hands it the reply the
 * page's early script got, when there is one). If that reply is already there, the first render has the rows: one pass,
 * not the page's frame first and the rows in a second render.
 */
export function primeContainers(): void {
  primed ??= useContainers.getState().load();
}

/** The Containers page's mount: the primed list (once, so the list is not asked for twice at start), else a fresh one. */
export function loadContainersOnMount(): Promise<void> {
  const p = primed;
  primed = null;
  return p ?? useContainers.getState().load();
}

export type ContainerAction = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'remove';

/** What a row shows while an action runs ("Stopping…") and in its error line ("Stop failed"). */
export const ACTION_LABEL: Record<ContainerAction, string> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  pause: 'Pause',
  unpause: 'Resume',
  kill: 'Kill',
  remove: 'Remove',
};
const PENDING_LABEL: Record<ContainerAction, string> = {
  start: 'Starting',
  stop: 'Stopping',
  restart: 'Restarting',
  pause: 'Pausing',
  unpause: 'Resuming',
  kill: 'Killing',
  remove: 'Removing',
};

export interface RemoveOptions {
  /** Remove running containers too (they are killed). */
  force?: boolean;
  /** Also remove their anonymous volumes. */
  volumes?: boolean;
}

/** The engine's messages name a container by what it was given (the id): say its name instead. */
async function invoke(action: ContainerAction, id: string, opts: RemoveOptions = {}): Promise<unknown> {
  try {
    return await call1(action, id, opts);
  } catch (e) {
    const name = useContainers.getState().byId[id]?.name;
    const shape = toErrorShape(e);
    if (!name || !shape.message.includes(id)) throw e;
    throw BerthError.fromShape({ ...shape, message: shape.message.split(id).join(name) });
  }
}

function call1(action: ContainerAction, id: string, opts: RemoveOptions): Promise<unknown> {
  switch (action) {
    case 'start':
      return call('containers.start', { id });
    case 'stop':
      return call('containers.stop', { id });
    case 'restart':
      return call('containers.restart', { id });
    case 'pause':
      return call('containers.pause', { id });
    case 'unpause':
      return call('containers.unpause', { id });
    case 'kill':
      return call('containers.kill', { id });
    case 'remove':
      // Only ever run after the remove dialog: the user confirmed it there.
      return call('containers.remove', { id, force: opts.force ?? false, volumes: opts.volumes ?? false, confirm: true });
  }
}

/** Run one action on one container; a failure stays on its row. */
export function containerAction(id: string, action: ContainerAction, opts?: RemoveOptions): Promise<ActionResult<unknown>> {
  return useContainers.getState().runAction(id, PENDING_LABEL[action], () => invoke(action, id, opts));
}

/** Run one action on many containers (bulk and compose-group actions); each failure stays on its row. */
export function containersBulk(ids: readonly string[], action: ContainerAction, opts?: RemoveOptions): Promise<BulkResult> {
  return useContainers.getState().runBulk(ids, PENDING_LABEL[action], (id) => invoke(action, id, opts));
}

/** Which actions make sense for a container in this state. */
export function actionsFor(c: Pick<ContainerSummary, 'state'>): ContainerAction[] {
  switch (c.state) {
    case 'running':
      return ['stop', 'restart', 'pause', 'remove'];
    case 'paused':
      return ['unpause', 'stop', 'remove'];
    case 'restarting':
      return ['stop', 'kill', 'remove'];
    case 'removing':
      return [];
    default:
      return ['start', 'remove'];
  }
}

export const isRunning = (c: Pick<ContainerSummary, 'state'>) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting';

/** Create and start a container; the list refreshes (the change feed also says so). */
export async function runContainer(options: RunOptionsIn): Promise<RunResult> {
  const res = await call('containers.run', { options });
  void useContainers.getState().load();
  return res;
}

/** A host port free now that no container publishes, for engines that cannot pick one (capability autoHostPort false). */
export async function proposeHostPort(hostIp: string, protocol: 'tcp' | 'udp' | 'sctp'): Promise<number> {
  return (await call('containers.freePort', { ...(hostIp ? { hostIp } : {}), protocol })).port;
}

/** Replace a container by a copy with changes (the old one is kept if anything fails). */
export async function recreateContainer(id: string, changes: RunChanges): Promise<RunResult> {
  const res = await call('containers.recreate', { id, changes });
  void useContainers.getState().load();
  return res;
}

/** The `docker run` / `nerdctl run` line for these options. */
export function runCommandFor(options: RunOptionsIn): Promise<RunCommand> {
  return call('containers.runCommand', { runOptions: options });
}

/** Names of local images and networks, for the run dialog's suggestions. Failures are reported, not hidden. */
export async function runSuggestions(): Promise<{ images: string[]; networks: string[]; error: ErrorShape | null }> {
  const [images, networks] = await Promise.allSettled([call('images.list', { filter: 'all' }), call('networks.list', {})]);
  const error = images.status === 'rejected' ? toErrorShape(images.reason) : networks.status === 'rejected' ? toErrorShape(networks.reason) : null;
  return {
    images: images.status === 'fulfilled' ? [...new Set(images.value.flatMap((i) => i.repoTags.filter((t) => t !== '<none>:<none>')))].sort() : [],
    networks: networks.status === 'fulfilled' ? networks.value.map((n) => n.name).sort() : [],
    error,
  };
}
