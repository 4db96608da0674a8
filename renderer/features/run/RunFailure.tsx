import type { ErrorShape } from '../../../app/contract/errors';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { applyFreePort, freePortFix, type RunFormState } from './use-run-form';

/** Why a run (or a recreate) failed; when a host port was taken, a button puts a free one in the form. */
export function RunFailure({ title, error, st, onDismiss }: { title: string; error: ErrorShape; st: Pick<RunFormState, 'form' | 'patch'>; onDismiss(): void }) {
  const fix = freePortFix(error);
  return (
    <ErrorBanner
      title={title}
      error={error}
      onDismiss={onDismiss}
      actions={
        fix ? (
          <Button
            size="sm"
            onClick={() => {
              st.patch({ ports: applyFreePort(st.form, fix).ports });
              onDismiss();
            }}
          >
            Use port {fix.free}
          </Button>
        ) : undefined
      }
    />
  );
}
