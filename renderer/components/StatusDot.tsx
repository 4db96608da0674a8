import { cx } from './cx';

export type DotStatus = 'up' | 'down' | 'connecting' | 'idle';

/** A coloured dot. With `label` it is an image with that name; otherwise decorative (say the state in text nearby). */
export function StatusDot({ status, label, className }: { status: DotStatus; label?: string; className?: string }) {
  return label ? (
    <span className={cx('status-dot', className)} data-status={status} role="img" aria-label={label} title={label} />
  ) : (
    <span className={cx('status-dot', className)} data-status={status} aria-hidden="true" />
  );
}
