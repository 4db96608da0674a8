import * as z from 'zod';
import { subscription } from './rpc';
import { engineSel } from './common';
import { ErrorShape } from './errors';
import { deferred } from './deferred';

/**
 * The change feed says WHAT changed, never the data: a client refetches the affected list
 * (debounced) when an item arrives, and refetches every list on `resync`.
 */
export const ObjectChange = deferred(() => z.object({
  engineId: z.string(),
  kind: z.enum(['container', 'image', 'volume', 'network']),
  /** The engine's verb: create, start, die, destroy, pull, tag, delete, connect, exec_start, health_status... */
  action: z.string(),
  /** Container or network id, image id or reference, volume name. */
  id: z.string(),
  /** A human name when the engine gives one (container name, image reference, network name). */
  name: z.string().optional(),
}));
export type ObjectChange = z.infer<typeof ObjectChange>;

export const EngineAction = deferred(() => z.enum(['connecting', 'up', 'down', 'resync']));
export type EngineAction = z.infer<typeof EngineAction>;

/**
 * An engine's state changed. `down` carries the error (which socket, why); `up` is followed by
 * `resync`, because events were missed while the engine was away.
 */
export const EngineChange = deferred(() => z.object({
  engineId: z.string(),
  kind: z.literal('engine'),
  action: EngineAction,
  error: ErrorShape.optional(),
}));
export type EngineChange = z.infer<typeof EngineChange>;

export const ChangeEvent = deferred(() => z.discriminatedUnion('kind', [ObjectChange, EngineChange]));
export type ChangeEvent = z.infer<typeof ChangeEvent>;

export const eventsApi = {
  'changes.watch': deferred(() => subscription(
    'What changes in the engines, as it happens. Starts with the current state of each engine concerned. ' +
      'With engineId: that engine only; without: object changes of the active engine and the state of every engine.',
    z.object({ ...engineSel }).strict(),
    ChangeEvent,
  )),
};
