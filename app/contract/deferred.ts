/**
 * Issue 11 (cold start): the contract declares about 3,000 zod schema objects (every procedure's input and output and
 * the named schemas they are made of). Built when their modules load, they cost the core about 50 ms of CPU and the
 * garbage they leave before it listens, though its first requests need a few of them (containers.list, settings.get,
 * app.info, engines.list, ...). `deferred(build)` stands for the value `build()` returns, built on its first use:
 * any property read, call of a method, `in`, `instanceof` (zod's checks read `_zod.traits`) or key listing goes to
 * the built value, which is built once. Methods are called on the built value (`this` is it), so a schema made from
 * a deferred one (`X.optional()`, `X.extend(…)`) holds the real schema; a deferred schema used as a member
 * (`z.object({ a: X })`) is this stand-in, which zod reads through. Parsing is the same as with the value built at
 * once: same schema, same checks (test/unit/contract/deferred.test.ts compares every deferred schema and procedure
 * with an eager build of the same declaration).
 *
 * Declarations stay `export const X = deferred(() => z.object(…))`, typed as the schema; a procedure in an area's
 * API is `deferred(() => query(…))`, built when the RPC server first looks it up.
 *
 * Costs: a deferred member is read through the stand-in on each parse (~60 ns; a full zod parse of 2,000 container
 * rows ~10 % slower, the hot lists have hand checks), so the small schemas used as members everywhere or on every
 * message stay built at load (common.ts, errors.ts, wire.ts: ~60 objects). zod's metadata registry and
 * toJSONSchema key schemas by object: the stand-in is not the built schema there, so `z.toJSONSchema(z.object({ d: D }))`
 * drops a deferred member's `.describe()` and metadata (Berth uses neither; pass built schemas to anything that does).
 * A deferred value cannot be frozen, sealed or made non-extensible (refused with a TypeError).
 */
export function deferred<T extends object>(build: () => T): T {
  let value: T | undefined;
  let building = false;
  const real = (): T => {
    if (value !== undefined) return value;
    if (building) throw new Error('A deferred contract value refers to itself while it is being built.');
    building = true;
    try {
      value = build();
    } finally {
      building = false;
    }
    return value;
  };
  /** Methods bound to the built value, one per name, so `X.parse === X.parse` holds as it does for a plain schema. */
  const bound = new Map<PropertyKey, { fn: unknown; bound: unknown }>();
  const handler: ProxyHandler<object> = {
    get(_target, key) {
      const r = value ?? real();
      // zod reads a member schema's internals on every parse: the cheapest path first.
      if (key === '_zod') return (r as { _zod?: unknown })._zod;
      const v: unknown = (r as Record<PropertyKey, unknown>)[key];
      // Constructors and classes (`X.constructor`, anything with a `prototype`) as they are: a bound copy is another
      // function (`X.constructor === z.ZodObject` must hold). zod's methods are arrows, which have none.
      if (typeof v !== 'function' || key === 'constructor' || Object.hasOwn(v, 'prototype')) return v;
      const known = bound.get(key);
      if (known && known.fn === v) return known.bound;
      const b = (v as (...args: unknown[]) => unknown).bind(r);
      bound.set(key, { fn: v, bound: b });
      return b;
    },
    set: (_target, key, v) => Reflect.set(real(), key, v),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor(_target, key) {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      // A proxy may not report a property its (empty) target lacks as non-configurable.
      return d ? { ...d, configurable: true } : undefined;
    },
    // Nor may it define one as non-configurable: refused (a TypeError), before the built value is changed.
    defineProperty: (_target, key, d) => d.configurable !== false && Reflect.defineProperty(real(), key, d),
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    // Freezing, sealing or preventExtensions is refused (a TypeError; `Reflect.preventExtensions` gives false): a
    // non-extensible proxy must list exactly its target's keys, so the empty target would make `Object.keys(X)`,
    // `{...X}` and `JSON.stringify(X)` throw from then on.
    preventExtensions: () => false,
  };
  return new Proxy({}, handler) as T;
}
