import * as z from 'zod';
import { deferred } from './deferred';

/**
 * Explicit confirmation of a destructive call, in its input, as `system.prune` has: the UI asks
 * the user and then sends `confirm: true`; any other client (a script, a stray tab, a fuzzer)
 * must say so too. Calls that only sometimes destroy (`force`, `all`) take it optionally and
 * require it when they would.
 */
export const confirmField = deferred(() => ({ confirm: z.literal(true).optional() }));

export const confirmationRequired = (what: string) =>
  `confirmation is required: ${what}, so the UI must ask the user and then send confirm: true`;

/** `schema`, refined: when `destroys(input)`, `input.confirm` must be true. */
export function confirmed<S extends z.ZodType<{ confirm?: true | undefined }>>(schema: S, destroys: (o: z.output<S>) => boolean, what: string): S {
  return schema.refine((o) => !destroys(o) || o.confirm === true, { path: ['confirm'], message: confirmationRequired(what) }) as S;
}
