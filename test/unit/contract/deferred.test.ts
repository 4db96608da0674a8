import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { deferred } from '../../../app/contract/deferred';
import { findUnknownKeys } from '../../../app/contract/strict';
import { checkAhead, checkedAgainst } from '../../../app/contract/checked';
import { createRpcServer, type ServerPeer } from '../../../app/api/rpc-server';
import { query } from '../../../app/contract/rpc';
import { api } from '../../../app/contract/api';
import type { ProcDef } from '../../../app/contract/rpc';
import type { ServerMsg } from '../../../app/contract/wire';

/**
 * app/contract/deferred.ts: the contract's schemas and procedures are built on first use (issue 11, cold start). A
 * deferred schema must parse exactly as the same declaration built at once, wherever it is used (alone, as a member,
 * wrapped, extended, in a union, in the RPC server), and every one of the contract's must build.
 */

/** The same declarations twice: built at once, and deferred (members deferred too, as in the contract). */
function declarations(later: <T extends object>(f: () => T) => T) {
  const Id = later(() => z.string().min(1).max(8).regex(/^[a-z]+$/, 'lowercase letters'));
  const Labels = later(() => z.record(z.string().max(10), z.string()));
  const State = later(() => z.enum(['up', 'down']));
  const Item = later(() => z.object({ id: Id, labels: Labels, state: State, size: z.number().int().nullable() }));
  const Port = later(() => z.object({ host: z.number().int().min(1).max(65535), proto: z.enum(['tcp', 'udp']).default('tcp') }).strict());
  const Kind = later(() =>
    z.discriminatedUnion('t', [z.object({ t: z.literal('a'), item: Item }).strict(), z.object({ t: z.literal('b'), ports: z.array(Port).max(2) }).strict()]),
  );
  const Details = later(() => Item.extend({ ports: z.array(Port), note: z.string().optional() }));
  // Not strict: the RPC layer's findUnknownKeys reports its unknown keys (a strict object's are zod's own issues).
  const Input = later(() => z.object({ id: Id.optional(), force: z.boolean().default(false), kind: Kind.optional() }));
  return { Id, Labels, State, Item, Port, Kind, Details, Input };
}
const eager = declarations((f) => f());
const lazy = declarations(deferred);

const samples: unknown[] = [
  undefined,
  null,
  'abc',
  '',
  'ABC',
  'toolongname',
  42,
  { id: 'abc', labels: {}, state: 'up', size: 1 },
  { id: 'abc', labels: { a: 'b' }, state: 'sideways', size: 1.5 },
  { id: 'abc', labels: { waytoolongkey: 'x' }, state: 'down', size: null, extra: 1 },
  { id: 'abc', labels: {}, state: 'up', size: null, ports: [{ host: 80 }, { host: 0, proto: 'sctp' }], note: 'n' },
  { id: 'abc', labels: {}, state: 'up', size: null, ports: [{ host: 80, proto: 'udp', x: 1 }] },
  { id: 'abc', labels: {}, state: 'up', size: null, ports: [{ host: 80 }], note: 'n' },
  { host: 8080 },
  { host: 8080, proto: 'udp', extra: true },
  { t: 'a', item: { id: 'q', labels: {}, state: 'down', size: 3 } },
  { t: 'a', item: { id: 'Q', labels: {}, state: 'down', size: 3 } },
  { t: 'b', ports: [{ host: 1 }, { host: 2 }] },
  { t: 'b', ports: [{ host: 1 }, { host: 2 }, { host: 3 }] },
  { t: 'c' },
  {},
  { force: true, id: 'x', kind: { t: 'b', ports: [] } },
  { force: 'yes' },
  { forse: true },
  { kind: { t: 'a', item: { id: 'x', labels: {}, state: 'up', size: 1, typo: 1 } } },
];

/** A parse's outcome as plain data: the value, or the issues (code, path, message). */
const outcome = (s: z.ZodType, v: unknown) => {
  const r = s.safeParse(v);
  return r.success ? { ok: r.data as unknown } : { issues: r.error.issues.map((i) => ({ code: i.code, path: i.path, message: i.message })) };
};

