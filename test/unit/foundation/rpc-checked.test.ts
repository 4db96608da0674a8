import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { query } from '../../../app/contract/rpc';
import { checkAhead, checkAheadList, checkedAgainst } from '../../../app/contract/checked';
import { createClient, type ClientTransport } from '../../../app/contract/client';
import { createRpcServer } from '../../../app/api/rpc-server';
import type { ServerMsg } from '../../../app/contract/wire';

/** A list schema that counts its parses. */
function counted() {
  let parses = 0;
  const schema = z.array(z.object({ n: z.number() })).refine(() => ++parses > 0);
  return { schema, parses: () => parses };
}

function serve(output: z.ZodType, result: () => unknown) {
  const api = { 'list.get': query('a list', z.object({}), output) };
  const server = createRpcServer(api, { 'list.get': async () => result() as never });
  const toClient = new Set<(m: ServerMsg) => void>();
  let onServer: (raw: unknown) => void = () => undefined;
  server.serve({ send: (m) => toClient.forEach((cb) => cb(JSON.parse(JSON.stringify(m)))), onMessage: (cb) => (onServer = cb), onClose: () => undefined });
  const transport: ClientTransport = {
    send: (m) => queueMicrotask(() => onServer(JSON.parse(JSON.stringify(m)))),
    onMessage: (cb) => (toClient.add(cb), () => toClient.delete(cb)),
    onClose: () => () => undefined,
  };
  return createClient<typeof api>(transport);
}

describe('outputs checked ahead of their call', () => {
  it('checkAhead parses like parse (a fresh copy, unknown keys dropped) and marks only that result, for that schema', () => {
    const { schema } = counted();
    const input = [{ n: 1, extra: 'x' }];
    const out = checkAhead(schema, input);
    expect(out).toEqual([{ n: 1 }]);
    expect(out).not.toBe(input);
    expect(checkedAgainst(schema, out)).toBe(true);
    expect(checkedAgainst(schema, input)).toBe(false);
    expect(checkedAgainst(z.array(z.object({ n: z.number() })), out)).toBe(false);
    expect(checkedAgainst(schema, [{ n: 1 }])).toBe(false);
  });

  it('checkAhead throws on a value that breaks the schema, and marks nothing', () => {
    const { schema } = counted();
    expect(() => checkAhead(schema, [{ n: 'one' }])).toThrow();
  });

  it('checkAheadList parses a list a slice at a time, pausing between slices, to the same result, marked as checked', async () => {
    const schema = z.array(z.object({ n: z.number() }));
    const items = Array.from({ length: 250 }, (_, n) => ({ n, extra: true }));
    let pauses = 0;
    const out = await checkAheadList(schema, items, async () => void pauses++, 100);
    expect(pauses).toBe(2);
    expect(out).toEqual(schema.parse(items));
    expect(checkedAgainst(schema, out)).toBe(true);
    await expect(checkAheadList(schema, [...items.slice(0, 150), { n: 'x' }], async () => void pauses++, 100)).rejects.toThrow();
  });

  it('checkAheadList parses an array schema with checks of its own (or a value that is not an array) in one piece, as parse would', async () => {
    const pause = async () => {
      throw new Error('no pause expected');
    };
    const bounded = z.array(z.number()).max(2);
    await expect(checkAheadList(bounded, [1, 2, 3], pause, 1)).rejects.toThrow();
    const ok = await checkAheadList(bounded, [1, 2], pause, 1);
    expect(checkedAgainst(bounded, ok)).toBe(true);
    await expect(checkAheadList(z.array(z.number()), { 0: 1 }, pause)).rejects.toThrow();
  });

  it('the RPC server sends a result checked ahead against its output schema without parsing it again', async () => {
    const { schema, parses } = counted();
    const ahead = checkAhead(schema, [{ n: 1 }, { n: 2 }]);
    expect(parses()).toBe(1);
    const client = serve(schema, () => ahead);
    await expect(client.call('list.get', {})).resolves.toEqual([{ n: 1 }, { n: 2 }]);
    expect(parses()).toBe(1);
  });

  it('any other result is parsed as before: a plain value, or one checked against another schema', async () => {
    const { schema, parses } = counted();
    const other = checkAhead(z.array(z.unknown()), [{ n: 'one' }]);
    const results: unknown[] = [[{ n: 3 }], other];
    const client = serve(schema, () => results.shift());
    await expect(client.call('list.get', {})).resolves.toEqual([{ n: 3 }]);
    expect(parses()).toBe(1);
    await expect(client.call('list.get', {})).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('invalid result') });
  });
});
