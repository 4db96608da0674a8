import { useEffect, useId, useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { TransferProgress } from '../../../app/contract/images';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ProgressBar } from '../../components/ProgressBar';
import { IconPlay } from '../../components/Icons';
import { toErrorShape } from '../../lib/errors';
import { proposeHostPort, runContainer } from '../../stores/containers';
import { useEngineHas } from '../../stores/engines';
import { fillHostPorts, portSpecs, rowsWithoutHostPort } from './host-ports';
import { notify } from '../../stores/toasts';
import { TransferView } from '../images/TransferView';
import { CommandPreview } from './CommandPreview';
import { fieldDomId } from './field-labels';
import { emptyForm } from './form';
import { RunFormTabs } from './RunFormTabs';
import { FormProblems } from './FormProblems';
import { ProblemSummary } from './ProblemSummary';
import { PULL_POLICIES, pullWithProgress, shouldPull, type PullPolicy } from './pull-on-run';
import { closeRunDialog, useRunDialog } from './run-store';
import { useRunForm } from './use-run-form';
import { RunFailure } from './RunFailure';
import { CheckField, SelectField } from './fields';
import { useLazyPull } from '../images/use-lazy-pull';
import { tabOfField, type RunTab } from './validate';

/** Mount once; opened with `openRunDialog()`. Renders nothing while closed. */
export function RunDialog() {
  const open = useRunDialog((s) => s.open);
  const seq = useRunDialog((s) => s.seq);
  if (!open) return null;
  return <RunDialogBody key={seq} />;
}

/** What the dialog is doing after Run: checking for the image, pulling it (with progress), creating the container. */
type Step = { kind: 'idle' } | { kind: 'checking' } | { kind: 'pulling'; ref: string; progress: TransferProgress | null } | { kind: 'running' };

