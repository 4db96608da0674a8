import type { ContainerSummary } from '../../../../app/contract/containers';
import { IconButton } from '../../../components/IconButton';
import { IconPause, IconPlay, IconRefresh, IconStop, IconTrash } from '../../../components/Icons';
import { actionsFor, containerAction, useContainers, type ContainerAction } from '../../../stores/containers';
import { askRemove } from '../remove-confirm';

const META: Record<Exclude<ContainerAction, 'remove' | 'kill'>, { label: string; icon: React.ReactNode }> = {
  start: { label: 'Start', icon: <IconPlay /> },
  stop: { label: 'Stop', icon: <IconStop /> },
  restart: { label: 'Restart', icon: <IconRefresh /> },
  pause: { label: 'Pause', icon: <IconPause /> },
  unpause: { label: 'Resume', icon: <IconPlay /> },
};

/** The container's actions in the detail header; the row shows their progress and errors. */
export function DetailActions({ c }: { c: ContainerSummary }) {
  const pending = useContainers((s) => s.pending[c.id]);
  const busy = pending !== undefined && pending.error === undefined;
  const actions = actionsFor(c);
  return (
    <div className="detail-actions">
      {actions.map((a) =>
        a === 'remove' ? (
          <IconButton key={a} variant="danger" label={`Remove ${c.name}`} icon={<IconTrash />} disabled={busy} onClick={() => askRemove([c])} />
        ) : a === 'kill' ? null : (
          <IconButton key={a} label={`${META[a].label} ${c.name}`} icon={META[a].icon} disabled={busy} onClick={() => void containerAction(c.id, a)} />
        ),
      )}
    </div>
  );
}
