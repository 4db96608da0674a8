import { useRef, useState } from 'react';
import type { PullDone, RegistryAuth } from '../../../app/contract/images';
import { Button, CheckboxField, Dialog, ErrorBanner, Field } from '../../components';
import { useEngineHas } from '../../stores/engines';
import { pullImage } from '../../stores/images';
import { RunImageButton } from '../run';
import { CredentialsForm } from './Credentials';
import { PLATFORMS, refProblem, registryOf, withDefaultTag } from './ref';
import { shortId } from './model';
import { useFocusOnChange } from './focus';
import { shownProgress, useTransfer } from './transfer';
import { TransferView } from './TransferView';
import { useLazyPull } from './use-lazy-pull';

const AUTH_CODES = new Set(['AUTH_REQUIRED', 'PULL_DENIED']);

/**
 * Pull an image: reference (checked as you type) and an optional platform; per-layer progress
 * and total bytes while it runs, cancel; the image is in the list when it says "Pulled".
 */
export function PullDialog({ onClose, initialRef = '' }: { onClose(): void; initialRef?: string }) {
  const [ref, setRef] = useState(initialRef);
  const [platform, setPlatform] = useState('');
  const lazyPull = useLazyPull();
  const layerProgress = useEngineHas('layerProgress');
  const [lazy, setLazy] = useState(false);
  const [tried, setTried] = useState(false);
  const [usedAuth, setUsedAuth] = useState(false);
  const [askAuth, setAskAuth] = useState(true);
  const { phase, start, cancel, reset } = useTransfer<PullDone>();
  const inputRef = useRef<HTMLInputElement>(null);
  const stepRef = useRef<HTMLButtonElement>(null);

  const problem = refProblem(ref);
  const showProblem = (tried || ref.trim() !== '') && problem;
  const running = phase.kind === 'running';
  const shown = shownProgress(phase);

  const pull = (auth?: RegistryAuth) => {
    setTried(true);
    if (problem) {
      inputRef.current?.focus();
      return;
    }
    setUsedAuth(auth !== undefined);
    setAskAuth(true);
    start((h) => pullImage({ ref: ref.trim(), ...(platform ? { platform } : {}), ...(auth ? { auth } : {}), ...(lazyPull && lazy ? { lazy: true } : {}) }, h));
  };

  const close = () => {
    cancel();
    onClose();
  };

  const authNeeded = phase.kind === 'failed' && AUTH_CODES.has(phase.error.code) && !usedAuth && askAuth;
  useFocusOnChange(phase.kind, phase.kind === 'idle' ? inputRef : stepRef);

  let footer;
  if (running) {
    footer = (
      <Button ref={stepRef} onClick={cancel}>
        Cancel pull
      </Button>
    );
  } else if (phase.kind === 'done') {
    const pulled = phase.result.ref;
    footer = (
      <>
        <Button
          variant="ghost"
          onClick={() => {
            setRef('');
            setTried(false);
            reset();
            inputRef.current?.focus();
          }}
        >
          Pull another
        </Button>
        <RunImageButton image={pulled} onBeforeOpen={onClose} />
        <Button ref={stepRef} variant="primary" onClick={onClose}>
          Close
        </Button>
      </>
    );
  } else {
    footer = (
      <>
        <Button onClick={close}>Close</Button>
        <Button ref={stepRef} variant="primary" type="submit" form="pull-form" disabled={authNeeded}>
          {phase.kind === 'idle' ? 'Pull' : 'Pull again'}
        </Button>
      </>
    );
  }

  return (
    <Dialog
      open
      onClose={close}
      title="Pull an image"
      size="md"
      dismissible={!running}
      initialFocus={inputRef}
      description="Downloads an image from a registry. A name without a registry, like busybox:latest, comes from Docker Hub."
      footer={footer}
    >
      <form
        id="pull-form"
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!running) pull();
        }}
      >
        <div className="form-row img-pull-row">
          <Field label="Image reference" error={showProblem || null} hint={!showProblem ? 'name[:tag][@digest], e.g. busybox:1.36 or 127.0.0.1:5000/team/app:dev' : undefined}>
            {(p) => (
              <input
                {...p}
                ref={inputRef}
                className="input mono"
                value={ref}
                disabled={running}
                spellCheck={false}
                autoComplete="off"
                placeholder="busybox:latest"
                onChange={(e) => setRef(e.target.value)}
              />
            )}
          </Field>
          <Field label="Platform" optional>
            {(p) => (
              <select {...p} className="input" value={platform} disabled={running} onChange={(e) => setPlatform(e.target.value)}>
                <option value="">The engine’s own</option>
                {PLATFORMS.map((pl) => (
                  <option key={pl} value={pl}>
                    {pl}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {lazyPull && (
          <CheckboxField
            label="Pull lazily (eStargz)"
            hint="Through the stargz snapshotter: an eStargz image's layers are fetched as its containers read them; other images are pulled whole."
            checked={lazy}
            onChange={setLazy}
          />
        )}
      </form>
      {phase.kind === 'running' && phase.restarted && <p className="form-hint">The link to the core dropped; the pull started again.</p>}
      {shown && <TransferView progress={shown.progress} verb="Pull" done={phase.kind === 'done'} totalsOnly={!layerProgress} />}
      {phase.kind === 'done' && (
        <p className="img-result" role="status">
          Pulled <span className="mono">{withDefaultTag(phase.result.ref)}</span> (<span className="mono">{shortId(phase.result.id)}</span>). It is in the list.
        </p>
      )}
      {phase.kind === 'cancelled' && (
        <p className="img-result muted" role="status">
          Pull cancelled.
        </p>
      )}
      {phase.kind === 'failed' && <ErrorBanner error={phase.error} title="The pull failed" />}
      {authNeeded && <CredentialsForm registry={registryOf(ref)} verb="Pull" onSubmit={(auth) => pull(auth)} onCancel={() => setAskAuth(false)} />}
    </Dialog>
  );
}
