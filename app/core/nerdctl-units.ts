/**
 * Sizes and times as nerdctl prints them: `3.109MiB` (binary), `1.05kB` / `54.1MB` (decimal),
 * `0B`, `4.0 KiB`, `--` (unknown), and Go's `2026-08-01 21:34:56 +0900 JST` time form.
 */

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  pib: 1024 ** 5,
};

/** Bytes from a human size; null when it is not one (`--`, empty, garbage). */
export function parseSize(s: string | undefined | null): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?i?b)?\s*$/i.exec(s ?? '');
  if (!m) return null;
  const mult = UNITS[(m[2] ?? 'b').toLowerCase()];
  if (mult === undefined) return null;
  return Math.round(Number(m[1]) * mult);
}

/** `a / b` pairs (`3.1MiB / 3.8GiB`, `1.05kB / 586B`); null for either side that is not a size. */
export function parseSizePair(s: string | undefined | null): [number | null, number | null] {
  const parts = (s ?? '').split('/');
  if (parts.length !== 2) return [null, null];
  return [parseSize(parts[0]), parseSize(parts[1])];
}

/** `12.5%` → 12.5; null for `--` or garbage. */
export function parsePercent(s: string | undefined | null): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(s ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * A time as nerdctl prints it, to ISO 8601 (UTC): RFC 3339 (`ps`, inspect, events) or Go's default
 * `2006-01-02 15:04:05.999999999 -0700 MST` form (`images`). null when it is neither.
 */
export function parseNerdctlTime(s: string | undefined | null): string | null {
  const t = (s ?? '').trim();
  if (t === '' || t.startsWith('0001-01-01')) return null;
  const go = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? ([+-])(\d{2})(\d{2})(?: \S+)?$/.exec(t);
  const iso = go ? `${go[1]}T${go[2]}${(go[3] ?? '').slice(0, 4)}${go[4]}${go[5]}:${go[6]}` : t.replace(/(\.\d{3})\d+/, '$1');
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
