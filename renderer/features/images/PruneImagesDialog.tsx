import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { PruneResult } from '../../../app/contract/images';
import { Button, Dialog, ErrorBanner, Spinner } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { previewImagePrune, pruneImages } from '../../stores/images';
import { notify } from '../../stores/toasts';
import { formatBytes, plural } from '../../lib/format';
import { shortId } from './model';

type Phase =
  | { kind: 'previewing' }
  | { kind: 'preview'; result: PruneResult }
  | { kind: 'previewFailed'; error: ErrorShape }
  | { kind: 'pruning'; result: PruneResult }
  | { kind: 'pruneFailed'; result: PruneResult; error: ErrorShape };

const SCOPES = [
  { all: false, label: 'Dangling images only', hint: 'Images without a name, left behind by rebuilds and newer pulls.' },
  { all: true, label: 'All unused images', hint: 'Every image no container uses, named or not. They can be pulled or built again.' },
];

function PruneList({ result }: { result: PruneResult }) {
  if (result.removed.length === 0) return <p className="prune-none">Nothing to remove: no image matches.</p>;
  return (
    <>
      <ul className="confirm-items prune-items" aria-label="Images to remove" tabIndex={0}>
        {result.removed.map((r) => (
          <li key={r.id}>
            <span className="mono">{r.tags.length > 0 ? r.tags.join(', ') : '<none>'}</span>
            <span className="prune-size mono">{shortId(r.id)}</span>
          </li>
        ))}
      </ul>
      <p className="prune-total" data-testid="prune-total">
        {plural(result.removed.length, 'image')}, reclaiming {formatBytes(result.spaceReclaimed)}.
      </p>
    </>
  );
}

/** Prune in two steps: a dry run lists what would go and the space it frees, then the user confirms. */
export function PruneImagesDialog({ onClose }: { onClose(): void }) {
  const [all, setAll] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'previewing' });
  const seq = useRef(0);

  const preview = useCallback(async (everything: boolean) => {
    const mine = ++seq.current;
    setPhase({ kind: 'previewing' });
    try {
      const result = await previewImagePrune(everything);
      if (mine === seq.current) setPhase({ kind: 'preview', result });
    } catch (e) {
      if (mine === seq.current) setPhase({ kind: 'previewFailed', error: toErrorShape(e) });
    }
  }, []);

  useEffect(() => {
    void preview(all);
  }, [all, preview]);

  const pruning = phase.kind === 'pruning';
  const close = () => {
    if (pruning) return;
    seq.current++;
    onClose();
  };

  const confirm = async () => {
    if (phase.kind !== 'preview') return;
    setPhase({ kind: 'pruning', result: phase.result });
    try {
      const result = await pruneImages(all);
      notify.success(`Removed ${plural(result.removed.length, 'image')}`, `Reclaimed ${formatBytes(result.spaceReclaimed)}.`);
      seq.current++;
      onClose();
    } catch (e) {
      setPhase({ kind: 'pruneFailed', result: phase.result, error: toErrorShape(e) });
    }
  };

  const shown = phase.kind === 'preview' || phase.kind === 'pruning' || phase.kind === 'pruneFailed' ? phase.result : null;
  const count = shown?.removed.length ?? 0;

  return (
    <Dialog
      open
      onClose={close}
      title="Prune images"
      role="alertdialog"
      dismissible={!pruning}
      description="Removes images no container uses, running or stopped. First see what would go."
      footer={
        <>
          <Button onClick={close} disabled={pruning}>
            Cancel
          </Button>
          <Button variant="danger" busy={pruning} disabled={phase.kind !== 'preview' || count === 0} onClick={() => void confirm()}>
            {count > 0 ? `Remove ${plural(count, 'image')}` : 'Remove'}
          </Button>
        </>
      }
    >
      <fieldset className="form-fieldset">
        <legend className="form-label">What to remove</legend>
        {SCOPES.map((s) => (
          <label key={String(s.all)} className="form-check img-radio">
            <input type="radio" name="prune-scope" checked={all === s.all} disabled={pruning} onChange={() => setAll(s.all)} />
            <span>
              <span className="img-radio-label">{s.label}</span>
              <span className="form-hint">{s.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="prune-preview" aria-live="polite" aria-busy={phase.kind === 'previewing'}>
        {phase.kind === 'previewing' && (
          <p className="prune-loading">
            <Spinner /> Finding images to remove…
          </p>
        )}
        {phase.kind === 'previewFailed' && <ErrorBanner error={phase.error} title="Could not work out what a prune would remove" onRetry={() => void preview(all)} />}
        {shown && <PruneList result={shown} />}
        {phase.kind === 'pruneFailed' && <ErrorBanner error={phase.error} title="The prune failed" />}
      </div>
    </Dialog>
  );
}
