import type { ErrorShape } from '../../../app/contract/errors';
import { IconError, IconWarning } from '../../components/Icons';

/** Issues that belong to no single input, dangerous settings to be aware of, and why suggestions are missing. */
export function FormProblems({ formErrors, warnings, suggestionsError }: { formErrors: readonly string[]; warnings: readonly string[]; suggestionsError?: ErrorShape | null }) {
  if (formErrors.length === 0 && warnings.length === 0 && !suggestionsError) return null;
  return (
    <div className="run-problems">
      {formErrors.map((e) => (
        <p key={e} className="run-problem is-error">
          <IconError className="run-problem-icon" />
          {e}
        </p>
      ))}
      {warnings.map((w) => (
        <p key={w} className="run-problem is-warning">
          <IconWarning className="run-problem-icon" />
          {w}
        </p>
      ))}
      {suggestionsError && (
        <p className="run-problem is-muted">Image and network suggestions are unavailable: {suggestionsError.message}</p>
      )}
    </div>
  );
}
