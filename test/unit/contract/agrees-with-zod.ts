import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import type { z } from 'zod';

/** A hand check of a hot path's values (app/contract/checked.ts's checkFast), and the schema it stands in for. */
type HandCheck = (value: unknown) => boolean;

const show = (v: unknown): string => {
  try {
    return JSON.stringify(v)?.slice(0, 200) ?? String(v);
  } catch {
    return String(v);
  }
};

/** True when the schema refuses `value`, or gives it back other than it came (a key stripped, a prototype dropped). */
function schemaSpoils(schema: z.ZodType, value: unknown): boolean {
  const r = schema.safeParse(value);
  return !r.success || !isDeepStrictEqual(r.data, value);
}

/**
 * A hand check is never laxer than its schema: every value it takes, the schema gives back unchanged (so skipping the
 * parse hands out what the parse would have). It may be stricter: a value it refuses goes through the schema.
 * Returns how many of `values` the check took, for the caller to check that the samples reach both sides.
 */
export function expectNeverLaxer(check: HandCheck, schema: z.ZodType, values: readonly unknown[]): { taken: number; spoiled: number } {
  let taken = 0;
  let spoiled = 0;
  for (const v of values) {
    const spoils = schemaSpoils(schema, v);
    if (spoils) spoiled++;
    if (!check(v)) continue;
    taken++;
    expect(spoils, `taken by the hand check, but the schema refuses or changes it: ${show(v)}`).toBe(false);
  }
  return { taken, spoiled };
}

/**
 * The hand check against its schema on labelled samples:
 * - `takes`: the check takes each, and the schema gives each back unchanged;
 * - `refuses`: the check refuses each, and the schema refuses it or changes it;
 * - `leftToSchema`: the check refuses each, and the schema takes it unchanged (other kinds, rare shapes: parsed).
 */
export function expectAgreesWithZod(check: HandCheck, schema: z.ZodType, samples: { takes: readonly unknown[]; refuses: readonly unknown[]; leftToSchema?: readonly unknown[] }): void {
  for (const v of samples.takes) {
    expect(check(v), `refused by the hand check: ${show(v)}`).toBe(true);
    expect(schemaSpoils(schema, v), `the schema refuses or changes: ${show(v)}`).toBe(false);
  }
  for (const v of samples.refuses) {
    expect(check(v), `taken by the hand check: ${show(v)}`).toBe(false);
    expect(schemaSpoils(schema, v), `the schema takes it unchanged (a leftToSchema sample?): ${show(v)}`).toBe(true);
  }
  for (const v of samples.leftToSchema ?? []) {
    expect(check(v), `taken by the hand check: ${show(v)}`).toBe(false);
    expect(schemaSpoils(schema, v), `the schema refuses or changes: ${show(v)}`).toBe(false);
  }
}

/** Every way to spoil one field of `base`: missing, extra, other types, out of range. */
export function mutations(base: Record<string, unknown>): Array<Record<string, unknown>> {
  const bad: unknown[] = [undefined, null, 0, 1.5, NaN, Infinity, -1, 2 ** 60, '', 'x', true, [], {}, [1], ['x'], new Date(0), Object.create(null)];
  const out: Array<Record<string, unknown>> = [];
  for (const k of Object.keys(base)) {
    const { [k]: _, ...without } = base;
    out.push(without);
    for (const v of bad) out.push({ ...base, [k]: v });
  }
  out.push({ ...base, extra: 1 }, { ...base, extra: undefined });
  return out;
}

/** A deep copy of `s` with `f` applied to it. */
export const at = <T>(s: T, f: (c: Record<string, unknown>) => void): Record<string, unknown> => {
  const c = structuredClone(s) as unknown as Record<string, unknown>;
  f(c);
  return c;
};
