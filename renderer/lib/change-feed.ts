import type { ChangeEvent, ObjectChange } from '../../app/contract/events';
import type { BerthError } from '../../app/contract/errors';

/**
 * The app's ONE `changes.watch` subscription. The core says WHAT changed (a container, an image,
 * a volume, a network, an engine); stores registered for that kind are invalidated (the entity
 * store debounces, caps and pauses the refetch while the window is hidden). A `resync` (the core
 * sends one right after an engine comes back) invalidates every list, as does a reconnect of the
 * link (events may have been missed). `up` alone is the engine's state: the core also sends it as
 * the current state when a subscription starts, and a refetch then would load every list twice.
 * Nothing here polls.
 *
 *   registerChangeTarget('volume', useVolumes);              // at module level of the store
 *   registerChangeTarget(['volume', 'container'], useVolumes); // also when containers change
 */
export type ChangeKind = 'container' | 'image' | 'volume' | 'network' | 'engine';
/** Plural names are accepted too ('containers' = 'container'). */
export type ChangeKindArg = ChangeKind | 'containers' | 'images' | 'volumes' | 'networks' | 'engines';

export interface ChangeTarget {
  /** `change` is the item that concerns it (absent for a resync or a reconnect: everything is stale). */
  invalidate(change?: ObjectChange): void;
}
/** A zustand store whose state has `invalidate` (every entity store). */
export interface ChangeTargetStore {
  getState(): ChangeTarget;
}

const OBJECT_KINDS: readonly ChangeKind[] = ['container', 'image', 'volume', 'network'];

/** Container verbs that change nothing a list shows (execs, attaches, copies). */
const CONTAINER_NOISE: ReadonlySet<string> = new Set([
  'exec_create',
  'exec_start',
  'exec_die',
  'exec_detach',
  'attach',
  'detach',
  'resize',
  'top',
  'archive-path',
  'extract-to-dir',
  'export',
  'copy',
]);

/** Whether a change item is worth a refetch of the lists of its kind. */
export const isNoise = (item: ChangeEvent): boolean => item.kind === 'container' && CONTAINER_NOISE.has(item.action);

const normalize = (k: ChangeKindArg): ChangeKind => (k.endsWith('s') ? (k.slice(0, -1) as ChangeKind) : (k as ChangeKind));

/**
 * A kind, or a kind narrowed to the actions that change what a list shows: the images list
 * counts containers per image, so only `{ kind: 'container', actions: ['create', 'destroy'] }`
 * concerns it, not every start and stop.
 */
export type ChangeSpec = ChangeKindArg | { kind: ChangeKindArg; actions: readonly string[] };

interface Registration {
  fire(change?: ObjectChange): void;
  /** Only these actions of the kind fire it; undefined = every action. */
  actions?: ReadonlySet<string>;
}

const targets = new Map<ChangeKind, Set<Registration>>();

/** Invalidate `target` when something of `specs` changes. Returns the function that unregisters it. */
export function registerChangeTarget(specs: ChangeSpec | readonly ChangeSpec[], target: ChangeTarget | ChangeTargetStore): () => void {
  const list = (Array.isArray(specs) ? specs : [specs]) as ChangeSpec[];
  const fire = 'getState' in target ? (c?: ObjectChange) => target.getState().invalidate(c) : (c?: ObjectChange) => target.invalidate(c);
  const added: Array<[ChangeKind, Registration]> = list.map((spec) =>
    typeof spec === 'string' ? [normalize(spec), { fire }] : [normalize(spec.kind), { fire, actions: new Set(spec.actions) }],
  );
  for (const [k, reg] of added) {
    let set = targets.get(k);
    if (!set) targets.set(k, (set = new Set()));
    set.add(reg);
  }
  return () => {
    for (const [k, reg] of added) targets.get(k)?.delete(reg);
  };
}

/** Fires the targets of `kinds` once each; with `change`, targets narrowed to other actions stay quiet. */
const fireKinds = (kinds: readonly ChangeKind[], change?: ObjectChange) => {
  const done = new Set<(c?: ObjectChange) => void>();
  for (const k of kinds) {
    for (const reg of targets.get(k) ?? []) {
      if (done.has(reg.fire)) continue;
      if (change !== undefined && reg.actions && !reg.actions.has(change.action)) continue;
      done.add(reg.fire);
      reg.fire(change);
    }
  }
};

/** Every object list (and the engines), e.g. after a reconnect. */
export const invalidateAll = (): void => fireKinds([...OBJECT_KINDS, 'engine']);

/**
 * Route one item of the feed. `activeEngineId` tells which engine's `resync` concerns the
 * lists (the feed also reports the state of engines that are not active).
 */
export function dispatchChange(item: ChangeEvent, activeEngineId?: string): void {
  if (item.kind === 'engine') {
    fireKinds(['engine']);
    if (item.action === 'resync' && (activeEngineId === undefined || activeEngineId === item.engineId)) {
      fireKinds(OBJECT_KINDS);
    }
    return;
  }
  if (isNoise(item)) return;
  fireKinds([item.kind], item);
}

/** What `subscribe('changes.watch', …)` of lib/rpc takes (its LiveHandlers). */
export interface FeedHandlers {
  onData(item: ChangeEvent): void;
  onError?(err: BerthError): void;
  onEnd?(): void;
  onResubscribe?(): void;
}
export type SubscribeFeed = (handlers: FeedHandlers) => () => void;

export interface ChangeFeedOptions {
  /** Subscribe to `changes.watch` (the rpc client's live subscription; injectable for tests). */
  subscribe: SubscribeFeed;
  activeEngineId?(): string | undefined;
  /** Called when the feed fails (it restarts by itself with backoff). */
  onError?(err: BerthError): void;
  /** First and largest restart delay (ms). Default 1000 and 30000. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Start the feed; call once at app start. A dropped link is re-subscribed by the rpc layer
 * (then every list is invalidated); a feed the core ended or failed is restarted with backoff.
 */
export function startChangeFeed(opts: ChangeFeedOptions): () => void {
  const min = opts.minDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 30_000;
  let delay = min;
  let stopped = false;
  let cancel: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const restartLater = () => {
    cancel = null;
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      start();
      invalidateAll();
    }, delay);
    delay = Math.min(max, delay * 2);
  };

  const start = () => {
    if (stopped) return;
    cancel = opts.subscribe({
      onData(item) {
        delay = min;
        dispatchChange(item, opts.activeEngineId?.());
      },
      onResubscribe: invalidateAll,
      onError(err) {
        opts.onError?.(err);
        restartLater();
      },
      onEnd: restartLater,
    });
  };

  start();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    cancel?.();
  };
}
