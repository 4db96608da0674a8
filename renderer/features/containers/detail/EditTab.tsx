import { useMemo, useState } from 'react';
import type { ContainerDetails } from '../../../../app/contract/containers';
import type { ErrorShape } from '../../../../app/contract/errors';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { IconInfo } from '../../../components/Icons';
import { ProgressBar } from '../../../components/ProgressBar';
import { toErrorShape } from '../../../lib/errors';
import { recreateContainer } from '../../../stores/containers';
import { notify } from '../../../stores/toasts';
import { CommandPreview } from '../../run/CommandPreview';
import { changesBetween, optionsFromDetails } from '../../run/edit';
import { formFromOptions } from '../../run/form';
import { FormProblems } from '../../run/FormProblems';
import { RunFormTabs } from '../../run/RunFormTabs';
import { useRunForm } from '../../run/use-run-form';
import { RunFailure } from '../../run/RunFailure';
import { tabOfField, type RunTab } from '../../run/validate';

const FIELD_OF: Record<string, string> = { memoryBytes: 'memory', pidsLimit: 'pids' };

/** Edit and recreate: the run form prefilled from inspect; applying replaces the container. */
export function EditTab({ d, onReplaced }: { d: ContainerDetails; onReplaced(newId: string): void }) {
  const base = useMemo(() => optionsFromDetails(d), [d]);
  const st = useRunForm(() => formFromOptions(base), d.id);
  const [tab, setTab] = useState<RunTab>('basic');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);

  const diff = useMemo(() => (st.validation.options ? changesBetween(base, st.validation.options) : null), [base, st.validation.options]);
  const unsupportedErrors = Object.fromEntries((diff?.unsupported ?? []).map((u) => [FIELD_OF[u.field] ?? u.field, u.message]));
  const shownErrors = { ...st.shownErrors, ...unsupportedErrors };
  const changed = diff ? Object.keys(diff.changes) : [];
  const canApply = diff !== null && diff.unsupported.length === 0 && changed.length > 0;

  const ask = () => {
    st.revealAll();
    const first = Object.keys({ ...st.validation.errors, ...unsupportedErrors })[0];
    if (first) {
      setTab(tabOfField(first));
      return;
    }
    if (canApply) setAsking(true);
  };

  const apply = async () => {
    if (!diff) return;
    setAsking(false);
    setBusy(true);
    setError(null);
    try {
      const res = await recreateContainer(d.id, diff.changes);
      notify.success(`Recreated ${res.name}`, res.warnings.length ? res.warnings.join(' ') : undefined);
      onReplaced(res.id);
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="edit">
      <p className="edit-explain">
        <IconInfo className="edit-explain-icon" />
        <span>
          Applying <strong>replaces the container</strong>: Berth stops it, creates a new one with these settings under the same name, starts it if
          it was running, then removes the old one. Files written inside the container (outside volumes) do not carry over. If anything fails,
          the old container is put back as it was.
        </span>
      </p>
      <RunFormTabs
        mode="edit"
        form={st.form}
        patch={st.patch}
        errors={st.validation.errors}
        shownErrors={shownErrors}
        suggestions={st.suggestions}
        tab={tab}
        onTabChange={setTab}
      />
      <FormProblems formErrors={st.validation.formErrors} warnings={st.validation.warnings} />
      {error && <RunFailure title="The container was not replaced; the original is kept" error={error} st={st} onDismiss={() => setError(null)} />}
      <CommandPreview options={st.validation.options} />
      <div className="edit-footer">
        {busy && <ProgressBar className="run-progress" label="Recreating the container" showCaption valueText="Stopping, recreating and starting…" />}
        <span className="muted edit-changed" aria-live="polite">
          {st.validation.options === null ? 'Fix the highlighted fields.' : changed.length === 0 ? 'No changes yet.' : `Changed: ${changed.join(', ')}.`}
        </span>
        <Button onClick={() => st.reset(formFromOptions(base))} disabled={busy}>
          Undo changes
        </Button>
        <Button variant="primary" busy={busy} disabled={st.validation.options !== null && changed.length === 0} onClick={ask}>
          Recreate
        </Button>
      </div>
      <ConfirmDialog
        open={asking}
        title={`Replace ${d.name}?`}
        items={[d.name]}
        message={`A new container with your changes (${changed.join(', ')}) takes its place. Files written inside the old container, outside volumes, are lost.`}
        confirmLabel="Recreate"
        onConfirm={() => void apply()}
        onCancel={() => setAsking(false)}
      />
    </div>
  );
}
