import { forwardRef } from 'react';
import { IconError } from '../../components/Icons';
import type { FieldErrors } from './form';
import { fieldLabel } from './field-labels';

/**
 * After a Run that could not start: every problem, named by its field (even on another tab),
 * each a link that goes to the field. The box takes focus only when there is no field to go to.
 */
export const ProblemSummary = forwardRef<HTMLDivElement, { errors: FieldErrors; formErrors: readonly string[]; onGo(field: string): void }>(function ProblemSummary(
  { errors, formErrors, onGo },
  ref,
) {
  const fields = Object.entries(errors);
  const n = fields.length + formErrors.length;
  if (n === 0) return null;
  return (
    <div ref={ref} className="run-summary" role="alert" tabIndex={-1} data-testid="run-summary">
      <p className="run-summary-title">
        <IconError className="run-problem-icon" />
        {n === 1 ? 'One thing to fix before this can run:' : `${n} things to fix before this can run:`}
      </p>
      <ul>
        {fields.map(([field, message]) => (
          <li key={field}>
            <button type="button" className="link-button" onClick={() => onGo(field)}>
              {fieldLabel(field)}
            </button>
            : {message}
          </li>
        ))}
        {formErrors.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
});
