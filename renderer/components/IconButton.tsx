import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import { cx } from './cx';
import { Spinner } from './Spinner';

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'aria-label' | 'children'> {
  /** Required: the accessible name (also shown as the tooltip). */
  label: string;
  icon: ReactNode;
  variant?: 'ghost' | 'secondary' | 'danger';
  size?: 'sm' | 'md';
  busy?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

/** A button showing only an icon; `label` names it for screen readers and the tooltip. */
export function IconButton({ label, icon, variant = 'ghost', size = 'md', busy = false, disabled, className, title, type = 'button', ...rest }: IconButtonProps) {
  return (
    <button
      type={type}
      className={cx('icon-btn', `btn-${variant}`, size === 'sm' && 'icon-btn-sm', className)}
      aria-label={label}
      title={title ?? label}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <Spinner /> : icon}
    </button>
  );
}
