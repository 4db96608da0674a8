import { useMemo } from 'react';
import type { ContainerSummary } from '../../../app/contract/containers';
import { StatusDot } from '../../components/StatusDot';
import { IconChevronDown, IconChevronRight, IconExternal } from '../../components/Icons';
import { useContainers } from '../../stores/containers';
import type { ContainerStats } from '../../../app/contract/stats';
import { useSampledValue, useSampleError } from '../../stores/containers-stats';
import { estimateStart, humanDuration } from './uptime';
import { formatBytes, formatPercent, isUp, portLinks, stateDot, stateText, type ListRow } from './model';
import { useContainersView } from './view-store';
import { useOutage } from './outage';

/** The cells of the containers table, small components so live figures re-render only themselves. */

export function StateCell({ c, compact = false }: { c: ContainerSummary; compact?: boolean }) {
  // While the engine is away the state is what was last seen, not what is.
  const stale = useOutage((s) => s.outage !== null);
  // (The column's header then reads "Last seen".)
  const text = stateText(c);
  return (
    <span className="ctr-state" data-state={c.state} data-health={c.health ?? undefined} data-stale={stale || undefined} title={stale ? `Last seen ${text.toLowerCase()}; the engine is not reachable` : undefined}>
      <StatusDot status={stale ? 'idle' : stateDot(c)} label={compact ? text : undefined} />
      {!compact && <span className="truncate">{text}</span>}
    </span>
  );
}

export function GroupState({ row }: { row: Extract<ListRow, { kind: 'group' }> }) {
  const all = row.members.length;
  const dot = row.running === all ? 'up' : row.running === 0 ? 'idle' : 'connecting';
  return (
    <span className="ctr-state">
      <StatusDot status={dot} />
      <span className="truncate">
        {row.running}/{all} running
      </span>
    </span>
  );
}

export function GroupName({ row }: { row: Extract<ListRow, { kind: 'group' }> }) {
  const open = useContainersView((s) => !s.collapsed.has(row.project));
  const toggle = useContainersView((s) => s.toggleGroup);
  return (
    <span className="ctr-group-name">
      <button
        type="button"
        className="ctr-group-toggle"
        tabIndex={-1}
        aria-expanded={open}
        aria-label={`${open ? 'Collapse' : 'Expand'} ${row.project}`}
        onMouseDown={(e) => e.stopPropagation()}
        onClick={() => toggle(row.project)}
      >
        {open ? <IconChevronDown /> : <IconChevronRight />}
      </button>
      <strong className="truncate" title={`Compose project ${row.project}`}>
        {row.project}
      </strong>
    </span>
  );
}

export function NameCell({ c, inGroup }: { c: ContainerSummary; inGroup: boolean }) {
  return (
    <span className={inGroup ? 'ctr-name ctr-name-member' : 'ctr-name'}>
      <span className="truncate" title={c.name}>
        {c.name}
      </span>
      {inGroup && c.compose?.service && !c.name.includes(c.compose.service) && <span className="ctr-service truncate">{c.compose.service}</span>}
    </span>
  );
}

export function PortsCell({ c }: { c: ContainerSummary }) {
  const links = portLinks(c);
  if (links.length === 0) return <span className="muted">—</span>;
  return (
    <span className="ctr-ports">
      {links.map((p) =>
        p.url ? (
          <a
            key={`${p.hostPort}/${p.protocol}`}
            className="ctr-port"
            href={p.url}
            target="_blank"
            rel="noopener noreferrer"
            tabIndex={-1}
            title={`Open ${p.url} (container port ${p.containerPort}/${p.protocol})`}
            onMouseDown={(e) => e.stopPropagation()}
          >
            {p.hostPort}
            <span className="ctr-port-target">→{p.containerPort}</span>
            <IconExternal className="ctr-port-icon" />
          </a>
        ) : (
          <span key={`${p.hostPort}/${p.protocol}`} className="ctr-port is-plain" title={`Host port ${p.hostPort} → ${p.containerPort}/${p.protocol}`}>
            {p.hostPort}/{p.protocol}
          </span>
        ),
      )}
    </span>
  );
}

/** Sampled only while the row is on screen (see stores/stats-sampler.ts); re-renders only when its text changes. */
function useFigure(c: ContainerSummary, pick: (s: ContainerStats) => string) {
  const stale = useOutage((s) => s.outage !== null);
  const text = useSampledValue(c.id, isUp(c) && !stale, pick);
  const error = useSampleError();
  return { text: stale ? undefined : text, error: stale ? 'the engine is not reachable' : error };
}

const NoFigure = ({ error }: { error: string | null }) => (
  <span className="muted" title={error ? `No live figures: ${error}` : undefined}>
    —
  </span>
);

/** A first reading has memory but no CPU figure yet (the next sample, a second later, has it). */
const CPU_PENDING = '\u0000pending';
const cpuText = (s: ContainerStats) => (s.cpuPending ? CPU_PENDING : formatPercent(s.cpuPercent));
/** The text and its tooltip, one string (split on NUL) so the cell repaints only when either changes. */
const memoryText = (s: ContainerStats) => `${formatBytes(s.memoryUsed)}\u0000${s.memoryLimit ? `${formatBytes(s.memoryUsed)} of ${formatBytes(s.memoryLimit)} (${formatPercent(s.memoryPercent)})` : ''}`;

export function CpuCell({ c }: { c: ContainerSummary }) {
  const { text, error } = useFigure(c, cpuText);
  if (text === CPU_PENDING) {
    return (
      <span className="muted" title="Measuring: CPU needs a second reading">
        —
      </span>
    );
  }
  return text !== undefined ? <span>{text}</span> : <NoFigure error={error} />;
}

export function MemoryCell({ c }: { c: ContainerSummary }) {
  const { text, error } = useFigure(c, memoryText);
  if (text === undefined) return <NoFigure error={error} />;
  const [shown, title] = text.split('\u0000');
  return <span title={title || undefined}>{shown}</span>;
}

/**
 * Computed when the row paints (no clock of its own): the row repaints with each sample of its
 * figures, so the uptime moves on at the sampling rate while the window is shown, and not at all
 * while it is hidden.
 */
export function UptimeCell({ c }: { c: ContainerSummary }) {
  const readAt = useContainers((s) => s.rowReadAt[c.id] ?? s.loadedAt);
  const start = useMemo(() => estimateStart(c.id, c.status, readAt ?? Date.now()), [c.id, c.status, readAt]);
  // During an outage the clock stops where the engine was last seen.
  const since = useOutage((s) => s.outage?.since ?? null);
  // Read again with each sample of the row; the cell repaints only when the wording changes.
  const live = useSampledValue(c.id, start !== null && since === null, () => humanDuration((Date.now() - (start as number)) / 1000));
  if (start === null) return <span className="muted">—</span>;
  if (since !== null) return <span title={`Last seen: ${c.status}`}>{humanDuration(Math.max(0, since - start) / 1000)}</span>;
  return <span title={c.status}>{live ?? humanDuration((Date.now() - start) / 1000)}</span>;
}
