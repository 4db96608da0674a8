import { useId, type ReactNode } from 'react';
import { areaPath, linePath, type Frame } from './chart-scale';

export interface ChartSeries {
  name: string;
  values: readonly number[];
  /** 'a' (accent, filled) or 'b' (second line). */
  tone: 'a' | 'b';
}

interface Props {
  title: string;
  /** Current values, shown beside the chart as text. */
  current: ReactNode;
  series: readonly ChartSeries[];
  times: readonly number[];
  end: number;
  windowMs: number;
  yMax: number;
  formatY(v: number): string;
  /** What a screen reader hears for the chart: trend, peak, current. */
  summary: string;
  /** A dashed reference line (e.g. the memory limit) when it is inside the scale. */
  reference?: { value: number; label: string } | undefined;
}

const W = 600;
const H = 120;

/** One live chart: a title with the current values, an SVG line chart with its scale, a legend. */
export function StatChart({ title, current, series, times, end, windowMs, yMax, formatY, summary, reference }: Props) {
  const id = useId();
  const frame: Frame = { end, windowMs, yMax, width: W, height: H };
  const refY = reference && reference.value <= yMax ? H - (reference.value / yMax) * H : null;
  const minutes = Math.round(windowMs / 60_000);
  return (
    <figure className="stat-card" aria-labelledby={`${id}-title`}>
      <figcaption className="stat-head">
        <h3 className="stat-title" id={`${id}-title`}>
          {title}
        </h3>
        <div className="stat-current">{current}</div>
      </figcaption>
      <div className="stat-plot">
        <div className="stat-axis" aria-hidden="true">
          <span>{formatY(yMax)}</span>
          <span>{formatY(yMax / 2)}</span>
          <span>0</span>
        </div>
        <svg className="stat-svg" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary}>
          <line className="stat-grid" x1="0" x2={W} y1={H / 2} y2={H / 2} vectorEffect="non-scaling-stroke" />
          <line className="stat-grid" x1="0" x2={W} y1={H - 0.5} y2={H - 0.5} vectorEffect="non-scaling-stroke" />
          {refY !== null && <line className="stat-ref" x1="0" x2={W} y1={refY} y2={refY} vectorEffect="non-scaling-stroke" />}
          {series.map((s) =>
            s.tone === 'a' ? (
              <g key={s.name}>
                <path className="stat-area" d={areaPath(times, s.values, frame)} />
                <path className="stat-line stat-line-a" d={linePath(times, s.values, frame)} vectorEffect="non-scaling-stroke" />
              </g>
            ) : (
              <path key={s.name} className="stat-line stat-line-b" d={linePath(times, s.values, frame)} vectorEffect="non-scaling-stroke" />
            ),
          )}
        </svg>
      </div>
      <div className="stat-foot" aria-hidden="true">
        <span>{minutes} min ago</span>
        <span className="stat-legend">
          {series.length > 1 &&
            series.map((s) => (
              <span key={s.name} className="stat-key">
                <span className={`stat-swatch stat-swatch-${s.tone}`} />
                {s.name}
              </span>
            ))}
          {refY !== null && reference && (
            <span className="stat-key">
              <span className="stat-swatch stat-swatch-ref" />
              {reference.label}
            </span>
          )}
        </span>
        <span>now</span>
      </div>
    </figure>
  );
}