function RunDialogBody() {
  const image = useRunDialog((s) => s.image);
  const onRun = useRunDialog((s) => s.onRun);
  const st = useRunForm(() => emptyForm(image));
  const [tab, setTab] = useState<RunTab>('basic');
  const firstField = useRef<HTMLInputElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const idBase = `run${useId().replace(/:/g, '')}`;
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [pull, setPull] = useState<PullPolicy>('missing');
  const lazyPull = useLazyPull();
  const [lazy, setLazy] = useState(false);
  const [error, setError] = useState<{ title: string; error: ErrorShape } | null>(null);
  const [tried, setTried] = useState(false);
  const [focusField, setFocusField] = useState<{ field: string; seq: number } | null>(null);
  const cancelPull = useRef<(() => void) | null>(null);
  const busy = step.kind !== 'idle';
  const autoHostPort = useEngineHas('autoHostPort');

  // Go to a field: its tab first, then the input once the tab has rendered.
  useEffect(() => {
    if (!focusField) return;
    const el = document.getElementById(fieldDomId(idBase, focusField.field));
    if (el) el.focus();
    else summaryRef.current?.focus();
  }, [focusField, idBase]);
  useEffect(() => () => cancelPull.current?.(), []);

  const goTo = (field: string) => {
    setTab(tabOfField(field));
    setFocusField((f) => ({ field, seq: (f?.seq ?? 0) + 1 }));
  };

  const submit = async () => {
    if (busy) return;
    st.revealAll();
    setTried(true);
    if (!st.validation.options) {
      const first = Object.keys(st.validation.errors)[0];
      if (first) goTo(first);
      else requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setError(null);
    let options = st.validation.options;
    if (!autoHostPort && rowsWithoutHostPort(st.form.ports).length) {
      // The engine cannot pick host ports: fill in free ones up front, shown in the form.
      try {
        setStep({ kind: 'checking' });
        const ports = await fillHostPorts(st.form.ports, proposeHostPort);
        st.patch({ ports });
        options = { ...options, ports: portSpecs(ports) };
      } catch (e) {
        setStep({ kind: 'idle' });
        setError({ title: 'Could not find a free host port', error: toErrorShape(e) });
        return;
      }
    }
    try {
      setStep({ kind: 'checking' });
      if (await shouldPull(pull, options.image)) {
        setStep({ kind: 'pulling', ref: options.image, progress: null });
        const p = pullWithProgress(options.image, (progress) => setStep({ kind: 'pulling', ref: options.image, progress }), { lazy: lazyPull && lazy, ...(options.platform ? { platform: options.platform } : {}) });
        cancelPull.current = p.cancel;
        try {
          await p.done;
        } finally {
          cancelPull.current = null;
        }
      }
    } catch (e) {
      const shape = toErrorShape(e);
      setStep({ kind: 'idle' });
      if (shape.code !== 'CANCELLED') setError({ title: `Could not pull ${options.image}`, error: shape });
      return;
    }
    setStep({ kind: 'running' });
    try {
      const res = await runContainer(options);
      notify.success(`Started ${res.name}`, res.warnings.length ? res.warnings.join(' ') : undefined);
      onRun?.(res.id);
      closeRunDialog();
    } catch (e) {
      setError({ title: 'The container did not start', error: toErrorShape(e) });
      setStep({ kind: 'idle' });
    }
  };

  const pullSelect = (
    <SelectField<PullPolicy>
      field="pull"
      label="Pull the image"
      value={pull}
      options={PULL_POLICIES}
      onChange={setPull}
      hint={pull === 'never' ? 'Runs only an image the engine already has.' : pull === 'always' ? 'Gets the newest from the registry first.' : undefined}
    />
  );
  // Where the engine has the stargz snapshotter: an eStargz image starts before it is downloaded.
  const pullPolicy =
    lazyPull && pull !== 'never' ? (
      <div className="run-pull-policy">
        {pullSelect}
        <CheckField field="pullLazy" label="Pull lazily (eStargz)" checked={lazy} onChange={setLazy} hint="Layers are fetched as the container reads them." />
      </div>
    ) : (
      pullSelect
    );

  return (
    <Dialog
      open
      size="lg"
      className="run-dialog"
      title="Run a container"
      initialFocus={firstField}
      onClose={() => {
        if (!busy) closeRunDialog();
      }}
      dismissible={!busy}
      footer={
        <>
          {step.kind === 'checking' && <ProgressBar className="run-progress" label="Looking for the image" showCaption valueText="Looking for the image…" />}
          {step.kind === 'running' && <ProgressBar className="run-progress" label="Creating and starting the container" showCaption valueText="Creating and starting the container…" />}
          {step.kind === 'pulling' ? (
            <Button onClick={() => cancelPull.current?.()}>Cancel pull</Button>
          ) : (
            <Button onClick={closeRunDialog} disabled={busy}>
              Cancel
            </Button>
          )}
          <Button variant="primary" icon={<IconPlay />} busy={busy} onClick={() => void submit()}>
            {step.kind === 'pulling' ? 'Pulling…' : 'Run'}
          </Button>
        </>
      }
    >
      {tried && <ProblemSummary ref={summaryRef} errors={st.validation.errors} formErrors={st.validation.formErrors} onGo={goTo} />}
      {step.kind === 'pulling' ? (
        <section className="run-pull" aria-label={`Pulling ${step.ref}`} data-testid="run-pull">
          <p className="run-pull-title">
            Pulling <span className="mono">{step.ref}</span>; the container runs when it is here.
          </p>
          <TransferView progress={step.progress} verb="Pull" />
        </section>
      ) : (
        <form
          className="run-form"
          aria-label="Run options"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <RunFormTabs
            mode="run"
            idBase={idBase}
            focusRef={firstField}
            form={st.form}
            patch={st.patch}
            errors={st.validation.errors}
            shownErrors={st.shownErrors}
            suggestions={st.suggestions}
            tab={tab}
            onTabChange={setTab}
            imageAside={pullPolicy}
          />
          {/* Enter in a text field runs. */}
          <button type="submit" hidden tabIndex={-1} aria-hidden="true" />
        </form>
      )}
      <FormProblems formErrors={tried ? [] : st.validation.formErrors} warnings={st.validation.warnings} suggestionsError={st.suggestionsError} />
      {error && <RunFailure title={error.title} error={error.error} st={st} onDismiss={() => setError(null)} />}
      {step.kind !== 'pulling' && <CommandPreview options={st.validation.options} />}
    </Dialog>
  );
}
