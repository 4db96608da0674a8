import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { IconButton } from './IconButton';
import { IconClose } from './Icons';
import { cx } from './cx';

export interface DialogProps {
  open: boolean;
  /** Escape, the close button or a click outside. */
  onClose(): void;
  title: ReactNode;
  /** A plain-text name when `title` is not text (for aria-label). */
  ariaLabel?: string;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  /** 'alertdialog' for confirmations. */
  role?: 'dialog' | 'alertdialog';
  /** Focused when the dialog opens (default: the first focusable element of the body, then the footer). */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Hide the header (the palette draws its own). */
  bare?: boolean;
  /** Closing on a click outside (default true; off while something runs). */
  dismissible?: boolean;
  className?: string;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog on the native <dialog> (top layer, the page behind is inert). Focus moves in
 * on open, is trapped while open (Tab wraps), returns to where it was on close; Escape closes.
 */
export function Dialog({ open, onClose, title, ariaLabel, description, children, footer, size = 'md', role = 'dialog', initialFocus, bare = false, dismissible = true, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const el = ref.current;
    if (!el || !open) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!el.open) el.showModal();
    const target = initialFocus?.current ?? el.querySelector<HTMLElement>(`.dialog-body ${FOCUSABLE}`) ?? el.querySelector<HTMLElement>(FOCUSABLE);
    target?.focus();
    return () => {
      if (el.open) el.close();
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, [open, initialFocus]);

  const trapTab = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab') return;
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((n) => n.offsetParent !== null);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  if (!open) return null;
  return (
    <dialog
      ref={ref}
      className={cx('dialog', `dialog-${size}`, className)}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={bare ? undefined : titleId}
      aria-label={bare ? ariaLabel ?? (typeof title === 'string' ? title : undefined) : undefined}
      aria-describedby={description ? descId : undefined}
      onCancel={(e) => {
        e.preventDefault();
        onCloseRef.current();
      }}
      onKeyDown={trapTab}
      onMouseDown={(e) => {
        // A press on the backdrop lands on the <dialog> itself; the content fills it otherwise.
        if (dismissible && e.target === e.currentTarget) onCloseRef.current();
      }}
    >
      <div className="dialog-frame">
        {!bare && (
          <header className="dialog-header">
            <h2 id={titleId} className="dialog-title">
              {title}
            </h2>
            <IconButton label="Close" icon={<IconClose />} size="sm" onClick={() => onCloseRef.current()} />
          </header>
        )}
        {description && (
          <div id={descId} className="dialog-description">
            {description}
          </div>
        )}
        {children !== undefined && <div className="dialog-body">{children}</div>}
        {footer && <footer className="dialog-footer">{footer}</footer>}
      </div>
    </dialog>
  );
}
