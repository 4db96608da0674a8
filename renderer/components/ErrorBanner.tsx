import type { ReactNode } from 'react';
import type { ErrorShape } from '../../app/contract/errors';
import { Button } from './Button';
import { IconButton } from './IconButton';
import { IconClose, IconError, IconWarning } from './Icons';
import { cx } from './cx';

export interface ErrorBannerProps {
  error: ErrorShape;
  /** A heading that says what failed: "Could not list containers". */
  title?: string;
  onRetry?: () => void;
  retrying?: boolean;
  onDismiss?: () => void;
  /** 'error' (default) or 'warning' (e.g. data shown may be stale). */
  tone?: 'error' | 'warning';
  /** Extra actions next to Retry. */
  actions?: ReactNode;
  /** Show the error code badge (default true). */
  showCode?: boolean;
  className?: string;
}

const hasDetails = (e: ErrorShape) => e.details !== undefined && Object.keys(e.details).length > 0;

/** A failure with its code, message, hint and (expandable) details. Announced as an alert. */
export function ErrorBanner({ error, title, onRetry, retrying, onDismiss, tone = 'error', actions, showCode = true, className }: ErrorBannerProps) {
  return (
    <div className={cx('banner', `banner-${tone}`, className)} role="alert">
      <span className="banner-icon">{tone === 'error' ? <IconError /> : <IconWarning />}</span>
      <div className="banner-body">
        <div className="banner-title">
          {title ?? error.message}
          {showCode && <code className="error-code">{error.code}</code>}
        </div>
        {title && <div className="banner-message">{error.message}</div>}
        {error.hint && <div className="banner-hint">{error.hint}</div>}
        {hasDetails(error) && (
          <details className="banner-details">
            <summary>Details</summary>
            <pre>{JSON.stringify(error.details, null, 2)}</pre>
          </details>
        )}
      </div>
      {(onRetry || actions) && (
        <div className="banner-actions">
          {actions}
          {onRetry && (
            <Button size="sm" onClick={onRetry} busy={retrying ?? false}>
              Retry
            </Button>
          )}
        </div>
      )}
      {onDismiss && <IconButton className="banner-close" label="Dismiss" icon={<IconClose />} size="sm" onClick={onDismiss} />}
    </div>
  );
}
