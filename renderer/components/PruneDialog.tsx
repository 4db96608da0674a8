import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ErrorShape } from '../../app/contract/errors';
import { toErrorShape } from '../lib/errors';
import { plural } from '../lib/format';
import { notify } from '../stores/toasts';
import { Button } from './Button';
import { cx } from './cx';
import { Dialog } from './Dialog';
import { ErrorBanner } from './ErrorBanner';
import { Spinner } from './Spinner';

/** One thing a prune would remove: its name and, optionally, a detail at the right (size, short id). */
export interface PruneItem {
  key: string;
  name: string;
  detail?: string;
  /** Show the detail in the monospace font (an id). */
  detailMono?: boolean;
}

/** One thing the engine would not remove, and why. */
export interface PruneFailure {
  key: string;
  name: string;
  message: string;
}

export interface PruneDialogProps<R> {
  /** Default true (a page that mounts the dialog only while it is open can leave it out). */
  open?: boolean;
  onClose(): void;
  title: string;
  description: string;
  /** The thing pruned, singular ("volume"): the confirm button says "Remove 3 volumes". */
  noun: string;
  /** Shown while the dry run runs: "Finding unused volumes…". */
  loadingText: string;
  /** The title of the banner when the dry run fails. */
  previewErrorTitle: string;
  /** Shown when the dry run finds nothing. */
  emptyText: string;
  /** Accessible names of the list of what goes and of the list of what could not go. */
  listLabel: string;
  failedLabel?: string;
  /** The dry run and the real run, with the options the page holds now. */
  preview(): Promise<R>;
  prune(): Promise<R>;
  /** The page's options as a key: when it changes, the dry run runs again. */
  optionsKey?: string;
  /** The options above the preview; `locked` while the prune runs or after it. */
  options?(locked: boolean): ReactNode;
  items(result: R): PruneItem[];
  /** The sentence under the list: "3 volumes, reclaiming 12 MB.". */
  total(result: R): string;
  /** More under the total (a warning about unknown sizes). */
  notes?(result: R): ReactNode;
  /** What could not be removed; when any, the dialog stays open and lists them. */
  failures?(result: R): PruneFailure[];
  /** The sentence above the failures: "Removed 2 volumes, reclaiming 4 MB." */
  doneText?(result: R): string;
  /** The toast after a prune where everything went. */
  success(result: R): { title: string; detail?: string };
}

type Phase<R> =
  | { kind: 'previewing' }
  | { kind: 'preview'; result: R }
  | { kind: 'previewFailed'; error: ErrorShape }
  | { kind: 'pruning'; result: R }
  | { kind: 'done'; result: R }
  | { kind: 'pruneFailed'; result: R; error: ErrorShape };

/**
 * Prune in two steps: a dry run lists what would go (with sizes) and the space it frees; only
 * then the user confirms. What the engine refused to remove is listed with its reason.
 */
export function PruneDialog<R>(props: PruneDialogProps<R>) {
  const { open = true, title, description, noun, options, optionsKey = '' } = props;
  const [phase, setPhase] = useState<Phase<R>>({ kind: 'previewing' });
  const seq = useRef(0);
  const latest = useRef(props);
  latest.current = props;

  const preview = useCallback(async () => {
    const mine = ++seq.current;
    setPhase({ kind: 'previewing' });
    try {
      const result = await latest.current.preview();
      if (mine === seq.current) setPhase({ kind: 'preview', result });
    } catch (e) {
      if (mine === seq.current) setPhase({ kind: 'previewFailed', error: toErrorShape(e) });
    }
  }, []);

  useEffect(() => {
    if (open) void preview();
  }, [open, optionsKey, preview]);

  const close = () => {
    if (phase.kind === 'pruning') return;
    seq.current++;
    setPhase({ kind: 'previewing' });
    props.onClose();
  };

  const confirm = async () => {
    if (phase.kind !== 'preview') return;
    setPhase({ kind: 'pruning', result: phase.result });
    try {
      const result = await props.prune();
      if ((props.failures?.(result).length ?? 0) === 0) {
        const { title: message, detail } = props.success(result);
        notify.success(message, detail);
        close();
        return;
      }
      setPhase({ kind: 'done', result });
    } catch (e) {
      setPhase({ kind: 'pruneFailed', result: phase.result, error: toErrorShape(e) });
    }
  };

  const shown = phase.kind === 'preview' || phase.kind === 'pruning' || phase.kind === 'pruneFailed' ? phase.result : null;
  const items = shown ? props.items(shown) : [];
  const count = items.length;

  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      role="alertdialog"
      dismissible={phase.kind !== 'pruning'}
      description={description}
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
              {count > 0 ? `Remove ${plural(count, noun)}` : 'Remove'}
            </Button>
          </>
        )
      }
    >
      {options?.(phase.kind === 'pruning' || phase.kind === 'done')}
      <div className="prune-preview" aria-live="polite" aria-busy={phase.kind === 'previewing'}>
        {phase.kind === 'previewing' && (
          <p className="prune-loading">
            <Spinner /> {props.loadingText}
          </p>
        )}
        {phase.kind === 'previewFailed' && <ErrorBanner error={phase.error} title={props.previewErrorTitle} onRetry={() => void preview()} />}
        {shown && count === 0 && <p className="prune-none">{props.emptyText}</p>}
        {shown && count > 0 && (
          <>
            <ul className="confirm-items prune-items" aria-label={props.listLabel} tabIndex={0}>
              {items.map((it) => (
                <li key={it.key}>
                  <span className="mono">{it.name}</span>
                  {it.detail !== undefined && <span className={cx('prune-size', it.detailMono && 'mono')}>{it.detail}</span>}
                </li>
              ))}
            </ul>
            <p className="prune-total" data-testid="prune-total">
              {props.total(shown)}
            </p>
          </>
        )}
        {shown && props.notes?.(shown)}
        {phase.kind === 'pruneFailed' && <ErrorBanner error={phase.error} title="The prune failed" />}
        {phase.kind === 'done' && (
          <>
            <p className="prune-total">{props.doneText?.(phase.result)} These could not be removed:</p>
            <ul className="prune-failed" aria-label={props.failedLabel}>
              {props.failures?.(phase.result).map((f) => (
                <li key={f.key}>
                  <span className="mono">{f.name}</span>: {f.message}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </Dialog>
  );
}
