import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { VolumePruneResult } from '../../../app/contract/volumes';
import { Button, CheckboxField, Dialog, ErrorBanner, Spinner } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { notify } from '../../stores/toasts';
import { previewVolumePrune, pruneVolumes } from '../../stores/volumes';
import { formatBytes, plural } from '../../lib/format';

type Phase =
  | { kind: 'previewing' }
  | { kind: 'preview'; result: VolumePruneResult }
  | { kind: 'previewFailed'; error: ErrorShape }
  | { kind: 'pruning'; result: VolumePruneResult }
  | { kind: 'done'; result: VolumePruneResult }
  | { kind: 'pruneFailed'; result: VolumePruneResult; error: ErrorShape };

/** The volumes a prune would remove (with their sizes), a total, and any warning about sizes. */
function PruneList({ result }: { result: VolumePruneResult }) {
  if (result.removed.length === 0) return <p className="prune-none">No unused volumes to remove.</p>;
  return (
    <>
      <ul className="confirm-items prune-items" aria-label="Volumes to remove" tabIndex={0}>
        {result.removed.map((v) => (
          <li key={v.name}>
            <span className="mono">{v.name}</span>
            <span className="prune-size">{v.size === null ? '—' : formatBytes(v.size)}</span>
          </li>
        ))}
      </ul>
      <p className="prune-total" data-testid="prune-total">
        {result.sizeError
          ? `${plural(result.removed.length, 'volume')}; the space they use is unknown.`
          : `${plural(result.removed.length, 'volume')}, reclaiming ${formatBytes(result.spaceReclaimed)}.`}
      </p>
    </>
  );
}

/**
 * Prune in two steps: a dry run lists what would go and the space it frees; only then the
 * user confirms. "Also named volumes" widens it from anonymous volumes to every unused one.
 */
export function PruneVolumesDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const [all, setAll] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'previewing' });

  const seq = useRef(0);

  const preview = useCallback(async (withNamed: boolean) => {
    const mine = ++seq.current;
    setPhase({ kind: 'previewing' });
    try {
      const result = await previewVolumePrune(withNamed);
      if (mine === seq.current) setPhase({ kind: 'preview', result });
    } catch (e) {
      if (mine === seq.current) setPhase({ kind: 'previewFailed', error: toErrorShape(e) });
    }
  }, []);

  useEffect(() => {
    if (open) void preview(all);
  }, [open, all, preview]);

  const busy = phase.kind === 'pruning' || phase.kind === 'previewing';
  const close = () => {
    if (phase.kind === 'pruning') return;
    seq.current++;
    setAll(false);
    setPhase({ kind: 'previewing' });
    onClose();
  };

  const confirm = async () => {
    if (phase.kind !== 'preview') return;
    setPhase({ kind: 'pruning', result: phase.result });
    try {
      const result = await pruneVolumes(all);
      if (result.failed.length === 0) {
        notify.success(
          `Removed ${plural(result.removed.length, 'unused volume')}`,
          result.sizeError ? 'The space reclaimed is unknown.' : `Reclaimed ${formatBytes(result.spaceReclaimed)}.`,
        );
        close();
        return;
      }
      setPhase({ kind: 'done', result });
    } catch (e) {
      setPhase({ kind: 'pruneFailed', result: phase.result, error: toErrorShape(e) });
    }
  };

  const shown = phase.kind === 'preview' || phase.kind === 'pruning' || phase.kind === 'pruneFailed' ? phase.result : null;
  const count = shown?.removed.length ?? 0;

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Prune unused volumes"
      role="alertdialog"
      dismissible={phase.kind !== 'pruning'}
      description="Removes volumes that no container uses, running or stopped. Their data is deleted for good."
      footer={
        phase.kind === 'done' ? (
          <Button variant="primary" onClick={close}>
            Close
          </Button>
        ) : (
          <>
            <Button onClick={close} disabled={phase.kind === 'pruning'}>
              Cancel
            </Button>
            <Button variant="danger" busy={phase.kind === 'pruning'} disabled={busy || count === 0 || phase.kind === 'previewFailed'} onClick={() => void confirm()}>
              {count > 0 ? `Remove ${plural(count, 'volume')}` : 'Remove'}
            </Button>
          </>
        )
      }
    >
      <CheckboxField
        label="Also remove unused named volumes"
        hint="Without this, only anonymous volumes (made by the engine for a container) are removed."
        checked={all}
        disabled={phase.kind === 'pruning' || phase.kind === 'done'}
        onChange={setAll}
      />
      <div className="prune-preview" aria-live="polite" aria-busy={phase.kind === 'previewing'}>
        {phase.kind === 'previewing' && (
          <p className="prune-loading">
            <Spinner /> Finding unused volumes…
          </p>
        )}
        {phase.kind === 'previewFailed' && <ErrorBanner error={phase.error} title="Could not list the unused volumes" onRetry={() => void preview(all)} />}
        {shown && <PruneList result={shown} />}
        {shown?.sizeError && <ErrorBanner tone="warning" error={shown.sizeError} title="Sizes are unknown" />}
        {phase.kind === 'pruneFailed' && <ErrorBanner error={phase.error} title="The prune failed" />}
        {phase.kind === 'done' && (
          <>
            <p className="prune-total">
              Removed {plural(phase.result.removed.length, 'volume')}
              {phase.result.sizeError ? '.' : `, reclaiming ${formatBytes(phase.result.spaceReclaimed)}.`} These could not be removed:
            </p>
            <ul className="prune-failed" aria-label="Volumes not removed">
              {phase.result.failed.map((f) => (
                <li key={f.name}>
                  <span className="mono">{f.name}</span>: {f.error.message}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </Dialog>
  );
}
