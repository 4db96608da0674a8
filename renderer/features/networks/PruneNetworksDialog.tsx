import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { NetworkPruneResult } from '../../../app/contract/networks';
import { Button, Dialog, ErrorBanner, Spinner } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { previewNetworkPrune, pruneNetworks } from '../../stores/networks';
import { notify } from '../../stores/toasts';
import { plural } from '../../lib/format';

type Phase =
  | { kind: 'previewing' }
  | { kind: 'preview'; result: NetworkPruneResult }
  | { kind: 'previewFailed'; error: ErrorShape }
  | { kind: 'pruning'; result: NetworkPruneResult }
  | { kind: 'done'; result: NetworkPruneResult }
  | { kind: 'pruneFailed'; result: NetworkPruneResult; error: ErrorShape };

/** Prune in two steps: a dry run lists the networks no container uses; then the user confirms. */
export function PruneNetworksDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'previewing' });
  const seq = useRef(0);

  const preview = useCallback(async () => {
    const mine = ++seq.current;
    setPhase({ kind: 'previewing' });
    try {
      const result = await previewNetworkPrune();
      if (mine === seq.current) setPhase({ kind: 'preview', result });
    } catch (e) {
      if (mine === seq.current) setPhase({ kind: 'previewFailed', error: toErrorShape(e) });
    }
  }, []);

  useEffect(() => {
    if (open) void preview();
  }, [open, preview]);

  const close = () => {
    if (phase.kind === 'pruning') return;
    seq.current++;
    setPhase({ kind: 'previewing' });
    onClose();
  };

  const confirm = async () => {
    if (phase.kind !== 'preview') return;
    setPhase({ kind: 'pruning', result: phase.result });
    try {
      const result = await pruneNetworks();
      if (result.failed.length === 0) {
        notify.success(`Removed ${plural(result.removed.length, 'unused network')}`);
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
      title="Prune unused networks"
      role="alertdialog"
      dismissible={phase.kind !== 'pruning'}
      description="Removes the networks you created that no container uses, running or stopped. Built-in networks stay."
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
            <Button variant="danger" busy={phase.kind === 'pruning'} disabled={phase.kind !== 'preview' || count === 0} onClick={() => void confirm()}>
              {count > 0 ? `Remove ${plural(count, 'network')}` : 'Remove'}
            </Button>
          </>
        )
      }
    >
      <div className="prune-preview" aria-live="polite" aria-busy={phase.kind === 'previewing'}>
        {phase.kind === 'previewing' && (
          <p className="prune-loading">
            <Spinner /> Finding unused networks…
          </p>
        )}
        {phase.kind === 'previewFailed' && <ErrorBanner error={phase.error} title="Could not list the unused networks" onRetry={() => void preview()} />}
        {shown && shown.removed.length === 0 && <p className="prune-none">No unused networks to remove.</p>}
        {shown && shown.removed.length > 0 && (
          <>
            <ul className="confirm-items" aria-label="Networks to remove" tabIndex={0}>
              {shown.removed.map((n) => (
                <li key={n.id} className="mono">
                  {n.name}
                </li>
              ))}
            </ul>
            <p className="prune-total">{plural(shown.removed.length, 'network')} will be removed.</p>
          </>
        )}
        {phase.kind === 'pruneFailed' && <ErrorBanner error={phase.error} title="The prune failed" />}
        {phase.kind === 'done' && (
          <>
            <p className="prune-total">Removed {plural(phase.result.removed.length, 'network')}. These could not be removed:</p>
            <ul className="prune-failed" aria-label="Networks not removed">
              {phase.result.failed.map((f) => (
                <li key={f.id}>
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