describe('deferred (app/contract/deferred.ts)', () => {
  it('builds nothing until first used, then builds once', () => {
    let builds = 0;
    const S = deferred(() => {
      builds++;
      return z.object({ a: z.string() });
    });
    const Outer = deferred(() => {
      builds++;
      return z.object({ s: S });
    });
    expect(builds).toBe(0);
    expect(Outer.parse({ s: { a: 'x' } })).toEqual({ s: { a: 'x' } });
    expect(builds).toBe(2);
    expect(S.safeParse({ a: 1 }).success).toBe(false);
    expect(Outer.safeParse({ s: { a: 1 } }).success).toBe(false);
    expect(builds).toBe(2);
  });

  it('parses every sample exactly as the same declarations built at once (values, issues, paths, messages)', () => {
    for (const name of Object.keys(eager) as Array<keyof typeof eager>) {
      for (const v of samples) {
        expect(outcome(lazy[name], v), `${name} on ${JSON.stringify(v)}`).toEqual(outcome(eager[name], v));
      }
    }
    // The samples reach both sides of each schema.
    for (const name of ['Item', 'Port', 'Kind', 'Details', 'Input'] as const) {
      expect(samples.some((v) => eager[name].safeParse(v).success), name).toBe(true);
      expect(samples.some((v) => !eager[name].safeParse(v).success), name).toBe(true);
    }
  });

  it('answers as the schema it stands for: instanceof, shape, keys, wrappers, methods', () => {
    expect(lazy.Item instanceof z.ZodObject).toBe(true);
    expect(lazy.Item instanceof z.ZodType).toBe(true);
    expect(lazy.Id instanceof z.ZodObject).toBe(false);
    expect(Object.keys(lazy.Details.shape)).toEqual(Object.keys(eager.Details.shape));
    expect(lazy.State.options).toEqual(['up', 'down']);
    expect('_zod' in lazy.Item).toBe(true);
    expect(lazy.Item.parse).toBe(lazy.Item.parse);
    expect(lazy.Port.optional().safeParse(undefined).success).toBe(true);
    expect(lazy.Port.array().safeParse([{ host: 0 }]).success).toBe(false);
    expect(lazy.Item.partial().parse({})).toEqual({});
    expect(outcome(lazy.Item.pick({ id: true }).strict(), { id: 'a', x: 1 })).toEqual(outcome(eager.Item.pick({ id: true }).strict(), { id: 'a', x: 1 }));
  });

  it('lets the RPC layer find unknown keys through deferred members, as with eager ones', () => {
    for (const v of samples) {
      expect(findUnknownKeys(lazy.Input, v), JSON.stringify(v)).toEqual(findUnknownKeys(eager.Input, v));
    }
    expect(findUnknownKeys(lazy.Input, { forse: true })).toEqual([{ path: [], key: 'forse' }]);
    expect(findUnknownKeys(lazy.Input, { kind: { t: 'a', item: { id: 'x', labels: {}, state: 'up', size: 1, typo: 1 } } })).toEqual([
      { path: ['kind', 'item'], key: 'typo' },
    ]);
  });

  it('is one schema for checkAhead and the RPC server: a checked result is sent as it is, a bad one is refused', async () => {
    const def = deferred(() => query('items', lazy.Input, z.array(lazy.Item)));
    const items = [{ id: 'abc', labels: {}, state: 'up', size: 1 }];
    const checked = checkAhead(def.output, items);
    expect(checkedAgainst(def.output, checked)).toBe(true);
    let reply: unknown = [items];
    const server = createRpcServer({ 'x.items': def }, { 'x.items': async () => reply as never });
    const sent: ServerMsg[] = [];
    let onMessage: (raw: unknown) => void = () => undefined;
    const peer: ServerPeer = { send: (m) => void sent.push(m), onMessage: (cb) => void (onMessage = cb), onClose: () => undefined };
    server.serve(peer);
    const call = async (id: number, input: unknown) => {
      onMessage({ t: 'call', id, method: 'x.items', input });
      await expect.poll(() => sent.find((m) => 'id' in m && m.id === id)).toBeTruthy();
      return sent.find((m) => 'id' in m && m.id === id) as ServerMsg;
    };
    reply = checked;
    expect(await call(1, {})).toEqual({ t: 'ok', id: 1, output: items });
    expect(await call(2, { forse: true })).toMatchObject({ t: 'err', error: { code: 'INVALID_INPUT' } });
    expect(await call(3, { id: 'UPPER' })).toMatchObject({ t: 'err', error: { code: 'INVALID_INPUT' } });
    reply = [{ id: 'abc', labels: {}, state: 'sideways', size: 1 }];
    expect(await call(4, {})).toMatchObject({ t: 'err', error: { code: 'INTERNAL' } });
  });

  it('gives constructors and classes as they are, not bound: X.constructor is the schema class (review14 #4)', () => {
    expect((lazy.Item as { constructor: unknown }).constructor).toBe(z.ZodObject);
    expect((lazy.Id as { constructor: unknown }).constructor).toBe(z.ZodString);
    class K {}
    function F(this: { a?: number }) {
      this.a = 1;
    }
    const built = {
      K,
      F,
      self() {
        return this;
      },
    };
    const X = deferred(() => built);
    expect(X.K).toBe(K);
    expect(X.F).toBe(F);
    expect(new X.K()).toBeInstanceOf(K);
    // A method is still called on the built value, and is the same function each time.
    expect(X.self()).toBe(built);
    expect(X.self).toBe(X.self);
  });

  it('refuses to be frozen, sealed or made non-extensible, and stays whole after (review14 #5)', () => {
    const X = deferred(() => z.object({ a: z.string() }));
    const port = () => z.object({ host: z.number().int().min(1).max(65535), proto: z.enum(['tcp', 'udp']).default('tcp') }).strict();
    // The keys of the same schema built and not yet used (zod adds some on first parse).
    const keys = Object.keys(port());
    for (const lock of [Object.freeze, Object.seal, Object.preventExtensions]) {
      const P = deferred(port);
      expect(() => lock(P), lock.name).toThrow(TypeError);
      expect(Reflect.preventExtensions(P), lock.name).toBe(false);
      expect(Object.isExtensible(P), lock.name).toBe(true);
      expect(Object.isFrozen(P), lock.name).toBe(false);
      expect(Object.keys(P), lock.name).toEqual(keys);
      expect(Object.keys({ ...P }), lock.name).toEqual(keys);
      expect(() => JSON.stringify(P), lock.name).not.toThrow();
      expect(P.parse({ host: 80 }), lock.name).toEqual({ host: 80, proto: 'tcp' });
    }
    // A non-configurable property is refused too (the proxy could not report it); nothing is defined.
    expect(() => Object.defineProperty(X, 'k', { value: 1, configurable: false })).toThrow(TypeError);
    expect('k' in X).toBe(false);
    expect(Object.keys(X)).not.toContain('k');
    Object.defineProperty(X, 'k', { value: 1, configurable: true, enumerable: true });
    expect((X as unknown as { k: unknown }).k).toBe(1);
    expect(Object.getOwnPropertyDescriptor(X, 'k')).toEqual({ value: 1, configurable: true, enumerable: true, writable: false });
    expect(Object.keys({ ...X })).toContain('k');
    expect(X.parse({ a: 'x' })).toEqual({ a: 'x' });
  });

  it('says so when a declaration refers to itself while it is built (instead of recursing)', () => {
    const Self: z.ZodType = deferred(() => z.object({ me: Self.optional() }));
    expect(() => Self.parse({})).toThrow(/refers to itself/);
  });
});

