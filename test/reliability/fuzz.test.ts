import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { api } from '../../app/contract/api';
import { ErrorCode } from '../../app/contract/errors';
import type { ServerMsg } from '../../app/contract/wire';
import { startCoreProcess, type CoreProcess } from './support/core-process';
import { record } from './support/figures';

/**
 * Property-based fuzzing of every procedure's input, over the real WebSocket transport, against
 * the core as its own process (no engine, so nothing real is touched): at least 1,000 generated
 * inputs per procedure, each answered with a result or a typed error (never INTERNAL), and a
 * live core after each procedure's batch.
 */
const RUNS = Number(process.env.BERTH_FUZZ_RUNS ?? 1000);
const CALL_TIMEOUT_MS = 15_000;
const SUB_QUIET_MS = 300;
const BATCH = 100;

const shapeKeys = (schema: unknown): string[] => {
  let def = (schema as { _zod?: { def?: { type: string; shape?: object; innerType?: unknown; in?: unknown } } })._zod?.def;
  for (let i = 0; def && i < 8 && def.type !== 'object'; i++) {
    const inner = def.innerType ?? def.in;
    def = (inner as { _zod?: { def?: typeof def } } | undefined)?._zod?.def;
  }
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
};

/** Anything JSON can carry, plus objects with the procedure's own keys and odd values, plus unknown keys. */
function inputs(keys: string[]): fc.Arbitrary<unknown> {
  const odd = fc.oneof(
    fc.jsonValue(),
    fc.string({ maxLength: 300 }),
    fc.constantFrom('', '/', '../../etc/passwd', '\u0000', 'a'.repeat(5000), '-1', 'NaN', '*', '%', '\ud800'),
    fc.integer(),
    fc.constantFrom(-1, 0, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 31),
    fc.boolean(),
    fc.constant(null),
  );
  const own = keys.length ? fc.dictionary(fc.constantFrom(...keys), odd, { maxKeys: keys.length }) : fc.constant({});
  return fc.oneof(
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 5, arbitrary: own },
    { weight: 2, arbitrary: fc.tuple(own, fc.string({ minLength: 1, maxLength: 12 }), odd).map(([o, k, v]) => ({ ...o, [k]: v })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

describe('every procedure answers any input with a result or a typed error', () => {
  let core: CoreProcess;
  let ws: WebSocket;
  let nextId = 1;
  const waiting = new Map<number, (m: ServerMsg) => void>();
  let tried = 0;
  let typed = 0;

  beforeAll(async () => {
    // Only the system's own folders on PATH: no test tools (limactl and friends) for a fuzzed VM call to start.
    core = await startCoreProcess({ env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
    ws = await core.socket();
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as ServerMsg;
      const w = waiting.get(m.id);
      if (w) {
        waiting.delete(m.id);
        w(m);
      }
    });
  });
  afterAll(async () => {
    record('inputs tried', tried, 'add');
    record('rejected with a typed error', typed, 'add');
    record('crashes', core?.alive() ? 0 : 1, 'add');
    ws?.close();
    await core?.stop();
  });

  /** Sends one call or subscription and resolves with its first answer (a subscription is then cancelled). */
  const ask = (method: string, kind: string, input: unknown) =>
    new Promise<ServerMsg | 'timeout'>((resolve) => {
      const id = nextId++;
      // A subscription that accepted its input and has nothing to say yet (a watch) is cancelled soon.
      const wait = kind === 'subscription' ? SUB_QUIET_MS : CALL_TIMEOUT_MS + 2000;
      const timer = setTimeout(() => {
        waiting.delete(id);
        ws.send(JSON.stringify({ t: kind === 'subscription' ? 'unsub' : 'cancel', id }));
        resolve('timeout');
      }, wait);
      waiting.set(id, (m) => {
        clearTimeout(timer);
        if (kind === 'subscription' && m.t === 'data') ws.send(JSON.stringify({ t: 'unsub', id }));
        resolve(m);
      });
      const msg = kind === 'subscription' ? { t: 'sub', id, method, input } : { t: 'call', id, method, input, timeoutMs: CALL_TIMEOUT_MS };
      ws.send(JSON.stringify(msg));
    });

  const live = async () => {
    const a = await ask('app.info', 'query', {});
    return a !== 'timeout' && a.t === 'ok';
  };

  it.each(Object.keys(api))('%s', { timeout: 600_000 }, async (method) => {
    const def = api[method as keyof typeof api] as { kind: string; input: unknown };
    const samples = fc.sample(inputs(shapeKeys(def.input)), { numRuns: RUNS, seed: Number(process.env.BERTH_FUZZ_SEED ?? 8) });
    const untyped: string[] = [];
    // In batches, as a busy client would send them; each batch is answered before the next.
    for (let i = 0; i < samples.length; i += BATCH) {
      const batch = samples.slice(i, i + BATCH);
      const answers = await Promise.all(batch.map((input) => ask(method, def.kind, input)));
      answers.forEach((a, j) => {
        tried++;
        if (a === 'timeout' || a.t !== 'err') return; // a result, or a quiet subscription / slow call cancelled
        if (ErrorCode.safeParse(a.error.code).success && a.error.code !== 'INTERNAL' && a.error.message.length > 0) typed++;
        else untyped.push(`${JSON.stringify(batch[j])?.slice(0, 200)} -> ${a.error.code}: ${a.error.message}`);
      });
      expect(core.alive(), core.stderr()).toBe(true);
    }
    expect(untyped.slice(0, 5)).toEqual([]);
    expect(await live()).toBe(true);
  });
});
