import { cx } from './cx';

/** A small spinner. With a label it is announced (role=status); without one it is decorative. */
export function Spinner({ label, size = 'sm', className }: { label?: string; size?: 'sm' | 'md' | 'lg'; className?: string }) {
  return label ? (
    <span className={cx('spinner', `spinner-${size}`, className)} role="status" aria-label={label} />
  ) : (
    <span className={cx('spinner', `spinner-${size}`, className)} aria-hidden="true" />
  );
}
