import { cx } from './cx';

export interface ProgressBarProps {
  /** 0..1; omit for an indeterminate bar. */
  value?: number;
  label: string;
  /** Text for screen readers and the caption, e.g. "120 MB of 300 MB". */
  valueText?: string;
  showCaption?: boolean;
  className?: string;
}

export function ProgressBar({ value, label, valueText, showCaption = false, className }: ProgressBarProps) {
  const pct = value === undefined ? undefined : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className={cx('progress', className)}>
      <div
        className={cx('progress-track', pct === undefined && 'progress-indeterminate')}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={valueText}
      >
        <div className="progress-fill" style={pct === undefined ? undefined : { width: `${pct}%` }} />
      </div>
      {showCaption && <div className="progress-caption">{valueText ?? (pct === undefined ? label : `${pct}%`)}</div>}
    </div>
  );
}
