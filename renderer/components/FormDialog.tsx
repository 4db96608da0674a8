import { useState, type ReactNode } from 'react';
import type { ErrorShape } from '../../app/contract/errors';
import { toErrorShape } from '../lib/errors';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { ErrorBanner } from './ErrorBanner';

/**
 * What a form dialog keeps besides its fields: which fields were left (their problems show from
 * then on), whether a submit was tried (all problems show), the submit running, and its failure.
 */
export function useFormState<F extends string>() {
  const [touched, setTouched] = useState<Partial<Record<F, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  return {
    submitted,
    busy,
    error,
    touch: (f: F) => setTouched((t) => ({ ...t, [f]: true })),
    /** The problem of a field, once it was left or a submit was tried. */
    shown: (f: F, problem: string | null) => (submitted || touched[f] ? problem : null),
    reset() {
      setTouched({});
      setSubmitted(false);
      setError(null);
    },
    /** Marks the form submitted; when valid and idle, runs `work` (busy meanwhile) and keeps a failure. True when it worked. */
    async submit(valid: boolean, work: () => Promise<void>): Promise<boolean> {
      setSubmitted(true);
      if (!valid || busy) return false;
      setBusy(true);
      setError(null);
      try {
        await work();
        setBusy(false);
        return true;
      } catch (err) {
        setError(toErrorShape(err));
        setBusy(false);
        return false;
      }
    },
  };
}

export interface FormDialogProps {
  /** Default true. */
  open?: boolean;
  onClose(): void;
  title: string;
  /** The form's id (the footer's submit button points at it). */
  formId: string;
  submitLabel: string;
  busy: boolean;
  /** Disable the submit button (nothing to submit yet). */
  submitDisabled?: boolean;
  onSubmit(): void;
  /** The submit's failure, shown at the end of the form under `errorTitle`. */
  error: ErrorShape | null;
  errorTitle: string;
  children: ReactNode;
}

/** A dialog holding one form: Cancel and submit in the footer, Enter submits, the failure in a banner. */
export function FormDialog({ open = true, onClose, title, formId, submitLabel, busy, submitDisabled, onSubmit, error, errorTitle, children }: FormDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      dismissible={!busy}
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form={formId} busy={busy} disabled={submitDisabled}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {children}
        {error && <ErrorBanner error={error} title={errorTitle} />}
      </form>
    </Dialog>
  );
}
