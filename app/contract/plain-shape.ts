/*
 * The pieces of the hand-written shape checks of hot outputs (checkFast, checkAheadList: a container list, an image
 * list, a build's items). Each check passes only values the schema's parse gives back unchanged; these pieces are as
 * strict as the schema's parts they stand for (zod's string, finite number, safe integer, string array, label record).
 */

export type Rec = Record<string, unknown>;

/** An object literal's kind of object (not an array, a class instance, nor an object without a prototype). */
export const isPlain = (v: unknown): v is Rec => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
export const isStr = (v: unknown): v is string => typeof v === 'string';
/** z.number(): finite. */
export const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
/** z.number().int(): a safe integer. */
export const isInt = (v: unknown) => Number.isSafeInteger(v);

/** An array whose every slot holds a string (a hole reads as undefined, which the schema refuses too). */
export const isStrArray = (v: unknown) => {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
};

/** An array whose every item passes `test`. */
export const every = (v: unknown, test: (x: unknown) => boolean) => {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!test(v[i])) return false;
  return true;
};

/** Exactly `required` keys and those of `optional` present with a value (an optional key holding undefined is left to the parse). */
export const keysAre = (v: Rec, required: number, optional: readonly string[]) => {
  let n = required;
  for (const k of optional) if (v[k] !== undefined) n++;
  return Object.keys(v).length === n;
};

/** Labels: string keys up to 1,024 characters, string values up to 65,536; a `__proto__` or symbol key is left to the parse. */
export function isLabels(v: unknown): boolean {
  if (!isPlain(v) || Object.getOwnPropertySymbols(v).length > 0) return false;
  for (const k in v) {
    if (!Object.hasOwn(v, k) || k.length > 1024 || k === '__proto__') return false;
    const x = v[k];
    if (typeof x !== 'string' || x.length > 65536) return false;
  }
  return true;
}
