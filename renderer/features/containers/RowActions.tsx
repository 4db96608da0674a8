import type { ContainerSummary } from '../../../app/contract/containers';
import { IconButton } from '../../components/IconButton';
import { IconChevronRight, IconPause, IconPlay, IconRefresh, IconStop, IconTrash } from '../../components/Icons';
import { maskIconClass } from '../../components/icon-mask';
import { actionsFor, containerAction, containersBulk, type ContainerAction } from '../../stores/containers';
import { isUp, type ListRow } from './model';
import { askRemove } from './remove-confirm';
import { IconTerminal, terminals } from '../terminals';
import { outageReason, useOutage } from './outage';

/**
 * Every row has these buttons (shown on hover or on the active row): their icons are drawn by CSS
 * (components/icon-mask), one element per button instead of an SVG tree, so rows mount and are
 * traced by the GC with about a third fewer elements.
 */
const ICON = {
  start: IconPlay,
  stop: IconStop,
  restart: IconRefresh,
  pause: IconPause,
  unpause: IconPlay,
  kill: IconStop,
  remove: IconTrash,
  terminal: IconTerminal,
  open: IconChevronRight,
};
const icon = (k: keyof typeof ICON) => ({ icon: null, className: maskIconClass(ICON[k]) });
const VERB: Record<ContainerAction, string> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  pause: 'Pause',
  unpause: 'Resume',
  kill: 'Kill',
  remove: 'Remove',
};

/** Start/stop/restart/pause, remove (asks first) and "open details" on a container row. */
export function ContainerRowActions({ c, tabIndex, onOpen, compact = false }: { c: ContainerSummary; tabIndex: 0 | -1; onOpen(): void; compact?: boolean }) {
  // Narrow (detail pane open): only the main action; the pane's header has the rest.
  const actions = compact ? actionsFor(c).slice(0, 1) : actionsFor(c);
  // The engine is away: the actions stay where they were, disabled, saying why.
  const why = outageReason(useOutage((s) => s.outage));
  return (
    <>
      {actions
        .filter((a) => a !== 'remove')
        .map((a) => (
          <IconButton
            key={a}
            size="sm"
            label={`${VERB[a]} ${c.name}`}
            {...icon(a)}
            tabIndex={tabIndex}
            disabled={why !== undefined}
            title={why}
            onClick={() => void containerAction(c.id, a)}
          />
        ))}
      {actions.includes('remove') && (
        <IconButton size="sm" variant="danger" label={`Remove ${c.name}`} {...icon('remove')} tabIndex={tabIndex} disabled={why !== undefined} title={why} onClick={() => askRemove([c])} />
      )}
      {!compact && c.state === 'running' && (
        <IconButton size="sm" label={`Open a terminal in ${c.name}`} {...icon('terminal')} tabIndex={tabIndex} onClick={() => void terminals.openContainer(c.id, c.name)} />
      )}
      {!compact && <IconButton size="sm" label={`Open details of ${c.name}`} {...icon('open')} tabIndex={tabIndex} onClick={onOpen} />}
    </>
  );
}

/** Actions on every container of a compose project. */
export function GroupRowActions({ row, tabIndex, compact = false }: { row: Extract<ListRow, { kind: 'group' }>; tabIndex: 0 | -1; compact?: boolean }) {
  const ids = (pred: (c: ContainerSummary) => boolean) => row.members.filter(pred).map((c) => c.id);
  const stopped = ids((c) => !isUp(c));
  const running = ids((c) => c.state === 'running' || c.state === 'restarting');
  if (compact) return null;
  return (
    <>
      <IconButton size="sm" label={`Start all of ${row.project}`} {...icon('start')} tabIndex={tabIndex} disabled={stopped.length === 0} onClick={() => void containersBulk(stopped, 'start')} />
      <IconButton size="sm" label={`Stop all of ${row.project}`} {...icon('stop')} tabIndex={tabIndex} disabled={running.length === 0} onClick={() => void containersBulk(running, 'stop')} />
      <IconButton
        size="sm"
        label={`Restart all of ${row.project}`}
        {...icon('restart')}
        tabIndex={tabIndex}
        onClick={() => void containersBulk(row.members.map((c) => c.id), 'restart')}
      />
      <IconButton size="sm" variant="danger" label={`Remove all of ${row.project}`} {...icon('remove')} tabIndex={tabIndex} onClick={() => askRemove(row.members, row.project)} />
    </>
  );
}
