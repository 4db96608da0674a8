import type { BerthError } from '../../app/contract/errors';
import type {
  BuildInput,
  BuildItem,
  ImageDetails,
  ImageHistoryEntry,
  ImageSummary,
  LoadResult,
  PruneResult,
  PullInput,
  PullItem,
  PushInput,
  PushItem,
  RemoveResult,
  SaveInput,
} from '../../app/contract/images';
import type { BuildStages } from '../../app/contract/images-build';
import type { ConvertResult } from '../../app/contract/images-lazy';
import type { ActionResult, BulkResult } from '../lib/entity-store';
import { call, subscribe, type LiveHandlers } from '../lib/rpc';
import { createEngineList, engineCall, thenReload } from './engine-list';
import { engineSuspect } from './engines';

/**
 * The images of the active engine (all of them: the page filters in use / unused / dangling
 * itself, so the totals of every filter come from one list), refreshed by the change feed.
 * Image events (pull, tag, untag, delete, build) and container changes (a container created or
 * removed changes what is in use) refetch it, debounced. Nothing polls.
 */
export const useImages = createEngineList<ImageSummary>({
  name: 'images',
  idOf: (i) => i.id,
  fetch: () => call('images.list', { filter: 'all' }),
  // Starting or stopping a container changes nothing here: only its creation or removal does.
  changes: ['image', { kind: 'container', actions: ['create', 'destroy'] }],
});

export interface RemoveOptions {
  /** Remove by ID with force: every tag goes, and an image used by a stopped container goes too. */
  force?: boolean;
  /** Only these tags (untag); by default every tag of the image. */
  tags?: readonly string[];
}

/**
 * Removes an image the way a user means it. Without force each of its tags is removed by name
 * (the last one deletes the image), so an image with several tags does not need force; a
 * dangling image is removed by ID. With force, by ID.
 */
async function removeOne(image: ImageSummary, opts: RemoveOptions): Promise<RemoveResult> {
  if (opts.force) return call('images.remove', { ref: image.id, force: true, confirm: true }); // confirmed in the remove dialog
  const tags = opts.tags ?? image.repoTags;
  if (tags.length === 0) return call('images.remove', { ref: image.id, force: false });
  const out: RemoveResult = { untagged: [], deleted: [] };
  for (const ref of tags) {
    const r = await call('images.remove', { ref, force: false });
    out.untagged.push(...r.untagged);
    out.deleted.push(...r.deleted);
  }
  return out;
}

/** Remove (or untag) one image; pending state and any failure (in use…) show on its row. */
export function removeImage(image: ImageSummary, opts: RemoveOptions = {}): Promise<ActionResult<RemoveResult>> {
  return useImages.getState().runAction(image.id, opts.tags && opts.tags.length < image.repoTags.length ? 'Untagging' : 'Removing', () =>
    engineCall(() => removeOne(image, opts)),
  );
}

/** Remove several images; each failure stays on its row. */
export function removeImages(images: readonly ImageSummary[], force: boolean): Promise<BulkResult> {
  const byId = new Map(images.map((i) => [i.id, i]));
  return useImages.getState().runBulk(
    images.map((i) => i.id),
    'Removing',
    (id) => engineCall(() => removeOne(byId.get(id) as ImageSummary, { force })),
  );
}

/** Convert an image to eStargz under another name (lazy pulling); the list is fresh when this resolves. */
export async function convertImage(source: string, target: string): Promise<ConvertResult> {
  const r = await engineCall(() => call('images.convert', { source, target, format: 'estargz' }));
  await useImages.getState().load();
  return r;
}

/** Give an image another name; the list is fresh when this resolves. */
export async function tagImage(source: string, target: string): Promise<string> {
  const r = await engineCall(() => call('images.tag', { source, target }));
  await useImages.getState().load();
  return r.target;
}

export const inspectImage = (ref: string): Promise<ImageDetails> => engineCall(() => call('images.inspect', { ref }));
export const imageHistory = (ref: string): Promise<ImageHistoryEntry[]> => engineCall(() => call('images.history', { ref }));

/** What a prune would remove now and the space it would free. Removes nothing. */
export const previewImagePrune = (all: boolean): Promise<PruneResult> => engineCall(() => call('images.prune', { all, dryRun: true }));

/** Remove dangling (or, with `all`, every unused) image, then refresh the list. */
export function pruneImages(all: boolean): Promise<PruneResult> {
  return thenReload(useImages, () => call('images.prune', { all, dryRun: false, confirm: true })); // confirmed in the prune dialog
}

export async function saveImages(input: SaveInput): Promise<{ path: string; bytes: number }> {
  return engineCall(() => call('images.save', input));
}

export function loadImages(path: string): Promise<LoadResult> {
  return thenReload(useImages, () => call('images.load', { path }));
}

export interface StreamHandlers<T> {
  onItem(item: T): void;
  onError(err: BerthError): void;
  /** The stream ended (after its `done` item, or without one if the core gave up). */
  onEnd?(): void;
  /** The link to the core dropped and the work was started again (what was shown is stale). */
  onRestart?(): void;
}

/**
 * The handlers of a streaming operation (pull, push, build). When it finishes with its last
 * item the list is refreshed first, so the new image is on the page when the dialog says so.
 */
function live<T>(isLast: (item: T) => boolean, h: StreamHandlers<T>): LiveHandlers<T> {
  let last: Promise<void> = Promise.resolve();
  return {
    onData: (item) => {
      if (!isLast(item)) return h.onItem(item);
      last = useImages
        .getState()
        .load()
        .finally(() => h.onItem(item));
    },
    onError: (err) => {
      if (err.code === 'ENGINE_UNREACHABLE') engineSuspect();
      h.onError(err);
    },
    onEnd: () => void last.finally(() => h.onEnd?.()),
    onResubscribe: () => h.onRestart?.(),
  };
}

/** Pull with aggregated progress; returns the function that cancels it (the core aborts the pull). */
export const pullImage = (input: PullInput, h: StreamHandlers<PullItem>): (() => void) => subscribe('images.pull', input, live((i) => i.done, h));

/** Push with progress; returns the function that cancels it. */
export const pushImage = (input: PushInput, h: StreamHandlers<PushItem>): (() => void) => subscribe('images.push', input, live((i) => i.done, h));

/** The stages of the Dockerfile in a build folder (the build dialog's target picker). */
export const dockerfileStages = (contextDir: string, dockerfile: string): Promise<BuildStages> => engineCall(() => call('images.buildStages', { contextDir, dockerfile }));

/** Build with streamed output; returns the function that cancels it. */
export const buildImage = (input: BuildInput, h: StreamHandlers<BuildItem>): (() => void) =>
  subscribe('images.build', input, live((i) => i.kind === 'done', h));
