import { type z } from 'zod';

/**
 * Unknown keys in an input, found by walking the schema beside the value. zod's default object
 * strips keys it does not know, so a misspelt option (`{ forse: true }`) would be dropped in
 * silence and the call would do something else than asked. The RPC layer rejects any input with
 * such a key, naming it, for every procedure, whatever its schema says: objects that accept any
 * key on purpose say so with `.catchall()`/`.loose()` (or are records).
 */
export interface UnknownKey {
  path: string[];
  key: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  getter?: () => z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_DEPTH = 64;

export function findUnknownKeys(schema: z.ZodType, value: unknown, path: string[] = [], depth = 0): UnknownKey[] {
  if (depth > MAX_DEPTH) return [];
  const def = defOf(schema);
  const next = (s: z.ZodType | undefined, v: unknown, p: string[]) => (s ? findUnknownKeys(s, v, p, depth + 1) : []);
  switch (def.type) {
    case 'object': {
      if (!isPlainObject(value)) return [];
      const shape = def.shape ?? {};
      const out: UnknownKey[] = [];
      for (const [k, v] of Object.entries(value)) {
        const field = Object.prototype.hasOwnProperty.call(shape, k) ? shape[k] : undefined;
        if (field) out.push(...next(field, v, [...path, k]));
        else if (def.catchall) out.push(...next(def.catchall, v, [...path, k]));
        else out.push({ path, key: k });
      }
      return out;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return value === undefined || value === null ? [] : next(def.innerType, value, path);
    case 'pipe':
      return next(def.in, value, path);
    case 'lazy':
      return def.getter ? next(def.getter(), value, path) : [];
    case 'array':
      return Array.isArray(value) ? value.flatMap((v, i) => next(def.element, v, [...path, String(i)])) : [];
    case 'tuple':
      return Array.isArray(value) ? value.flatMap((v, i) => next(def.items?.[i] ?? def.rest ?? undefined, v, [...path, String(i)])) : [];
    case 'record':
      return isPlainObject(value) ? Object.entries(value).flatMap(([k, v]) => next(def.valueType, v, [...path, k])) : [];
    case 'intersection': {
      // A key is unknown only if neither side knows it.
      const l = next(def.left, value, path);
      const r = next(def.right, value, path);
      return l.filter((a) => r.some((b) => b.key === a.key && b.path.join('.') === a.path.join('.')));
    }
    case 'union': {
      // The value is judged by the options it satisfies; one without unknown keys clears it.
      let best: UnknownKey[] | null = null;
      for (const opt of def.options ?? []) {
        if (!opt.safeParse(value).success) continue;
        const found = next(opt, value, path);
        if (!found.length) return [];
        if (!best || found.length < best.length) best = found;
      }
      return best ?? [];
    }
    default:
      return [];
  }
}

/** `"forse"`, or `"options.forse"` for a nested key. */
export const describeUnknownKey = (u: UnknownKey) => [...u.path, u.key].join('.');
