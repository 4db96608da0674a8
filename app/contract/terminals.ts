import * as z from 'zod';
import { mutation, query, subscription } from './rpc';
import { engineSel, ObjectRef } from './common';
import { deferred } from './deferred';

const Size = deferred(() => z.number().int().min(1).max(1000));
export const TerminalId = deferred(() => z.string().min(1).max(100));

/** What a terminal runs: the user's shell on the host, a shell (or a command) in a container, or a shell in the VM. */
export const TerminalTarget = deferred(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host') }),
  z.object({
    kind: z.literal('container'),
    ...engineSel,
    container: ObjectRef,
    /** A one-off command instead of a shell (for images without one). Without it: bash, else sh. */
    cmd: z.array(z.string().max(65536)).min(1).max(1000).optional(),
    user: z.string().max(256).optional(),
  }),
  z.object({ kind: z.literal('vm') }),
  /** A shell (or a command) in a pod's container, through the Kubernetes API server (kubectl exec -it). */
  z.object({
    kind: z.literal('pod'),
    namespace: z.string().min(1).max(63),
    pod: z.string().min(1).max(253),
    /** Without it: the pod's first container. */
    container: z.string().min(1).max(63).optional(),
    /** Without it: sh. */
    cmd: z.array(z.string().max(65536)).min(1).max(1000).optional(),
  }),
]));
export type TerminalTarget = z.infer<typeof TerminalTarget>;

export const TerminalInfo = deferred(() => z.object({
  id: TerminalId,
  title: z.string(),
  target: TerminalTarget,
  /** What runs, as shown to the user (e.g. `bash` in `web-1`). */
  command: z.array(z.string()),
  state: z.enum(['running', 'exited']),
  /** Set once exited; null when the engine could not tell. */
  exitCode: z.number().int().nullable(),
  cols: Size,
  rows: Size,
  /** Whether it outlives the client that opened it (the dock's sessions do; other clients' end with them). */
  keep: z.boolean(),
  createdAt: z.string(),
}));
export type TerminalInfo = z.infer<typeof TerminalInfo>;

export const TerminalOpenInput = deferred(() => z.object({
  target: TerminalTarget,
  title: z.string().min(1).max(100).optional(),
  cols: Size.default(80),
  rows: Size.default(24),
  /** Keep running when this client goes away, for a later re-attach (default false: it ends with the client). */
  keep: z.boolean().default(false),
}));
export type TerminalOpenInput = z.infer<typeof TerminalOpenInput>;

export const TerminalEvent = deferred(() => z.discriminatedUnion('type', [
  /**
   * First item of every attach: the session as it is now, and where the replay starts
   * (`from` is an output offset; earlier output has left the scrollback).
   */
  z.object({
    type: z.literal('attached'),
    info: TerminalInfo,
    from: z.number().int().min(0),
    /** This view's id, for terminals.ack. */
    view: z.string(),
  }),
  /** A batch of output; `end` is the offset just after it (give it back as `from` to re-attach without a gap). */
  z.object({ type: z.literal('output'), data: z.string(), end: z.number().int().min(0) }),
  /** Output was skipped (it left the scrollback before this view read it); the next batch starts at `from`. */
  z.object({ type: z.literal('gap'), from: z.number().int().min(0) }),
  /** The process ended; the session stays (with its scrollback) until closed or restarted. */
  z.object({ type: z.literal('exit'), exitCode: z.number().int().nullable() }),
  /** Restarted in place: new output follows. */
  z.object({ type: z.literal('restarted'), info: TerminalInfo }),
]));
export type TerminalEvent = z.infer<typeof TerminalEvent>;

/**
 * True when `v` is an `output` TerminalEvent exactly as TerminalEvent.parse would return it (the three keys, nothing
 * to strip, `end` a non-negative integer): a flood of output batches is checked without a parse and a copy each.
 */
export function isTerminalOutput(v: unknown): v is Extract<TerminalEvent, { type: 'output' }> {
  if (typeof v !== 'object' || v === null) return false;
  const { type, data, end } = v as Record<string, unknown>;
  if (type !== 'output' || typeof data !== 'string' || typeof end !== 'number' || !Number.isSafeInteger(end) || end < 0) return false;
  let keys = 0;
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) keys++;
  return keys === 3;
}

const Ok = deferred(() => z.object({}));

/** Characters sent to an acknowledging view ahead of what it has drawn. */
export const ACK_WINDOW = 256 * 1024;

export const terminalsApi = {
  'terminals.list': deferred(() => query('Open terminal sessions, in dock order', z.object({}), z.array(TerminalInfo))),
  'terminals.open': deferred(() => mutation(
    'Start a terminal session: a host shell, a shell or a command in a container, or a VM shell. It then runs whether or not a view is attached',
    TerminalOpenInput,
    TerminalInfo,
  )),
  'terminals.attach': deferred(() => subscription(
    'Follow a session: replays its scrollback from `from` (or as much as is kept), then streams its output in batches, at the pace of this client',
    z.object({
      id: TerminalId,
      from: z.number().int().min(0).optional(),
      /**
       * The view acknowledges what it has drawn (terminals.ack with an output's `end`); then at
       * most `ACK_WINDOW` characters are sent ahead of it, so a slow renderer holds the program
       * back instead of queueing without bound.
       */
      ack: z.boolean().optional(),
    }),
    TerminalEvent,
  )),
  'terminals.ack': deferred(() => mutation(
    'A view has drawn the output up to `end` (for attaches with `ack`)',
    z.object({ id: TerminalId, view: z.string().min(1).max(100), end: z.number().int().min(0) }),
    Ok,
  )),
  'terminals.input': deferred(() => mutation('Type into a session (UTF-8 text, in order)', z.object({ id: TerminalId, data: z.string().max(1024 * 1024) }), Ok)),
  'terminals.resize': deferred(() => mutation('Resize a session\'s terminal', z.object({ id: TerminalId, cols: Size, rows: Size }), Ok)),
  'terminals.rename': deferred(() => mutation('Rename a session\'s tab', z.object({ id: TerminalId, title: z.string().trim().min(1).max(100) }), TerminalInfo)),
  'terminals.move': deferred(() => mutation('Move a session to a position in the dock order', z.object({ id: TerminalId, index: z.number().int().min(0) }), z.array(TerminalInfo))),
  'terminals.restart': deferred(() => mutation('Start an exited session\'s command again, in the same tab and scrollback', z.object({ id: TerminalId }), TerminalInfo)),
  'terminals.close': deferred(() => mutation('End a session\'s process and forget it', z.object({ id: TerminalId }), Ok)),
};
