import { useState } from 'react';
import { create } from 'zustand';
import type { ContainerSummary } from '../../../app/contract/containers';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { containersBulk } from '../../stores/containers';
import { notify } from '../../stores/toasts';
import { isUp } from './model';

/** The "Remove …?" question: which containers, named; running ones are stopped first (force). */
interface RemoveAsk {
  targets: Pick<ContainerSummary, 'id' | 'name' | 'state'>[];
  /** A compose project when removing a whole group. */
  project: string | null;
}

const useRemoveAsk = create<RemoveAsk & { open: boolean }>()(() => ({ targets: [], project: null, open: false }));

export function askRemove(targets: readonly Pick<ContainerSummary, 'id' | 'name' | 'state'>[], project: string | null = null): void {
  if (targets.length === 0) return;
  useRemoveAsk.setState({ targets: [...targets], project, open: true });
}

export function RemoveConfirm() {
  const { targets, project, open } = useRemoveAsk();
  const [volumes, setVolumes] = useState(false);
  const close = () => {
    useRemoveAsk.setState({ open: false });
    setVolumes(false);
  };
  if (!open) return null;
  const running = targets.filter(isUp);
  const n = targets.length;
  const title = project ? `Remove all ${n} container${n === 1 ? '' : 's'} of ${project}?` : n === 1 ? `Remove ${targets[0]?.name}?` : `Remove ${n} containers?`;
  const message = [
    n === 1 ? 'The container and its file system changes are deleted.' : 'The containers and their file system changes are deleted.',
    running.length === 0
      ? ''
      : running.length === n
        ? `${n === 1 ? 'It is' : 'They are'} running and will be stopped first.`
        : `${running.length} of them ${running.length === 1 ? 'is' : 'are'} running and will be stopped first.`,
    'Named volumes are kept.',
  ]
    .filter(Boolean)
    .join(' ');
  const confirm = () => {
    const ids = targets.map((t) => t.id);
    const byId = new Map(targets.map((t) => [t.id, t.name]));
    close();
    void containersBulk(ids, 'remove', { force: running.length > 0, volumes }).then((r) => {
      if (r.ok.length > 0) notify.success(r.ok.length === 1 ? `Removed ${byId.get(r.ok[0] ?? '')}` : `Removed ${r.ok.length} containers`);
    });
  };
  return (
    <ConfirmDialog
      open
      title={title}
      items={targets.map((t) => t.name)}
      message={message}
      confirmLabel={n === 1 ? 'Remove' : `Remove ${n}`}
      onConfirm={confirm}
      onCancel={close}
    >
      <label className="ctr-check">
        <input type="checkbox" checked={volumes} onChange={(e) => setVolumes(e.target.checked)} />
        Also remove their anonymous volumes
      </label>
    </ConfirmDialog>
  );
}