describe("the contract's deferred schemas and procedures", () => {
  const isSchema = (v: unknown): v is z.ZodType => v instanceof z.ZodType;

  it('every procedure builds, with a zod input and output, and parses as a plain build of its schemas would', () => {
    const names = Object.keys(api);
    expect(names.length).toBeGreaterThan(100);
    for (const name of names) {
      const def = (api as Record<string, ProcDef>)[name]!;
      expect(['query', 'mutation', 'subscription'], name).toContain(def.kind);
      expect(typeof def.summary, name).toBe('string');
      expect(isSchema(def.input), `${name} input`).toBe(true);
      expect(isSchema(def.output), `${name} output`).toBe(true);
      // A deferred procedure's schemas are the ones it gives each time (the RPC server's checked results rely on it).
      expect(def.output, name).toBe(def.output);
      // Parsing through the stand-in gives what parsing the built schema itself does.
      for (const v of [undefined, {}, { engineId: 'x' }, { id: 'x', engineId: '' }]) {
        const a = def.input.safeParse(v);
        const b = z.safeParse(def.input, v);
        expect(a.success === b.success && isDeepStrictEqual(a.data, b.data), `${name} on ${JSON.stringify(v)}`).toBe(true);
      }
    }
  });

  it('every schema the contract exports builds', async () => {
    const dir = path.resolve(__dirname, '../../../app/contract');
    let schemas = 0;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
        // Reading a deferred value builds it (a declaration that throws fails here); a schema answers as one.
        expect(() => Object.keys(value), `${file}: ${name}`).not.toThrow();
        if ('_zod' in value) {
          expect(isSchema(value), `${file}: ${name}`).toBe(true);
          schemas++;
        }
      }
    }
    expect(schemas).toBeGreaterThan(150);
  });
});
