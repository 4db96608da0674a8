/** Scales and paths for the Stats charts (plain SVG; no chart library). */

/** The smallest "nice" number (1, 2, 2.5, 5 × 10^k) at or above `v`. */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const exp = Math.floor(Math.log10(v));
  const base = 10 ** exp;
  for (const m of [1, 2, 2.5, 5, 10]) if (m * base >= v * (1 - 1e-9)) return m * base;
  return 10 * base;
}

/** A nice ceiling for bytes: nice within the binary unit the value falls in (e.g. 2 MiB, 500 KiB). */
export function niceBytesCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1024;
  let unit = 1;
  while (v >= unit * 1024 && unit < 1024 ** 4) unit *= 1024;
  return niceCeil(v / unit) * unit;
}

export interface Frame {
  /** Time at the right edge (the latest sample), ms. */
  end: number;
  windowMs: number;
  yMax: number;
  width: number;
  height: number;
}

/** An SVG polyline path of `values` at `times` in `frame` (points older than the window are clipped by the view box). */
export function linePath(times: readonly number[], values: readonly number[], f: Frame): string {
  let d = '';
  for (let i = 0; i < values.length; i++) {
    const t = times[i] as number;
    const x = ((t - (f.end - f.windowMs)) / f.windowMs) * f.width;
    const v = Math.max(0, Math.min(values[i] as number, f.yMax));
    const y = f.height - (v / f.yMax) * f.height;
    d += `${i === 0 ? 'M' : 'L'}${x.toFixed(2)} ${y.toFixed(2)}`;
  }
  return d;
}

/** The same line closed down to the baseline, for a filled area. */
export function areaPath(times: readonly number[], values: readonly number[], f: Frame): string {
  if (values.length === 0) return '';
  const line = linePath(times, values, f);
  const x = (t: number) => (((t - (f.end - f.windowMs)) / f.windowMs) * f.width).toFixed(2);
  return `${line}L${x(times[times.length - 1] as number)} ${f.height}L${x(times[0] as number)} ${f.height}Z`;
}

export interface Summary {
  now: number;
  peak: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { now: 0, peak: 0, mean: 0 };
  let peak = 0;
  let sum = 0;
  for (const v of values) {
    peak = Math.max(peak, v);
    sum += v;
  }
  return { now: values[values.length - 1] as number, peak, mean: sum / values.length };
}
