import { useRef, useState } from 'react';
import type { ImageSummary, PushDone, RegistryAuth } from '../../../app/contract/images';
import { Button, Dialog, ErrorBanner, Field } from '../../components';
import { pushImage } from '../../stores/images';
import { CredentialsForm } from './Credentials';
import { registryOf } from './ref';
import { useFocusOnChange } from './focus';
import { shownProgress, useTransfer } from './transfer';
import { TransferView } from './TransferView';

const AUTH_CODES = new Set(['AUTH_REQUIRED', 'PULL_DENIED']);

/**
 * Push one of an image's tags to its registry, with progress like a pull. When the registry
 * asks for a login the dialog asks once for a user name and password and retries with them.
 */
export function PushDialog({ image, onClose, onTag }: { image: ImageSummary; onClose(): void; onTag(): void }) {
  const [ref, setRef] = useState(image.repoTags[0] ?? '');
  const [usedAuth, setUsedAuth] = useState(false);
  const [askAuth, setAskAuth] = useState(true);
  const { phase, start, cancel } = useTransfer<PushDone>();
  const pushRef = useRef<HTMLButtonElement>(null);
  const stepRef = useRef<HTMLButtonElement>(null);
  const running = phase.kind === 'running';
  const shown = shownProgress(phase);
  const registry = ref ? registryOf(ref) : '';

  const push = (auth?: RegistryAuth) => {
    setUsedAuth(auth !== undefined);
    setAskAuth(true);
    start((h) => pushImage({ ref, ...(auth ? { auth } : {}) }, h));
  };
  const close = () => {
    cancel();
    onClose();
  };
  const authNeeded = phase.kind === 'failed' && AUTH_CODES.has(phase.error.code) && !usedAuth && askAuth;
  useFocusOnChange(phase.kind, phase.kind === 'running' || phase.kind === 'done' ? stepRef : pushRef);

  if (image.repoTags.length === 0) {
    return (
      <Dialog
        open
        onClose={onClose}
        title="Push an image"
        footer={
          <>
            <Button onClick={onClose}>Close</Button>
            <Button variant="primary" onClick={onTag}>
              Tag it…
            </Button>
          </>
        }
      >
        <p>This image has no name. Give it one that includes a registry (e.g. 127.0.0.1:5000/team/app:1.0), then push that name.</p>
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      onClose={close}
      title={`Push ${ref}`}
      dismissible={!running}
      initialFocus={pushRef}
      description="Uploads the image to the registry its name starts with."
      footer={
        running ? (
          <Button ref={stepRef} onClick={cancel}>
            Cancel push
          </Button>
        ) : (
          <>
            <Button ref={phase.kind === 'done' ? stepRef : undefined} onClick={close}>
              {phase.kind === 'done' ? 'Close' : 'Cancel'}
            </Button>
            {phase.kind !== 'done' && (
              <Button ref={pushRef} variant="primary" disabled={authNeeded} onClick={() => push()}>
                {phase.kind === 'idle' ? 'Push' : 'Push again'}
              </Button>
            )}
          </>
        )
      }
    >
      {image.repoTags.length > 1 && (
        <Field label="Name to push">
          {(p) => (
            <select {...p} className="input mono" value={ref} disabled={running} onChange={(e) => setRef(e.target.value)}>
              {image.repoTags.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <p className="form-hint">
        Registry: <span className="mono">{registry}</span>
        {registry === 'docker.io' && ' (Docker Hub: names there need your account, e.g. youruser/app:1.0; tag the image first to push elsewhere)'}
      </p>
      {shown && <TransferView progress={shown.progress} verb="Push" done={phase.kind === 'done'} />}
      {phase.kind === 'done' && (
        <p className="img-result" role="status">
          Pushed <span className="mono">{phase.result.ref}</span>
          {phase.result.digest && (
            <>
              {' '}
              as <span className="mono">{phase.result.digest}</span>
            </>
          )}
          .
        </p>
      )}
      {phase.kind === 'cancelled' && (
        <p className="img-result muted" role="status">
          Push cancelled.
        </p>
      )}
      {phase.kind === 'failed' && <ErrorBanner error={phase.error} title="The push failed" />}
      {authNeeded && <CredentialsForm registry={registry} verb="Push" onSubmit={(auth) => push(auth)} onCancel={() => setAskAuth(false)} />}
    </Dialog>
  );
}
