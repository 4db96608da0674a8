import { useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ProgressBar } from '../../components/ProgressBar';
import { IconPlay } from '../../components/Icons';
import { toErrorShape } from '../../lib/errors';
import { runContainer } from '../../stores/containers';
import { notify } from '../../stores/toasts';
import { CommandPreview } from './CommandPreview';
import { emptyForm } from './form';
import { RunFormTabs } from './RunFormTabs';
import { FormProblems } from './FormProblems';
import { closeRunDialog, useRunDialog } from './run-store';
import { useRunForm } from './use-run-form';
import { RunFailure } from './RunFailure';
import { tabOfField, type RunTab } from './validate';

/** Mount once; opened with `openRunDialog()`. Renders nothing while closed. */
export function RunDialog() {
  const open = useRunDialog((s) => s.open);
  const seq = useRunDialog((s) => s.seq);
  if (!open) return null;
  return <RunDialogBody key={seq} />;
}

function RunDialogBody() {
  const image = useRunDialog((s) => s.image);
  const onRun = useRunDialog((s) => s.onRun);
  const st = useRunForm(() => emptyForm(image));
  const [tab, setTab] = useState<RunTab>('basic');
  const firstField = useRef<HTMLInputElement>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);

  const submit = async () => {
    st.revealAll();
    const options = st.validation.options;
    if (!options) {
      const first = Object.keys(st.validation.errors)[0];
      if (first) setTab(tabOfField(first));
      return;
    }
    setRunning(true);
    setError(null);
    try {
      const res = await runContainer(options);
      notify.success(`Started ${res.name}`, res.warnings.length ? res.warnings.join(' ') : undefined);
      onRun?.(res.id);
      closeRunDialog();
    } catch (e) {
      setError(toErrorShape(e));
      setRunning(false);
    }
  };

  return (
    <Dialog
      open
      size="lg"
      className="run-dialog"
      title="Run a container"
      initialFocus={firstField}
      onClose={() => {
        if (!running) closeRunDialog();
      }}
      dismissible={!running}
      footer={
        <>
          {running && <ProgressBar className="run-progress" label="Creating and starting the container" showCaption valueText="Creating and starting the container…" />}
          <Button onClick={closeRunDialog} disabled={running}>
            Cancel
          </Button>
          <Button variant="primary" icon={<IconPlay />} busy={running} onClick={() => void submit()}>
            Run
          </Button>
        </>
      }
    >
      <form
        className="run-form"
        aria-label="Run options"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <RunFormTabs
          mode="run"
          focusRef={firstField}
          form={st.form}
          patch={st.patch}
          errors={st.validation.errors}
          shownErrors={st.shownErrors}
          suggestions={st.suggestions}
          tab={tab}
          onTabChange={setTab}
        />
        {/* Enter in a text field runs. */}
        <button type="submit" hidden tabIndex={-1} aria-hidden="true" />
      </form>
      <FormProblems formErrors={st.validation.formErrors} warnings={st.validation.warnings} suggestionsError={st.suggestionsError} />
      {error && <RunFailure title="The container did not start" error={error} st={st} onDismiss={() => setError(null)} />}
      <CommandPreview options={st.validation.options} />
    </Dialog>
  );
}
