import { useId, type ReactNode } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

export interface FieldProps {
  label: string;
  /** A sentence under the control: what to type, what happens without it. */
  hint?: ReactNode;
  /** The validation message; the control is marked invalid and describes itself with it. */
  error?: string | null;
  optional?: boolean;
  children(control: FieldControlProps): ReactNode;
}

/** A labelled form control with a hint and an inline error, wired for screen readers. */
export function Field({ label, hint, error, optional = false, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const describedBy = [error ? errId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="form-field">
      <label className="form-label" htmlFor={id}>
        {label}
        {optional && <span className="form-optional"> (optional)</span>}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error && (
        <div id={errId} className="form-error">
          {error}
        </div>
      )}
      {hint && (
        <div id={hintId} className="form-hint">
          {hint}
        </div>
      )}
    </div>
  );
}

/** A checkbox with its label and an optional hint. */
export function CheckboxField({ label, hint, checked, onChange, disabled }: { label: string; hint?: ReactNode; checked: boolean; onChange(v: boolean): void; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="form-check">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange(e.target.checked)} />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint && (
          <div id={`${id}-hint`} className="form-hint">
            {hint}
          </div>
        )}
      </div>
    </div>
  );
}
