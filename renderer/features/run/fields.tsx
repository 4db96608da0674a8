import { createContext, useContext, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { cx } from '../../components/cx';
import type { FieldErrors } from './form';

/** Inputs of the run form: a label, the control, a hint and the field's error, wired for screen readers. */
export const FormIds = createContext<{ base: string; errors: FieldErrors }>({ base: 'run', errors: {} });

export const useFieldIds = (field: string) => {
  const { base, errors } = useContext(FormIds);
  const id = `${base}-${field.replace(/\./g, '-')}`;
  const error = errors[field];
  return { id, errorId: `${id}-error`, hintId: `${id}-hint`, error };
};

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <div id={id} className="run-field-error">
      {error}
    </div>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  field: string;
  label: string;
  value: string;
  onChange(v: string): void;
  hint?: ReactNode;
  mono?: boolean;
  /** Hide the label visually (rows of a list), it stays the accessible name. */
  hiddenLabel?: boolean;
  inputRef?: Ref<HTMLInputElement> | undefined;
}

export function TextField({ field, label, value, onChange, hint, mono, hiddenLabel, className, inputRef, ...rest }: TextFieldProps) {
  const { id, errorId, hintId, error } = useFieldIds(field);
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cx('run-field', className)}>
      <label htmlFor={id} className={cx('run-label', hiddenLabel && 'visually-hidden')}>
        {label}
      </label>
      <input
        ref={inputRef}
        id={id}
        className={cx('input', mono && 'mono')}
        value={value}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
        {...rest}
      />
      {hint && (
        <div id={hintId} className="run-hint">
          {hint}
        </div>
      )}
      <FieldError id={errorId} error={error} />
    </div>
  );
}

export function CheckField({ field, label, checked, onChange, hint, danger }: { field: string; label: ReactNode; checked: boolean; onChange(v: boolean): void; hint?: ReactNode; danger?: boolean }) {
  const { id, errorId, hintId, error } = useFieldIds(field);
  return (
    <div className={cx('run-check', danger && 'is-danger')}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint && (
          <div id={hintId} className="run-hint">
            {hint}
          </div>
        )}
        <FieldError id={errorId} error={error} />
      </div>
    </div>
  );
}

export function SelectField<V extends string>({
  field,
  label,
  value,
  options,
  onChange,
  hiddenLabel,
  hint,
}: {
  field: string;
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange(v: V): void;
  hiddenLabel?: boolean;
  hint?: ReactNode;
}) {
  const { id, errorId, hintId, error } = useFieldIds(field);
  return (
    <div className="run-field">
      <label htmlFor={id} className={cx('run-label', hiddenLabel && 'visually-hidden')}>
        {label}
      </label>
      <select
        id={id}
        className="input"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined}
        onChange={(e) => onChange(e.target.value as V)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <div id={hintId} className="run-hint">
          {hint}
        </div>
      )}
      <FieldError id={errorId} error={error} />
    </div>
  );
}

/** A titled group of inputs inside a tab. */
export function Section({ title, children, actions, error }: { title: string; children: ReactNode; actions?: ReactNode; error?: string }) {
  return (
    <section className="run-section" aria-label={title}>
      <div className="run-section-head">
        <h3 className="run-section-title">{title}</h3>
        {actions}
      </div>
      {error && <div className="run-field-error">{error}</div>}
      {children}
    </section>
  );
}
