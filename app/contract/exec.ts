import * as z from 'zod';
import { mutation, subscription } from './rpc';
import { engineSel, ObjectRef } from './common';
import { deferred } from './deferred';

const Size = deferred(() => z.number().int().min(1).max(1000));

export const ExecSessionInput = deferred(() => z.object({
  ...engineSel,
  container: ObjectRef,
  /** The command and its arguments (default `['sh']`). */
  cmd: z.array(z.string().max(65536)).min(1).max(1000).default(['sh']),
  /** Allocate a terminal (default true): one raw output stream, resizable. */
  tty: z.boolean().default(true),
  cols: Size.optional(),
  rows: Size.optional(),
  env: z.record(z.string().regex(/^[^=\0]+$/, 'must be a variable name without "="'), z.string().max(65536)).optional(),
  /** `user`, `user:group` or numeric ids, as the engine takes them. */
  user: z.string().max(256).optional(),
  workingDir: z.string().max(4096).optional(),
}));
export type ExecSessionInput = z.infer<typeof ExecSessionInput>;

export const ExecEvent = deferred(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), sessionId: z.string() }),
  z.object({
    type: z.literal('output'),
    /** UTF-8 text; a character split across reads is kept whole. */
    data: z.string(),
    /** Only without a TTY, where stdout and stderr are kept apart. */
    stream: z.enum(['stdout', 'stderr']).optional(),
  }),
  /** The process ended; `exitCode` is null when the engine could not tell. The subscription then ends. */
  z.object({ type: z.literal('exit'), exitCode: z.number().int().nullable() }),
]));
export type ExecEvent = z.infer<typeof ExecEvent>;

const SessionId = deferred(() => z.string().min(1).max(100));

export const execApi = {
  'exec.session': deferred(() => subscription(
    'Run a command in a running container, attached both ways. Cancelling closes its input and the connection',
    ExecSessionInput,
    ExecEvent,
  )),
  'exec.input': deferred(() => mutation(
    'Send input (UTF-8 text) to an exec session; `eof` then closes its input (a shell exits)',
    z.object({ sessionId: SessionId, data: z.string().max(1024 * 1024), eof: z.boolean().optional() }),
    z.object({}),
  )),
  'exec.resize': deferred(() => mutation('Resize the terminal of an exec session', z.object({ sessionId: SessionId, cols: Size, rows: Size }), z.object({}))),
};
