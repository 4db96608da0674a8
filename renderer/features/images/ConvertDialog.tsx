import { useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { ImageSummary, PushDone } from '../../../app/contract/images';
import { Button, CheckboxField, Dialog, ErrorBanner, Field, Spinner } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { convertImage, pushImage } from '../../stores/images';
import { tagTargetProblem } from './ref';
import { shownProgress, useTransfer } from './transfer';
import { TransferView } from './TransferView';
import { estargzName } from './estargz-name';

type Step = { kind: 'form' } | { kind: 'converting' } | { kind: 'converted'; target: string } | { kind: 'failed'; error: ErrorShape };

/**
 * Convert an image to eStargz under a new name and (by default) push it to its registry: pulled from there
 * with "Pull lazily", its containers start before the whole image is downloaded.
 */
export function ConvertDialog({ image, onClose }: { image: ImageSummary; onClose(): void }) {
  const source = image.repoTags[0] ?? image.id;
  const [target, setTarget] = useState(estargzName(source));
  const [push, setPush] = useState(true);
  const [step, setStep] = useState<Step>({ kind: 'form' });
  const transfer = useTransfer<PushDone>();
  const startRef = useRef<HTMLButtonElement>(null);
  const problem = tagTargetProblem(target.trim());
  const busy = step.kind === 'converting' || transfer.phase.kind === 'running';
  const shown = shownProgress(transfer.phase);

  const run = async () => {
    if (problem) return;
    setStep({ kind: 'converting' });
    try {
      const r = await convertImage(source, target.trim());
      setStep({ kind: 'converted', target: r.target });
      if (push) transfer.start((h) => pushImage({ ref: r.target }, h));
    } catch (e) {
      setStep({ kind: 'failed', error: toErrorShape(e) });
    }
  };
  const close = () => {
    transfer.cancel();
    onClose();
  };
  const finished = step.kind === 'converted' && (!push || transfer.phase.kind === 'done');

  return (
    <Dialog
      open
      onClose={close}
      title="Convert to eStargz"
      dismissible={!busy}
      initialFocus={startRef}
      description="eStargz layers can be read before they are downloaded: a containerd with the stargz snapshotter starts the image's containers while it pulls."
      footer={
        <>
          <Button onClick={close} disabled={step.kind === 'converting'}>
            {finished ? 'Close' : 'Cancel'}
          </Button>
          {!finished && step.kind !== 'converted' && (
            <Button ref={startRef} variant="primary" disabled={busy || problem !== null} onClick={() => void run()}>
              {push ? 'Convert and push' : 'Convert'}
            </Button>
          )}
        </>
      }
    >
      <p className="form-hint">
        From <span className="mono">{source}</span>
      </p>
      <Field label="New name" error={target.trim() ? problem : 'Give the converted image a name.'} hint="Include the registry to push to, e.g. 127.0.0.1:5000/team/app:1-esgz.">
        {(p) => <input {...p} className="input mono" value={target} disabled={step.kind !== 'form' && step.kind !== 'failed'} spellCheck={false} onChange={(e) => setTarget(e.target.value)} />}
      </Field>
      <CheckboxField label="Push after converting" hint="Lazy pulling reads the layers from the registry." checked={push} onChange={setPush} />
      {step.kind === 'converting' && (
        <p role="status">
          <Spinner /> Converting the layers…
        </p>
      )}
      {step.kind === 'converted' && (
        <p className="img-result" role="status">
          Converted to <span className="mono">{step.target}</span>
          {push ? (transfer.phase.kind === 'done' ? `, pushed${transfer.phase.result.digest ? ` as ${transfer.phase.result.digest}` : ''}.` : '; pushing…') : '.'}
        </p>
      )}
      {shown && <TransferView progress={shown.progress} verb="Push" done={transfer.phase.kind === 'done'} />}
      {step.kind === 'failed' && <ErrorBanner error={step.error} title="The conversion failed" />}
      {transfer.phase.kind === 'failed' && <ErrorBanner error={transfer.phase.error} title="The push failed" />}
    </Dialog>
  );
}
