import * as z from 'zod';

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

/**
 * The same for a list under a plain array schema (`z.array(item)`, no checks of its own), one
 * slice of items at a time with `pause()` between slices: a long list never holds the thread for
 * long (the core keeps serving the window's files and calls meanwhile). Throws on a mismatch.
 * `plain`: a hand-written check of the item's exact shape (as for checkFast, never laxer than the parse); an item it
 * passes is kept as it is (the list is a new array, its items are not copied), any other item is parsed.
 */
export async function checkAheadList<S extends z.ZodArray>(
  schema: S,
  items: unknown,
  pause: () => Promise<void>,
  slice = 100,
  plain?: (v: unknown) => boolean,
): Promise<z.output<S>> {
  if (!Array.isArray(items) || (schema._zod.def.checks?.length ?? 0) > 0) return checkAhead(schema, items);
  const item = schema.element;
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i += slice) {
    if (i > 0) await pause();
    for (const x of items.slice(i, i + slice)) out.push(plain?.(x) ? x : z.parse(item, x));
  }
  checked.set(out, schema);
  return out as z.output<S>;
}

/**
 * Remembers `value` as checked against `schema` when `test` passes: a hand-written check of the schema's exact shape
 * (no key it lacks, none it would strip), cheaper than a parse and never laxer, for output sent often and in bulk
 * (log batches). The value is sent as it is, not copied. When `test` fails nothing is remembered, so the RPC server's
 * own parse reports what is wrong.
 */
export function checkFast<T>(schema: z.ZodType, value: T, test: (v: unknown) => boolean): T {
  if (typeof value === 'object' && value !== null && test(value)) checked.set(value, schema);
  return value;
}

/** True when `value` is the very result `checkAhead(schema, …)` (or `checkAheadList`) returned. */
export function checkedAgainst(schema: z.ZodType, value: unknown): boolean {
  return typeof value === 'object' && value !== null && checked.get(value) === schema;
}
