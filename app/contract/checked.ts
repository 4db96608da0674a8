import type { z } from 'zod';

/**
 * Results already parsed against their output schema, ahead of the call that returns them (the
 * core's first container list, fetched while the window loads). A parse result is a fresh copy
 * owned by whoever made it; the RPC server sends such a value without parsing it a second time.
 */
const checked = new WeakMap<object, z.ZodType>();

/** Parses `value` with `schema` (throws on a mismatch, like `parse`) and remembers the result as checked against it. */
export function checkAhead<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const out = schema.parse(value);
  if (typeof out === 'object' && out !== null) checked.set(out, schema);
  return out;
}

/** True when `value` is the very result `checkAhead(schema, …)` returned. */
export function checkedAgainst(schema: z.ZodType, value: unknown): boolean {
  return typeof value === 'object' && value !== null && checked.get(value) === schema;
}
