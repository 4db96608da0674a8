import { useRef, type ReactNode } from 'react';
import type { ErrorShape } from '../../app/contract/errors';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { ErrorBanner } from './ErrorBanner';

export interface ConfirmDialogProps {
  open: boolean;
  /** A question naming the action: "Remove 3 containers?" */
  title: string;
  /** The names of what will be affected; all are listed (scrollable). */
  items?: readonly string[];
  /** What happens, in a sentence: "Their file systems are deleted. Volumes are kept." */
  message?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** Destructive (default): the confirm button is red and Cancel has the focus. */
  destructive?: boolean;
  /** The action is running: buttons disabled, Escape still closes. */
  busy?: boolean;
  /** A failure of the action, shown inside the dialog. */
  error?: ErrorShape | null;
  onConfirm(): void;
  onCancel(): void;
  /** Extra content (e.g. a "Also remove volumes" checkbox). */
  children?: ReactNode;
}

/** Asks before an action, naming exactly what it affects. */
export function ConfirmDialog({ open, title, items, message, confirmLabel, cancelLabel = 'Cancel', destructive = true, busy = false, error, onConfirm, onCancel, children }: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      title={title}
      role="alertdialog"
      size="sm"
      dismissible={!busy}
      initialFocus={destructive ? cancelRef : confirmRef}
      description={message}
      footer={
        <>
          <Button ref={cancelRef} onClick={onCancel}>
            {cancelLabel}
          </Button>
          <Button ref={confirmRef} variant={destructive ? 'danger' : 'primary'} busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {items && items.length > 0 && (
        <ul className="confirm-items" aria-label="Affected items" tabIndex={0}>
          {items.map((name) => (
            <li key={name} className="mono">
              {name}
            </li>
          ))}
        </ul>
      )}
      {children}
      {error && <ErrorBanner error={error} />}
    </Dialog>
  );
}
