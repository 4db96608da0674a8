import type { VolumeSummary } from '../../../app/contract/volumes';
import { ConfirmDialog } from '../../components';
import { notify } from '../../stores/toasts';
import { removeVolume, removeVolumes } from '../../stores/volumes';
import { plural } from '../../lib/format';

/**
 * Asks before removing volumes, naming each one and warning when a container still uses it.
 * The removal itself runs on the rows: each shows its spinner, and a refusal (VOLUME_IN_USE
 * naming the containers) stays on the row.
 */
export function RemoveVolumesDialog({
  names,
  volumes,
  onClose,
  onRemoved,
}: {
  names: string[] | null;
  volumes: Readonly<Record<string, VolumeSummary>>;
  onClose(): void;
  onRemoved(names: string[]): void;
}) {
  const list = names ?? [];
  const inUse = list.filter((n) => (volumes[n]?.usedBy.length ?? 0) > 0);
  const one = list.length === 1 ? list[0] : undefined;

  const confirm = async () => {
    onClose();
    if (one !== undefined) {
      const r = await removeVolume(one);
      if (r.ok) {
        notify.success(`Removed volume ${one}`);
        onRemoved([one]);
      }
      return;
    }
    const r = await removeVolumes(list);
    onRemoved(r.ok);
    if (r.failed.length === 0) notify.success(`Removed ${plural(r.ok.length, 'volume')}`);
    else notify.info(`Removed ${plural(r.ok.length, 'volume')}; ${r.failed.length} could not be removed`, 'The reason is shown on each of their rows.');
  };

  const users = (n: string) => (volumes[n]?.usedBy ?? []).map((u) => u.name).join(', ');
  return (
    <ConfirmDialog
      open={names !== null}
      title={one !== undefined ? `Remove volume ${one}?` : `Remove ${plural(list.length, 'volume')}?`}
      items={list}
      message={one !== undefined ? 'Its data is deleted for good.' : 'Their data is deleted for good.'}
      confirmLabel={one !== undefined ? 'Remove volume' : `Remove ${plural(list.length, 'volume')}`}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      {inUse.length > 0 && (
        <div className="confirm-warning" role="note">
          {inUse.length === 1 && one !== undefined
            ? `It is used by ${users(one)}: the engine refuses to remove a volume while a container uses it.`
            : `In use, so the engine will refuse them: ${inUse.map((n) => `${n} (${users(n)})`).join('; ')}.`}
        </div>
      )}
    </ConfirmDialog>
  );
}
